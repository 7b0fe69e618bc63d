"""The speech-cue lexicon: data in ``data/cues.txt`` that users can read and extend.

A user file named by ``ATTRIBUTION_CUES`` is read after the built-in one (its lines add cues;
a line ``-word`` removes one).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Lexicon:
    """Speech-cue verbs (lemmas), verb + particle cues, report nouns and source phrases."""

    verbs: frozenset[str]
    phrasal: frozenset[tuple[str, str]]
    nouns: frozenset[str]
    source_phrases: frozenset[tuple[str, ...]] = field(default_factory=frozenset)

    @cached_property
    def _verb_forms(self) -> dict[str, str]:
        forms: dict[str, str] = {}
        for verb in sorted(self.verbs | {v for v, _ in self.phrasal}):
            for form in regular_forms(verb):
                forms.setdefault(form, verb)
        return forms

    def verb_lemma(self, text: str, lemma: str) -> str:
        """The lexicon's verb that a word inflects, when the tagger's lemma missed it ("quipped" lemmatised
        as "quipp"): regular inflections only; otherwise ``lemma`` unchanged."""
        if lemma in self.verbs:
            return lemma
        return self._verb_forms.get(text.lower(), lemma)


def misread_cue_verb(lex: Lexicon, prev_upos: str, upos: str, text: str, next_word: tuple[str, str]) -> str | None:
    """The lexicon verb a word tagged as a noun really is: "Reyes alleges he …", "The Gazette reports
    that …" -- an -s form of a cue verb right after a name or pronoun and right before the start of a
    clause (a pronoun, determiner, name or "that"). ``next_word`` is (lower-case text, UPOS)."""
    low = text.lower()
    if upos not in ("NOUN", "PROPN") or prev_upos not in ("PROPN", "PRON") or not low.endswith("s"):
        return None
    verb = lex.verb_lemma(low, low)
    if verb not in lex.verbs or verb == low:
        return None
    nxt, nxt_upos = next_word
    return verb if nxt == "that" or nxt_upos in ("PRON", "DET", "PROPN") else None


def regular_forms(verb: str) -> set[str]:
    """The regular inflections of a verb: -s/-es/-ies, -ed/-d/-ied, -ing, with a doubled final consonant
    where English spelling may double it ("quip": quips, quipped, quipping)."""
    forms = {verb + "s", verb + "ed", verb + "ing"}
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(verb + "es")
    if verb.endswith("e"):
        forms |= {verb + "d", verb[:-1] + "ing"}
    if len(verb) > 2 and verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if len(verb) > 2 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou":  # over-generating is harmless
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


def parse_lines(lines: list[str], base: Lexicon | None = None) -> Lexicon:
    """Build a lexicon from cue-file lines, on top of ``base``."""
    verbs = set(base.verbs) if base else set()
    phrasal = set(base.phrasal) if base else set()
    nouns = set(base.nouns) if base else set()
    phrases = set(base.source_phrases) if base else set()
    for raw in lines:
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        remove = line.startswith("-")
        line = line.lstrip("-").strip()
        words = tuple(line.split())
        if line.startswith("@"):
            _put(nouns, line[1:], remove)
        elif words[:2] == ("according", "to") or (len(words) > 1 and words[0] in ("as", "per")):
            _put(phrases, words, remove)
        elif len(words) == 1:
            _put(verbs, words[0], remove)
        else:
            _put(phrasal, (words[0], " ".join(words[1:])), remove)
    return Lexicon(frozenset(verbs), frozenset(phrasal), frozenset(nouns), frozenset(phrases))


def _put(target: set[T], item: T, remove: bool) -> None:
    """Add an entry to one of the lexicon's sets, or take it out (a ``-`` line)."""
    if remove:
        target.discard(item)
    else:
        target.add(item)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The built-in lexicon, extended by the file in ``ATTRIBUTION_CUES`` if set."""
    builtin = resources.files("attribution").joinpath("data/cues.txt").read_text(encoding="utf-8")
    lex = parse_lines(builtin.splitlines())
    extra = os.environ.get("ATTRIBUTION_CUES")
    if extra:
        lex = parse_lines(Path(extra).read_text(encoding="utf-8").splitlines(), lex)
    return lex
