"""Which sentences need the part-of-speech tagger and lemmatizer: a test on the written words alone.

Selective parsing (:mod:`attribution.parsing.selection`) reads lemmas and parts of speech to find the sentences
that need a dependency parse; the engine reads them to find cues, names, pronouns and descriptions. But a
sentence that has no word that could be a speech cue, no quotation and no capitalised word holds nothing
the engine acts on: no cue makes a frame there, no quotation is assembled there, and with no name there
is no entity, no role, no gender evidence and no antecedent. Such sentences ("The rent has doubled since
last year.") are left untagged, and so unparsed and without NER. This module finds the others before the
tagger runs, from the tokens alone (:func:`sentences_to_tag`). A sentence is tagged when it has

* a **cue candidate**: a word written as any form of a cue of the lexicon -- a verb of ``data/cues.txt``
  (or the first word of a verb + particle cue) in any regular inflection (:func:`attribution.text.lexicon.
  regular_forms`) or irregular one (``data/words/irregular_verb_forms.tsv``: "said", "told", "wrote"), a
  report noun or its plural, the first word of a source phrase ("according"). Every word the tagged cue
  test of :mod:`attribution.parsing.selection` accepts is written in one of these forms, so the sentences this
  picks are a superset of its anchors (``tests/test_surface_cues.py`` checks it on texts of its own;
  ``scripts/surface_superset.py`` on the dev sets);
* a **quotation**: it overlaps a quotation the engine finds (:func:`attribution.text.quotemarks.find_quotes`)
  or holds a double quotation mark;
* a **capitalised word**: a word with a capital letter anywhere but at the start of the sentence
  ("iPhone" and "US" count); the sentence's first word counts unless the article also writes it in lower
  case elsewhere (so "The", "He", "Police" do not make a sentence named; "Okafor" does);
* a **run-on**: it opens in lower case right after a sentence that ends in a full stop ("… lost 16 lbs.
  | since he started walking"): the tokenizer took an abbreviation for the end of a sentence, and
  reported content may run on into this one (:mod:`attribution.quotes.report_bounds` reads its parts of speech).

A sentence left untagged keeps Stanza's empty tags (no part of speech, no lemma: :class:`attribution.
document.Doc` reads the word itself as its lemma and ``X`` as its part of speech). Should sentence
selection still want a dependency parse there (the context of a pronoun cue), :class:`attribution.
pipeline.Parser` tags it first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..text.lexicon import Lexicon, load_lexicon, regular_forms
from ..text.quotemarks import DOUBLE_CLOSE, DOUBLE_OPEN, find_quotes
from ..wordlists import mapping

_DOUBLE_MARKS = frozenset(DOUBLE_OPEN + DOUBLE_CLOSE + '"')


@dataclass(frozen=True)
class TagPlan:
    """The sentences of one document to tag, and which test picked each."""

    cues: frozenset[int]  # a word written as a form of a cue
    quoted: frozenset[int]  # inside or overlapping a quotation, or holding a double mark
    named: frozenset[int]  # a capitalised word
    total: int
    run_on: frozenset[int] = frozenset()  # opens in lower case after a full stop: a sentence broken in two

    @property
    def tag(self) -> frozenset[int]:
        """Every sentence that needs the tagger and lemmatizer."""
        return self.cues | self.quoted | self.named | self.run_on


def verb_forms(verb: str) -> set[str]:
    """A verb as it may be written: itself, its regular inflections and the irregular ones of the list."""
    irregular = mapping("irregular_verb_forms").get(verb, "")
    return {verb, *regular_forms(verb), *irregular.split()}


def noun_forms(noun: str) -> set[str]:
    """A noun and its plural as it may be written ("statement", "statements"; "speech", "speeches")."""
    forms = {noun, noun + "s", noun + "es"}
    if len(noun) > 2 and noun.endswith("y") and noun[-2] not in "aeiou":
        forms.add(noun[:-1] + "ies")
    return forms


@lru_cache(maxsize=4)
def cue_forms(lex: Lexicon) -> frozenset[str]:
    """Every lower-case written form of a word that may start a cue of ``lex``."""
    forms: set[str] = set()
    for verb in lex.verbs | {v for v, _ in lex.phrasal}:
        forms |= verb_forms(verb)
    for noun in lex.nouns:
        forms |= noun_forms(noun)
    for phrase in lex.source_phrases:
        # the phrase is matched on lemmas or on the words themselves: its first word in any form
        forms |= verb_forms(phrase[0]) | noun_forms(phrase[0])
    return frozenset(forms)


def _word_texts(sentence: Any) -> list[str]:
    """The words of a sentence as written (multi-word tokens both whole and expanded)."""
    out = []
    for tok in sentence.tokens:
        out.append(tok.text)
        if len(tok.words) > 1:
            out.extend(w.text for w in tok.words)
    return out


def _lower_case_words(sentences: Iterable[Any]) -> set[str]:
    """The words an article writes in lower case somewhere: common words, not names."""
    return {tok.text for s in sentences for tok in s.tokens if tok.text.islower()}


def _named(texts: Sequence[str], lower: set[str]) -> bool:
    """A capitalised word, the first word only when the article never writes it in lower case."""
    first = next((k for k, t in enumerate(texts) if any(c.isalpha() for c in t)), None)
    for k, t in enumerate(texts):
        if k == first:
            if t[:1].isupper() and (any(c.isupper() for c in t[1:]) or t.lower() not in lower):
                return True
        elif any(c.isupper() for c in t):
            return True
    return False


def sentences_to_tag(text: str, sentences: Sequence[Any], lexicon: Lexicon | None = None) -> TagPlan:
    """The sentences of one tokenized document that need the tagger (see the module docstring).

    ``sentences`` are Stanza sentences carrying tokens with character offsets; nothing else is read.
    """
    forms = cue_forms(lexicon or load_lexicon())
    quotes = sorted((q.start, q.end) for q in find_quotes(text))
    lower = _lower_case_words(sentences)
    cues: set[int] = set()
    quoted: set[int] = set()
    named: set[int] = set()
    run_on: set[int] = set()
    for si, sent in enumerate(sentences):
        if not sent.tokens:
            continue
        if si and _runs_on(sentences[si - 1], sent):
            run_on.add(si)
        texts = _word_texts(sent)
        if any(t.lower() in forms for t in texts):
            cues.add(si)
        start, end = sent.tokens[0].start_char, sent.tokens[-1].end_char
        if any(qs < end and qe > start for qs, qe in quotes) or any(c in _DOUBLE_MARKS for c in text[start:end]):
            quoted.add(si)
        if _named(texts, lower):
            named.add(si)
    return TagPlan(frozenset(cues), frozenset(quoted), frozenset(named), len(sentences), frozenset(run_on))


def _runs_on(before: Any, sentence: Any) -> bool:
    """Whether ``sentence`` opens with a lower-case word right after ``before`` ended in a full stop."""
    first = sentence.tokens[0].text
    return bool(before.tokens) and before.tokens[-1].text.endswith(".") and first.isalpha() and first.islower()
