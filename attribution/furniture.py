"""Page furniture and headings, recognised by their shape rather than by a list of strings.

A paragraph is furniture (or a heading) when it does not read as running prose: it does not end with
sentence punctuation and it is short. That covers "Read More", "Related Articles", "Back to top button",
"Source: Anadolu", section headings, photo credits and comment-form text ("Required fields are
marked *") without naming any of them. Quotes and reported speech are not looked for there.
"""

from __future__ import annotations

import re
import unicodedata

_TERMINAL = re.compile(r"[.!?…:;\"”’»)\]]\s*$")
MAX_HEADING_WORDS = 20
_BYLINED_QUOTE = re.compile(r"\s*[\"“«‘'].*\w.*[\"”»’']\s*[―—–-]{1,2}\s*[A-Z]\w*", re.S)


def is_furniture(paragraph: str) -> bool:
    """Whether a paragraph is a heading or page furniture rather than article prose."""
    # Invisible format characters (zero-width space, LRM/RLM, BOM, word joiner) are not the line's end.
    paragraph = "".join(ch for ch in paragraph if unicodedata.category(ch) != "Cf")
    words = re.findall(r"\w+", paragraph)
    if not words:
        return True
    if _BYLINED_QUOTE.match(paragraph):
        return False  # “…” ― Marisol Vance: a quotation signed with its speaker's name
    if _TERMINAL.search(paragraph):
        # A quoted sub-heading (‘Hit hard’) ends with a mark but is still a heading: short, no verb-like
        # sentence punctuation inside.
        inner = paragraph.strip().strip("\"“”‘’'«»")
        return len(words) <= 3 and not re.search(r"[.!?,]", inner)
    return len(words) <= MAX_HEADING_WORDS
