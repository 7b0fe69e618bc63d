"""Page furniture and headings, recognised by their shape rather than by a list of strings.

A paragraph is furniture (or a heading) when it does not read as running prose: it does not end with
sentence punctuation and it is short. That covers "Read More", "Related Articles", "Back to top button",
"Source: Anadolu", section headings, photo credits and comment-form text ("Required fields are
marked *") without naming any of them. A capitalised label with a colon before a headline ("READ
MORE: …", "WATCH: …") links to another story, even when the headline ends with a quote mark or an
abbreviation. Quotes and reported speech are not looked for there.
"""

from __future__ import annotations

import re
import unicodedata

_TERMINAL = re.compile(r"[.!?…:;\"”’»)\]]\s*$")
MAX_HEADING_WORDS = 20
_BYLINED_QUOTE = re.compile(r"\s*[\"“«‘'].*\w.*[\"”»’']\s*[―—–-]{1,2}\s*[A-Z]\w*", re.S)


#: A capitalised label and a colon opening a line: "READ MORE:", "WATCH:", "RELATED:".
_LINK_LABEL = re.compile(r"\s*[A-Z][A-Z'&]+(?: [A-Z][A-Z'&]+)?:\s")
MAX_LINK_WORDS = 30
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # "U.S.", "B.C."


def _ends_sentence(paragraph: str) -> bool:
    """Whether a paragraph ends as a sentence does (closing quote marks aside), not with a headline's
    last word or an abbreviation ("… across Canada, U.S.")."""
    tail = paragraph.rstrip().rstrip("\"”’'»").rstrip()
    return bool(re.search(r"[.!?…]$", tail)) and not _ABBREVIATION_END.search(tail)


def is_furniture(paragraph: str) -> bool:
    """Whether a paragraph is a heading or page furniture rather than article prose."""
    # Invisible format characters (zero-width space, LRM/RLM, BOM, word joiner) are not the line's end.
    paragraph = "".join(ch for ch in paragraph if unicodedata.category(ch) != "Cf")
    words = re.findall(r"\w+", paragraph)
    if not words:
        return True
    if _BYLINED_QUOTE.match(paragraph):
        return False  # “…” ― Marisol Vance: a quotation signed with its speaker's name
    if _LINK_LABEL.match(paragraph) and len(words) <= MAX_LINK_WORDS and not _ends_sentence(paragraph):
        return True  # "READ MORE: Mayor says …", "WATCH: Storm hits coast": a link to another story
    if _TERMINAL.search(paragraph):
        # A quoted sub-heading (‘Hit hard’) ends with a mark but is still a heading: short, no verb-like
        # sentence punctuation inside.
        inner = paragraph.strip().strip("\"“”‘’'«»")
        return len(words) <= 3 and not re.search(r"[.!?,]", inner)
    return len(words) <= MAX_HEADING_WORDS
