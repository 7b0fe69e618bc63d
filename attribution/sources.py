"""Reading articles from what users point at: text and HTML files, directories, JSONL, stdin.

:func:`iter_articles` yields an :class:`~attribution.types.Article` or a :class:`SourceError` per item,
so one unreadable file is reported with its path while the rest go on.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import DecodeError, EmptyInput, InputError
from .types import Article

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: Files a directory walk picks up; anything else in a directory is skipped silently.
DIRECTORY_SUFFIXES = TEXT_SUFFIXES - {""} | HTML_SUFFIXES | JSONL_SUFFIXES
ARTICLE_FIELDS = ("id", "text", "url", "title", "outlet", "author", "published")


@dataclass(frozen=True)
class SourceError:
    """An item that could not be read: where, and one sentence why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def text_id(text: str) -> str:
    """A stable id for a text without one: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def decode(data: bytes, where: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) first, then a detected legacy encoding.

    Binary data (NUL bytes, or no encoding that explains the bytes) is refused with a clear error
    rather than decoded into garbage.
    """
    if b"\x00" in data[:8192]:
        raise DecodeError(f"{where}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError(f"{where}: not UTF-8 and no other text encoding fits")
    return str(best)


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


def _jsonl_articles(lines: Iterable[str], where: str, path: str | None) -> Iterator[Article | SourceError]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield SourceError(f"{where}:{n}", f"not JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield SourceError(f"{where}:{n}", 'not an article (needs a "text" string)')
            continue
        if not record["text"].strip():
            yield SourceError(f"{where}:{n}", "empty text")
            continue
        fields = {k: (None if record.get(k) is None else str(record[k])) for k in ARTICLE_FIELDS}
        fields["text"] = record["text"]
        fields["id"] = fields["id"] or text_id(record["text"])
        yield Article(**fields, source_path=path)  # type: ignore[arg-type]


def _is_jsonl(text: str) -> bool:
    first = text.lstrip()[:1]
    return first == "{"


def _file_articles(path: Path) -> Iterator[Article | SourceError]:
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield SourceError(where, exc.strerror or str(exc))
        return
    try:
        text = decode(data, where)
    except InputError as exc:
        yield SourceError(where, str(exc).removeprefix(f"{where}: "))
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES or (suffix not in HTML_SUFFIXES and _is_jsonl(text)):
        yield from _jsonl_articles(text.splitlines(), where, where)
        return
    try:
        yield article_from_text(text, where, where, html=True if suffix in HTML_SUFFIXES else None)
    except InputError as exc:
        yield SourceError(where, str(exc).removeprefix(f"{where}: "))


def iter_articles(paths: Iterable[str], stdin: Iterable[str] | None = None) -> Iterator[Article | SourceError]:
    """Articles from paths: files, directories (recursively, sorted), JSONL files, or ``-`` for stdin."""
    for raw in paths:
        if raw == "-":
            text = "".join(stdin if stdin is not None else sys.stdin)
            if _is_jsonl(text):
                yield from _jsonl_articles(text.splitlines(), "<stdin>", None)
            else:
                try:
                    yield article_from_text(text, "<stdin>")
                except InputError as exc:
                    yield SourceError("<stdin>", str(exc).removeprefix("<stdin>: "))
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
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
