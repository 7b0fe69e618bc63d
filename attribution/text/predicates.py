"""What the rules ask of a parse, answered in one place.

Every stage reads the same few questions off words and their tags: is this a relative pronoun, does a
speech cue start here, is this a noun for a person, does this stretch of text end a sentence. Each is
answered here once, so that sentence selection (:mod:`attribution.parsing.selection`) and the engine cannot
drift apart, and a reader finds each answer by its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

from ..wordlists import ordered, words
from .lexicon import Lexicon, misread_cue_verb


class Tagged(Protocol):
    """What the predicates read of a word: its text, lemma, part of speech and features."""

    text: str
    lemma: str
    upos: str

    def feat(self, name: str) -> str | None: ...


# --- relative clauses and clause boundaries -------------------------------------------------------

def is_relative_pronoun(w: Tagged) -> bool:
    """"who", "whom", "whose", "which", a "that" tagged as a pronoun but not a demonstrative, or any word
    the tagger marks ``PronType=Rel``."""
    if w.feat("PronType") == "Rel" or w.lemma in words("relative_pronouns"):
        return True
    return w.lemma == "that" and w.upos == "PRON" and w.feat("PronType") != "Dem"


def is_finite_verb(w: Tagged) -> bool:
    """A verb or auxiliary in a finite form: a clause of its own."""
    return w.upos in ("VERB", "AUX") and w.feat("VerbForm") == "Fin"


def is_possessive_mark(w: Tagged) -> bool:
    """The possessive ending as a token of its own ("Kim" "'s")."""
    return w.text in ("'s", "’s")


def is_speech_pronoun(w: Tagged) -> bool:
    """A personal pronoun that can be a cue's source ("he said", "we said")."""
    return w.upos == "PRON" and w.lemma in words("speech_pronouns")


def is_resolved_pronoun(w: Tagged) -> bool:
    """A pronoun the engine resolves to an antecedent when it is a cue's source (he, she, they, it)."""
    return w.upos == "PRON" and w.lemma in words("resolved_pronouns")


# --- speech cues --------------------------------------------------------------------------------------

def cue_length(lemma: str, upos: str, next_lemma: str, lex: Lexicon) -> int:
    """How many words a speech cue starting at this word has: 2 for a verb and particle ("call for"),
    1 for a verb of the lexicon ("say", and "alleged" tagged an adjective), 0 for no cue."""
    if upos in ("VERB", "AUX", "ADJ") and (lemma, next_lemma) in lex.phrasal:
        return 2
    if upos in ("VERB", "ADJ") and lemma in lex.verbs:
        return 1
    return 0


def is_source_phrase_at(lemmas: Sequence[str], texts: Sequence[str], k: int, lex: Lexicon) -> bool:
    """Whether a source phrase of the lexicon ("according to", "as … said") starts at word ``k``."""
    if texts[k] == "according" and k + 1 < len(texts) and texts[k + 1] == "to":
        return True
    for phrase in lex.source_phrases:
        n = len(phrase)
        if tuple(lemmas[k:k + n]) == phrase or tuple(texts[k:k + n]) == phrase:
            return True
    return False


def repaired_tags(texts: Sequence[str], lemmas: Sequence[str], upos: Sequence[str],
                  lex: Lexicon) -> tuple[list[str], list[str]]:
    """One sentence's lemmas and parts of speech, with the cue verbs the tagger garbled put right: a
    lemma the seq2seq lemmatizer mangled ("quipped" -> "quipp") and an -s cue verb read as a plural noun
    ("Reyes alleges he …"). Selection and the engine both read these, so both find the same cues."""
    lemmas = [lex.verb_lemma(t, lm) if u in ("VERB", "ADJ") else lm
              for t, lm, u in zip(texts, lemmas, upos, strict=True)]
    upos = list(upos)
    for k in range(1, len(texts) - 1):
        verb = misread_cue_verb(lex, upos[k - 1], upos[k], texts[k], (texts[k + 1].lower(), upos[k + 1]))
        if verb is not None:
            lemmas[k], upos[k] = verb, "VERB"
    return lemmas, upos


# --- people and names ------------------------------------------------------------------------------

def is_title_word(w: Tagged) -> bool:
    """A title that may stand before a name ("mayor", "spokesman", "gen.")."""
    return w.lemma in title_words() or w.text.lower() in title_words()


def is_common_person_noun(w: Tagged) -> bool:
    """A common noun for a person by its ending ("labourer", "defenceman", "economist"), not one of the
    look-alikes ("order", "member") nor a noun for an organisation."""
    low = w.text.lower()
    return len(low) > 5 and low.endswith(tuple(words("person_noun_endings"))) and \
        w.lemma not in words("not_person_nouns") and w.lemma not in words("org_nouns") and \
        w.lemma not in words("anaphoric_org_nouns")


def is_capitalised(text: str) -> bool:
    """Whether a word starts with a capital letter."""
    return text[:1].isupper()


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Titles that may precede a name (``data/titles.txt``)."""
    from importlib import resources

    text = resources.files("attribution").joinpath("data/titles.txt").read_text(encoding="utf-8")
    return frozenset(line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip())


# --- text -------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _abbreviation() -> re.Pattern[str]:
    """A text ending in an abbreviation whose full stop does not end a sentence: a title or company word
    of the list, an initial ("J."), a dotted acronym ("U.S.")."""
    listed = "|".join(re.escape(a) for a in ordered("abbreviations"))
    return re.compile(rf"\b(?:{listed}|[A-Z]|(?:[A-Za-z]\.)+[A-Za-z])\.$")


def ends_a_sentence_inside(gap: str) -> bool:
    """Whether a stretch of text ends a sentence inside it ("Mr.", "Lt.", "St.", "J." do not)."""
    for m in re.finditer(r"[.!?](?=\s)", gap):
        if m.group() == "." and _abbreviation().search(gap[:m.end()]):
            continue
        return True
    return False


def word_count(text: str) -> int:
    """Words in a text: runs of letters and digits."""
    return len(re.findall(r"\w+", text))


def count_words(tagged: Iterable[Tagged]) -> int:
    """How many of these words are not punctuation."""
    return sum(1 for w in tagged if w.upos != "PUNCT")
