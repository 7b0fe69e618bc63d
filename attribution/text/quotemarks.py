"""Finding quoted spans by their marks, on the raw text, before any parsing.

Handles “…”, "…", ‘…’, '…', «…», ‹…› and „…“. Apostrophes (Panjshir’s, o’clock, leaders’) are not
quote marks: a single closing mark only counts when an opener is waiting for it. An unpaired mark is
dropped at the end of its paragraph, so it never swallows the rest of the article, except that a quote
left open at the end of a paragraph continues when the next paragraph opens with a mark (the newspaper
convention for a quotation that runs over several paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“«„‟"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹‚"
SINGLE_CLOSE = "’›"
STRAIGHT = "\"'"
ALL_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT
# Characters after which a straight mark opens rather than closes.
_OPEN_CONTEXT = set(" \t\n\u00a0\u2009\u202f([{—–-/:;") | set(DOUBLE_OPEN + SINGLE_OPEN)


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation found by its marks.

    ``start``/``end`` include the marks; ``inner_start``/``inner_end`` are the content without them
    (trimmed of surrounding whitespace). ``paragraphs`` counts the paragraphs it runs over.
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    family: str  # "double" or "single"
    paragraphs: int = 1


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: non-blank lines, without lines that hold nothing but punctuation.

    News texts come with one paragraph a line, sometimes with blank lines or stray ``.`` lines between.
    """
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if not re.search(r"\w", line):
            continue
        s = m.start() + (len(line) - len(line.lstrip()))
        e = m.end() - (len(line) - len(line.rstrip()))
        spans.append((s, e))
    return spans


def _is_opener(text: str, i: int, lo: int) -> bool:
    """A straight or curly opener: at paragraph start or after a space/bracket/dash, before non-space."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return prev in _OPEN_CONTEXT and not nxt.isspace()


def _is_closer(text: str, i: int, hi: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    return not prev.isspace() and not nxt.isalnum()


def _pair_double(text: str, lo: int, hi: int, carry: int | None) -> tuple[list[tuple[int, int]], int | None]:
    """Pair double marks in one paragraph; returns (pairs, index of a mark left open at the end)."""
    pairs: list[tuple[int, int]] = []
    open_at = carry
    for i in range(lo, hi):
        ch = text[i]
        if ch in DOUBLE_OPEN:
            # „…“: in German-style quotes “ closes; elsewhere “ opens.
            if ch == "“" and open_at is not None and text[open_at] == "„":
                pairs.append((open_at, i))
                open_at = None
            else:
                open_at = i  # an earlier unclosed opener was a stray mark: drop it
        elif ch in DOUBLE_CLOSE:
            if open_at is not None:
                pairs.append((open_at, i))
                open_at = None
            elif ch == "”" and _is_opener(text, i, lo) and not _is_closer(text, i, hi):
                open_at = i  # "(”This guy …”)": a closing mark typed where an opener belongs
        elif ch == '"':
            if open_at is None:
                if _is_opener(text, i, lo) or not _is_closer(text, i, hi):
                    open_at = i
            elif _is_closer(text, i, hi) or not _is_opener(text, i, lo):
                pairs.append((open_at, i))
                open_at = None
            else:
                open_at = i
    return pairs, open_at


def _pair_single(text: str, lo: int, hi: int, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pair single marks outside double-quoted spans (quotes within quotes are not quotes of their own)."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for i in range(lo, hi):
        if any(s <= i <= e for s, e in blocked):
            open_at = None if open_at is not None and any(s <= open_at <= e for s, e in blocked) else open_at
            continue
        ch = text[i]
        if (ch in SINGLE_OPEN or ch == "'") and _is_opener(text, i, lo):
            open_at = i
            continue
        if (ch in SINGLE_CLOSE or ch == "'") and open_at is not None and _is_closer(text, i, hi):
            pairs.append((open_at, i))
            open_at = None
    return pairs


def _opens_with_mark(text: str, lo: int) -> bool:
    return text[lo] in DOUBLE_OPEN or text[lo] == '"'


def find_quotes(text: str) -> list[QuoteSpan]:
    """All quoted spans in ``text``, in order of their opening mark.

    Two apostrophes written as a double mark (''…'', a typewriter convention of some archives) count as
    one double mark: the pairing runs over a shadow text of the same length, so offsets are unchanged.
    """
    original = text
    text = text.replace("\'\'", "\"\u200b")
    spans = _find(text)
    return [_widen(original, s) for s in spans]


def _widen(text: str, s: QuoteSpan) -> QuoteSpan:
    """Extend a span over the second apostrophe of a closing ''."""
    if s.end < len(text) and text[s.end - 1] == "'" and text[s.end] == "'":
        return QuoteSpan(s.start, s.end + 1, s.inner_start, s.inner_end, s.family, s.paragraphs)
    return s


def _find(text: str) -> list[QuoteSpan]:
    paras = paragraphs(text)
    spans: list[QuoteSpan] = []
    carry: int | None = None  # a double quote left open at the end of the previous paragraph
    carry_paras = 1
    for n, (lo, hi) in enumerate(paras):
        if carry is not None and not _opens_with_mark(text, lo):
            carry = None  # the quote never closed: drop the stray mark
        start_lo = lo + 1 if carry is not None else lo  # the continuation mark is not a new opener
        pairs, open_at = _pair_double(text, start_lo, hi, carry)
        for s, e in pairs:
            paras_spanned = carry_paras if carry is not None and s == carry else 1
            spans.append(_make(text, s, e, "double", paras_spanned))
        if carry is not None and any(s == carry for s, _ in pairs):
            carry = None
        if open_at is not None and n + 1 < len(paras) and _opens_with_mark(text, paras[n + 1][0]):
            carry_paras = carry_paras + 1 if carry is not None and open_at == carry else 2
            carry = open_at
        else:
            carry, carry_paras = None, 1
        blocked: list[tuple[int, int]] = []
        if open_at is not None and carry is not None:
            blocked.append((open_at, hi))
        for s, e in _pair_single(text, lo, hi, blocked):
            spans.append(_make(text, s, e, "single", 1))
    spans = [s for s in spans if s.inner_end > s.inner_start]
    return _outermost(spans)


def _outermost(spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """Quotes within quotes are part of the outer quotation, whichever marks it uses (‘… “…” …’ and
    “… ‘…’ …”); where a single and a double pair cross, the double pair wins."""
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    out: list[QuoteSpan] = []
    for sp in spans:
        if any(o.start <= sp.start and sp.end <= o.end for o in out):
            continue  # nested inside an earlier, longer span
        crossing = [o for o in out if o.start < sp.end and sp.start < o.end]
        if crossing:
            if sp.family == "double" and all(o.family == "single" for o in crossing):
                out = [o for o in out if o not in crossing]
            else:
                continue
        out.append(sp)
    return sorted(out, key=lambda s: s.start)


def _make(text: str, s: int, e: int, family: str, paras: int) -> QuoteSpan:
    inner_s, inner_e = s + 1, e
    while inner_s < inner_e and (text[inner_s].isspace() or text[inner_s] == "\u200b"):
        inner_s += 1
    while inner_e > inner_s and text[inner_e - 1].isspace():
        inner_e -= 1
    return QuoteSpan(s, e + 1, inner_s, inner_e, family, paras)
