"""The word lists the rules read, as data: ``attribution/data/words/NAME.txt`` (one entry per line) and
``NAME.tsv`` (an entry and its value, tab-separated). ``#`` starts a comment.

The lists are the rules' closed classes of English (honorifics, kinship nouns, verbs of naming...), kept
out of the code so that a reader can see and extend them in one place. The speech-cue lexicon and the
titles have files of their own (``data/cues.txt``, ``data/titles.txt``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import MappingProxyType


def _lines(filename: str) -> list[str]:
    text = resources.files("attribution").joinpath(f"data/words/{filename}").read_text(encoding="utf-8")
    return [line.split("#", 1)[0].rstrip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


@cache
def words(name: str) -> frozenset[str]:
    """The entries of ``data/words/NAME.txt``."""
    return frozenset(line.strip() for line in _lines(f"{name}.txt"))


@cache
def ordered(name: str) -> tuple[str, ...]:
    """The entries of ``data/words/NAME.txt`` in file order (for lists built into patterns)."""
    return tuple(line.strip() for line in _lines(f"{name}.txt"))


@cache
def mapping(name: str) -> MappingProxyType[str, str]:
    """The entries of ``data/words/NAME.tsv`` as a read-only ``{entry: value}``."""
    out: dict[str, str] = {}
    for line in _lines(f"{name}.tsv"):
        key, _, value = line.partition("\t")
        out[key.strip()] = value.strip()
    return MappingProxyType(out)
