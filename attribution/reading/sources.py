"""Reading articles from what users point at: text and HTML files, directories, JSONL, stdin.

:func:`iter_articles` yields an :class:`~attribution.types.Article` or a :class:`SourceError` per item,
so one unreadable file is reported with its path while the rest go on.

Size: one article (a text or HTML file, a JSONL line, stdin text) may be at most :func:`max_article_bytes`
(10 MB, ``ATTRIBUTION_MAX_ARTICLE_MB`` to change it) -- a hundred times the longest news article, and about
what the parser gets through in minutes. A larger one is refused with a one-line error before it is read,
rather than parsed for hours in gigabytes of memory. JSONL files are streamed line by line, so a feed of
any size goes in, each line within the limit.

Encodings: UTF-8 (with or without BOM), UTF-16/32 with a BOM, UTF-8 with a few stray legacy bytes (those
read as cp1252), else a detected legacy code page, Windows-1252 preferred when it reads the bytes as
plausible Western European text. Binary data is refused, and so is text holding NUL characters or lone
surrogates (from JSON escapes), which no database stores.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import AttributionError, DecodeError, EmptyInput, FetchError, InputError
from ..types import Article

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: Files a directory walk picks up; anything else in a directory is skipped silently.
DIRECTORY_SUFFIXES = TEXT_SUFFIXES - {""} | HTML_SUFFIXES | JSONL_SUFFIXES
ARTICLE_FIELDS = ("id", "text", "url", "title", "outlet", "author", "published")
#: Environment variable overriding the size limit of one article, in MB.
ENV_MAX_MB = "ATTRIBUTION_MAX_ARTICLE_MB"
DEFAULT_MAX_MB = 10.0
_HEAD = 8192  # bytes read first: enough to tell binary from text and JSONL from an article
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def max_article_bytes() -> int:
    """The largest article accepted, in bytes (``ATTRIBUTION_MAX_ARTICLE_MB``, default 10 MB)."""
    raw = os.environ.get(ENV_MAX_MB, "").strip()
    try:
        mb = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        raise InputError(f"{ENV_MAX_MB}={raw!r} is not a number of megabytes.") from None
    if mb <= 0:
        raise InputError(f"{ENV_MAX_MB} must be more than 0.")
    return int(mb * 1_000_000)


def _too_large(size: int | None, limit: int) -> str:
    got = f" ({size / 1e6:.1f} MB)" if size is not None else ""
    return (f"too large for one article{got}: the limit is {limit / 1e6:g} MB; split it, "
            f"or raise it with {ENV_MAX_MB}")


@dataclass(frozen=True)
class SourceError:
    """An item that could not be read: where, and one sentence why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class WebSourceError(SourceError):
    """A URL that could not be read: also what kind of failure it was, for the database and ``--json``.

    ``kind`` and ``transient`` are those of the :class:`~attribution.errors.FetchError` it came from
    (see :mod:`attribution.web.sources`).
    """

    kind: str = "fetch"
    status: int | None = None
    transient: bool = False

    @classmethod
    def of(cls, exc: Exception, url: str) -> WebSourceError:
        """From a :class:`FetchError`, or any other exception met while reading ``url``."""
        if isinstance(exc, FetchError):
            return cls(exc.url, str(exc), exc.kind, exc.status, exc.transient)
        if isinstance(exc, AttributionError):
            return cls(url, str(exc), "invalid")
        return cls(url, f"{type(exc).__name__}: {exc}", "error")


def text_id(text: str) -> str:
    """A stable id for a text without one: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def decode(data: bytes, where: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) first, then a detected legacy encoding.

    Binary data (NUL bytes, or no encoding that explains the bytes) is refused with a clear error
    rather than decoded into garbage.
    """
    for bom, codec in _BOMS:  # before the NUL test: UTF-16/32 text is full of NUL bytes
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise DecodeError(f"{where}: starts with a {codec.upper()} byte-order mark but is not "
                                  f"{codec.upper()} text") from None
    if b"\x00" in data:
        raise DecodeError(f"{where}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return mixed
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    western = _plausible_cp1252(data, guess)
    if western is not None:
        return western
    if best is None or guess is None:
        raise DecodeError(f"{where}: not UTF-8 and no other text encoding fits")
    return str(best)


_STRAY = re.compile("[\udc80-\udcff]")


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few bytes of another encoding pasted in: those bytes read as cp1252, else None.

    Only when valid multi-byte UTF-8 sequences outnumber the invalid bytes: a legacy-encoded file has
    (next to) no valid ones, and is left to detection.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    stray = len(_STRAY.findall(text))
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - stray
    if valid == 0 or valid < stray:
        return None

    def one(m: re.Match[str]) -> str:
        byte = bytes([ord(m.group()) - 0xDC00])
        try:
            return byte.decode("cp1252")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
            return byte.decode("latin-1")

    return _STRAY.sub(one, text)


#: Single-byte code pages for Latin scripts, among which a detector's pick is often a coin toss.
_LATIN_CODEPAGES = {
    "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "cp437", "cp850",
    "cp852", "cp857", "cp858", "cp775", "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "hp_roman8",
}
# Characters cp1252 gives for bytes that, in Western European text, are much more likely letters of
# another code page (Polish ł -> ³, ą -> ¹; Turkish ı -> ý, ş -> þ, ğ -> ð; Czech ý is kept out too, so
# cp1250 Czech stays cp1250).
_UNLIKELY_WESTERN = set("¹²³¼½¾¤¦¨´¸¬¯¥ðþýÐÞÝˆ˜ƒ\xad")
# Italian puts ì ò ù only on a final vowel; inside a word they are Czech ě ň ů read as cp1252.
_UNLIKELY_SEQUENCE = re.compile(r"[ìòùÌÒÙ](?=[^\W\d_])|(?<=[^\W\d_])[¿¡]")


def _plausible_cp1252(data: bytes, guess: str | None) -> str | None:
    """The bytes as Windows-1252 when that reads as Western European text and the detector's guess is no
    better founded (another Latin code page, or a non-Latin one for text that is mostly ASCII)."""
    if guess == "cp1252":
        return None
    ascii_share = sum(1 for b in data if b < 0x80) / max(len(data), 1)
    if guess is not None and guess not in _LATIN_CODEPAGES and ascii_share < 0.8:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if any(ch in _UNLIKELY_WESTERN for ch in text) or _UNLIKELY_SEQUENCE.search(text):
        return None
    if any(0x80 <= ord(ch) < 0xA0 for ch in text):  # C1 controls: not text
        return None
    return text


def check_text(text: str, where: str) -> None:
    """Refuse text no database stores: NUL characters, lone surrogates (``"\\ud800"`` in JSON)."""
    if "\x00" in text:
        raise DecodeError(f"{where}: the text holds NUL characters")
    if _SURROGATE.search(text):
        raise DecodeError(f"{where}: the text holds a lone surrogate (an invalid \\u escape), not Unicode text")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _html_article(raw: str, where: str, path: str | None) -> Article:
    import trafilatura

    text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise EmptyInput(f"{where}: no article text found in the HTML")
    meta = trafilatura.extract_metadata(raw)
    return Article(
        id=text_id(text),
        text=text,
        url=getattr(meta, "url", None),
        title=getattr(meta, "title", None),
        outlet=getattr(meta, "sitename", None),
        author=getattr(meta, "author", None),
        published=getattr(meta, "date", None),
        source_path=path,
    )


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def article_from_text(text: str, where: str, path: str | None = None, html: bool | None = None) -> Article:
    """One article from a whole text (HTML is detected unless ``html`` says which)."""
    if html is None:
        html = _looks_like_html(text)
    if html:
        return _html_article(text, where, path)
    if not text.strip():
        raise EmptyInput(f"{where}: empty, nothing to extract")
    stem = Path(path).stem if path else None
    return Article(id=stem or text_id(text), text=text, source_path=path)


def _jsonl_record(line: str, where: str, path: str | None, limit: int) -> Article | SourceError | None:
    """One JSONL line as an article, an error naming the line, or None for a blank line."""
    if not line.strip():
        return None
    if len(line) > limit:
        return SourceError(where, _too_large(None, limit))
    try:
        record = json.loads(line)
    except ValueError as exc:
        return SourceError(where, f"not JSON ({getattr(exc, 'msg', exc)})")
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return SourceError(where, 'not an article (needs a "text" string)')
    if not record["text"].strip():
        return SourceError(where, "empty text")
    fields = {k: (None if record.get(k) is None else str(record[k])) for k in ARTICLE_FIELDS}
    fields["text"] = record["text"]
    try:
        for value in fields.values():
            if value is not None:
                check_text(value, where)
    except InputError as exc:
        return SourceError(where, str(exc).removeprefix(f"{where}: "))
    text: str = record["text"]
    meta = {k: v for k, v in fields.items() if k not in ("id", "text")}
    return Article(id=fields["id"] or text_id(text), text=text, **meta, source_path=path)


def _jsonl_articles(lines: Iterable[str], where: str, path: str | None) -> Iterator[Article | SourceError]:
    limit = max_article_bytes()
    for n, line in enumerate(lines, 1):
        item = _jsonl_record(line, f"{where}:{n}", path, limit)
        if item is not None:
            yield item


def _binary_lines(stream, head: bytes, limit: int) -> Iterator[bytes | None]:
    """Lines of a binary stream, ``head`` (already read from it) first; None stands for a line over
    ``limit`` bytes, which is skipped without being held in memory."""
    pending: list[bytes] = []
    size = 0
    too_long = False
    chunk = head
    while True:
        if not chunk:
            chunk = stream.read(1 << 16)
            if not chunk:
                if too_long or pending:
                    yield None if too_long else b"".join(pending)
                return
        start = 0
        while (nl := chunk.find(b"\n", start)) >= 0:
            piece = chunk[start:nl + 1]
            yield None if too_long or size + len(piece) > limit else b"".join((*pending, piece))
            pending, size, too_long = [], 0, False
            start = nl + 1
        rest = chunk[start:]
        if rest and not too_long:
            if size + len(rest) > limit:
                pending, size, too_long = [], 0, True
            else:
                pending.append(rest)
                size += len(rest)
        chunk = b""


def _jsonl_stream(stream, head: bytes, where: str, limit: int) -> Iterator[Article | SourceError]:
    """A JSONL file streamed line by line: one error per bad line (with its number), the rest go in."""
    for n, raw in enumerate(_binary_lines(stream, head, limit), 1):
        at = f"{where}:{n}"
        if raw is None:
            yield SourceError(at, _too_large(None, limit))
            continue
        if n == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:  # JSON Lines are UTF-8 by definition; be lenient all the same
            try:
                line = decode(raw, at)
            except InputError as exc:
                yield SourceError(at, str(exc).removeprefix(f"{at}: "))
                continue
        item = _jsonl_record(line, at, where, limit)
        if item is not None:
            yield item


def _is_jsonl(text: str) -> bool:
    first = text.lstrip()[:1]
    return first == "{"


def _starts_like_jsonl(head: bytes) -> bool:
    return head.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"{"


def _file_articles(path: Path) -> Iterator[Article | SourceError]:
    where = str(path)
    suffix = path.suffix.lower()
    try:
        limit = max_article_bytes()
        with path.open("rb") as stream:
            head = stream.read(_HEAD)
            if b"\x00" in head and not head.startswith(tuple(bom for bom, _ in _BOMS)):
                yield SourceError(where, "looks like a binary file, not text")
                return
            if suffix in JSONL_SUFFIXES or (suffix not in HTML_SUFFIXES and _starts_like_jsonl(head)):
                yield from _jsonl_stream(stream, head, where, limit)
                return
            size = os.fstat(stream.fileno()).st_size if path.is_file() else None
            if size is not None and size > limit:
                yield SourceError(where, _too_large(size, limit))
                return
            data = head + stream.read(limit + 1 - len(head))
            if len(data) > limit:  # a pipe or device: no size up front
                yield SourceError(where, _too_large(None, limit))
                return
    except OSError as exc:
        yield SourceError(where, exc.strerror or str(exc))
        return
    except InputError as exc:
        yield SourceError(where, str(exc))
        return
    try:
        text = decode(data, where)
        check_text(text, where)
        yield article_from_text(text, where, where, html=True if suffix in HTML_SUFFIXES else None)
    except InputError as exc:
        yield SourceError(where, str(exc).removeprefix(f"{where}: "))


def _stdin_articles(stdin: Iterable[str]) -> Iterator[Article | SourceError]:
    """Stdin: JSONL (streamed) when the first non-blank line starts with ``{``, else one article."""
    where = "<stdin>"
    try:
        limit = max_article_bytes()
    except InputError as exc:
        yield SourceError(where, str(exc))
        return
    lines = iter(stdin)
    head: list[str] = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    if _is_jsonl("".join(head)):
        yield from _jsonl_articles(itertools.chain(head, lines), where, None)
        return
    size = sum(len(x) for x in head)
    for line in lines:
        size += len(line)
        if size > limit:
            yield SourceError(where, _too_large(None, limit))
            return
        head.append(line)
    try:
        text = "".join(head)
        check_text(text, where)
        yield article_from_text(text, where)
    except InputError as exc:
        yield SourceError(where, str(exc).removeprefix(f"{where}: "))


def iter_articles(paths: Iterable[str], stdin: Iterable[str] | None = None) -> Iterator[Article | SourceError]:
    """Articles from paths: files, directories (recursively, sorted), JSONL files, or ``-`` for stdin."""
    for raw in paths:
        if raw == "-":
            yield from _stdin_articles(stdin if stdin is not None else sys.stdin)
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            # Regular files only: a FIFO or device in a directory would block or never end.
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in DIRECTORY_SUFFIXES:
                    found = True
                    yield from _file_articles(child)
            if not found:
                yield SourceError(raw, "no .txt, .html or .jsonl files in this directory")
        elif path.exists():
            yield from _file_articles(path)
        else:
            yield SourceError(raw, "no such file or directory")
