"""Which sentences need the expensive Stanza processors (dependency parse, NER).

Attribution happens only around quotations and speech cues, so the parser and the tagger run on those
sentences and the context the engine reads when it resolves speakers and pronouns. The cheap processors
(tokenize, mwt, pos, lemma) have already run everywhere, so selection reads lemmas and parts of speech,
the same ones the engine sees.

A sentence is an *anchor* when it overlaps a quotation (:func:`attribution.quotemarks.find_quotes`),
holds a double quote mark, a speech-cue verb, verb + particle or report noun of the lexicon, or a source
phrase ("according to"). Anchors and ``context`` sentences either side of them get both processors
(:attr:`Selection.parse`). Every other sentence that names someone (a proper noun) gets NER only
(:attr:`Selection.ner`): entity mentions anywhere in the article feed speaker clustering, gender, pronoun
antecedents and roles, while frames and subjects matter only around the anchors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .lexicon import Lexicon, load_lexicon
from .quotemarks import DOUBLE_CLOSE, DOUBLE_OPEN, find_quotes

#: Marks that, seen anywhere in a sentence, make it an anchor (straight or curly double quotes).
_DOUBLE_MARKS = frozenset(DOUBLE_OPEN + DOUBLE_CLOSE + '"')
_CUE_UPOS = ("VERB", "AUX", "ADJ")  # as frames._is_cue_verb reads cue candidates


@dataclass(frozen=True)
class Selection:
    """Sentence indices of one document to run the expensive processors on, and why."""

    parse: frozenset[int]  # dependency parse (and NER): anchors and their context
    ner: frozenset[int]  # NER: ``parse`` plus every sentence with a proper noun
    anchors: frozenset[int]
    total: int

    @property
    def selected(self) -> frozenset[int]:
        """Sentences that get any expensive processor."""
        return self.ner


def _span(sentence: Any) -> tuple[int, int]:
    toks = sentence.tokens
    return toks[0].start_char, toks[-1].end_char


def _is_anchor(words: list[Any], lex: Lexicon) -> bool:
    lemmas = [(w.lemma or w.text).lower() for w in words]
    for k, w in enumerate(words):
        lemma = lemmas[k]
        nxt = lemmas[k + 1] if k + 1 < len(words) else ""
        if w.upos in _CUE_UPOS and (lemma in lex.verbs or (lemma, nxt) in lex.phrasal):
            return True
        if lemma in lex.nouns and w.upos in ("NOUN", "PROPN"):
            return True
    texts = [w.text.lower() for w in words]  # "according" is lemmatised "accord": match the words too
    for phrase in lex.source_phrases:
        n = len(phrase)
        if any(tuple(lemmas[k:k + n]) == phrase or tuple(texts[k:k + n]) == phrase
               for k in range(len(lemmas) - n + 1)):
            return True
    return False


def select_sentences(text: str, sentences: Sequence[Any], *, context: int = 1, names: bool = True,
                     parse_names: bool = False, lexicon: Lexicon | None = None) -> Selection:
    """The sentences of one tagged document that need a dependency parse and NER.

    ``sentences`` are Stanza sentences carrying tokens (with character offsets), lemmas and UPOS tags.
    ``names=False`` leaves sentences with names but no anchor nearby untouched; ``parse_names=True`` gives
    them the dependency parse too.
    """
    lex = lexicon or load_lexicon()
    spans = [_span(s) for s in sentences if s.tokens]
    quotes = find_quotes(text)
    anchors: set[int] = set()
    named: set[int] = set()
    for si, sent in enumerate(sentences):
        if not sent.tokens:
            continue
        start, end = spans[si]
        words = sent.words
        if any(q.start < end and q.end > start for q in quotes) or any(c in _DOUBLE_MARKS for c in text[start:end]) \
                or _is_anchor(words, lex):
            anchors.add(si)
        if names and any(w.upos == "PROPN" for w in words):
            named.add(si)
    parse: set[int] = set()
    for si in anchors:
        parse.update(range(max(0, si - context), min(len(sentences), si + context + 1)))
    if parse_names:
        parse |= named
    return Selection(frozenset(parse), frozenset(parse | named), frozenset(anchors), len(sentences))
