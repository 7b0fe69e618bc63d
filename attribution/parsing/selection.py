"""Which sentences need the expensive Stanza processors (dependency parse, NER).

The dependency parse is most of the cost of extraction, and the engine needs it in few places. What it
reads from the parse (``head``/``deprel``), by module:

* :mod:`attribution.quotes.frames` -- the source and content of a speech cue: the cue's subject, passive agent,
  clausal complement and the like, all inside the cue's own sentence. Cues are the words that
  :func:`attribution.text.predicates.cue_length` accepts (the one cue test the frames use too): a cue verb,
  verb + particle or "according to", outside quotation marks (a cue inside a quotation never makes a
  frame);
* :mod:`attribution.speakers.sieves` and :mod:`attribution.speakers.coreference` -- whether an antecedent candidate of a
  pronoun is a subject, the mention a source word stands for (its subtree, appositions, conjuncts; again
  the cue's sentence), and nominal subjects ("the mayor", "officials") registered as mentions anywhere;
* :mod:`attribution.roles.stated` and :mod:`attribution.speakers.entities` -- "led by" subjects and relational nouns
  ("the wife of X"); both mostly read word order and parts of speech;
* :mod:`attribution.claims.statements` -- the root of a quoted sentence (imperatives).

So a sentence is an *anchor*, and gets the parse, when it holds a cue as above, a report noun of the
lexicon ("in a statement") or a source phrase. When an anchor's cue may take a pronoun as its source
("he said"), the ``pronoun_context``-th sentence before it that names someone is parsed too: the engine
prefers an antecedent that is a subject, and that is read off the parse. A sentence that is only quoted
speech, with its cue in another sentence, is not parsed (``quotes=True`` parses those too); nor are the
neighbours of anchors unless ``context`` says so. Measured on GGT and PolNeAR dev against parsing
everything, this keeps F1 at both overlaps and speaker-name accuracy (see docs/scaling.md), and parses
about half the sentences.

NER runs on every parsed sentence and every sentence with a proper noun (:attr:`Selection.ner`): entity
mentions anywhere in the article feed speaker clustering, gender, pronoun antecedents and the roles that
are stored for everyone the article names. (The pipeline then leaves out the ones without a capitalised
word: see :mod:`attribution.parsing.surface_cues`.)

The tagger and lemmatizer have run before selection on every sentence that may matter (see
:mod:`attribution.parsing.surface_cues`; the others have no cue, so they cannot be anchors): selection reads
lemmas and parts of speech, the same ones the engine reads, so it finds exactly the cues the engine
would.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import wordlists
from ..text.lexicon import Lexicon, load_lexicon
from ..text.predicates import cue_length, is_source_phrase_at, repaired_tags
from ..text.quotemarks import DOUBLE_CLOSE, DOUBLE_OPEN, QuoteSpan, find_quotes

#: Marks that make a sentence quoted speech for ``quotes=True`` (straight or curly double quotes).
_DOUBLE_MARKS = frozenset(DOUBLE_OPEN + DOUBLE_CLOSE + '"')


@dataclass(frozen=True)
class Selection:
    """Sentence indices of one document to run the expensive processors on, and why."""

    parse: frozenset[int]  # dependency parse (and NER): anchors and the context they need
    ner: frozenset[int]  # NER: ``parse`` plus every sentence with a proper noun
    anchors: frozenset[int]
    total: int

    @property
    def selected(self) -> frozenset[int]:
        """Sentences that get any expensive processor."""
        return self.ner


def _token_spans(sentence: Any) -> list[tuple[int, int]]:
    """Character span of each word (multi-word tokens share their token's span)."""
    return [(tok.start_char, tok.end_char) for tok in sentence.tokens for _ in tok.words]


class _Quoted:
    """Whether a character span lies inside a quotation, as the engine's ``quoted`` word set has it."""

    def __init__(self, quotes: list[QuoteSpan]):
        self.quotes = sorted(quotes, key=lambda q: q.start)
        self.starts = [q.start for q in self.quotes]

    def __contains__(self, span: tuple[int, int]) -> bool:
        start, end = span
        k = bisect_right(self.starts, start)
        # Quotations may nest (a single-marked one inside a double-marked one): check every opener before.
        return any(q.end >= end for q in self.quotes[:k])


def _cue_words(words: list[Any], spans: list[tuple[int, int]], quoted: _Quoted, lex: Lexicon) -> list[int]:
    """Indices of the words that start a speech frame or name a report, outside quotations: the cue test
    of :mod:`attribution.text.predicates` that the engine's frames use, on the same repaired tags, plus the
    report nouns and source phrases of the lexicon."""
    texts = [w.text.lower() for w in words]
    lemmas, upos = repaired_tags([w.text for w in words], [(w.lemma or w.text).lower() for w in words],
                                 [w.upos for w in words], lex)
    out = []
    for k in range(len(words)):
        nxt = lemmas[k + 1] if k + 1 < len(words) else ""
        cue = cue_length(lemmas[k], upos[k], nxt, lex) > 0 or (
            upos[k] in ("NOUN", "PROPN") and lemmas[k] in lex.nouns) or is_source_phrase_at(lemmas, texts, k, lex)
        if cue and spans[k] not in quoted:
            out.append(k)
    return out


def _pronoun_source(words: list[Any], spans: list[tuple[int, int]], quoted: _Quoted) -> bool:
    """A pronoun the engine would resolve, outside quotations ("he said", "“…,” she added")."""
    resolved = wordlists.words("resolved_pronouns")
    return any(w.upos == "PRON" and (w.lemma or w.text).lower() in resolved and spans[k] not in quoted
               for k, w in enumerate(words))


def _lookback(named: list[bool], si: int, wanted: int, limit: int, between: bool = False) -> range:
    """Sentences before ``si`` back to the ``wanted``-th one with a name, at most ``limit`` back.

    Without ``between``, only that named sentence when there is one: the sentences between it and ``si``
    name no one, and parsing them changed no speaker on the dev sets (GGT, PolNeAR, conflict: the same
    F1 and speaker names, 7% fewer sentences parsed).
    """
    first, seen = si, 0
    while first > 0 and si - first < limit and seen < wanted:
        first -= 1
        seen += named[first]
    if not between and seen >= wanted:
        return range(first, first + 1)
    return range(first, si)


def select_sentences(text: str, sentences: Sequence[Any], *, context: int = 0, pronoun_context: int = 1,
                     lookback: int = 4, between: bool = False, before_quotes: bool = True, quotes: bool = False,
                     names: bool = True, parse_names: bool = False, lexicon: Lexicon | None = None) -> Selection:
    """The sentences of one tagged document that need a dependency parse and NER.

    ``sentences`` are Stanza sentences carrying tokens (with character offsets), lemmas and UPOS tags.
    ``context`` sentences either side of every anchor are parsed too. Before an anchor with a resolvable
    pronoun outside quotations, the ``pronoun_context``-th sentence back that names someone (at most
    ``lookback`` back) is parsed: where the antecedent is (``between=True``: the sentences between it and
    the anchor too; when none names anyone, all ``lookback`` are). With ``before_quotes``, the narrative
    sentence right before a quotation is parsed when it names someone (its subject may be the speaker of
    a quotation without a cue). ``quotes=True`` makes every sentence overlapping a quotation (or holding a
    double mark) an anchor. ``names=False`` leaves sentences with names but nothing to parse untouched;
    ``parse_names=True`` gives them the dependency parse too.
    """
    lex = lexicon or load_lexicon()
    spans_q = find_quotes(text)
    quoted = _Quoted(spans_q)
    anchors: set[int] = set()
    parse: set[int] = set()
    propn = [any(w.upos == "PROPN" for w in s.words) for s in sentences]
    pronoun_anchors: list[int] = []
    ends = [s.tokens[-1].end_char if s.tokens else -1 for s in sentences]
    for si, sent in enumerate(sentences):
        if not sent.tokens:
            continue
        words = sent.words
        spans = _token_spans(sent)
        if _cue_words(words, spans, quoted, lex):
            anchors.add(si)
            if _pronoun_source(words, spans, quoted):
                pronoun_anchors.append(si)
        elif quotes:
            start, end = sent.tokens[0].start_char, ends[si]
            if any(q.start < end and q.end > start for q in spans_q) or any(
                    c in _DOUBLE_MARKS for c in text[start:end]):
                anchors.add(si)
    for si in pronoun_anchors:
        parse.update(_lookback(propn, si, pronoun_context, lookback, between))
    if before_quotes:
        for q in spans_q:
            # the sentence ending last before the opening mark: the narrative the quotation follows
            si = bisect_right(ends, q.start) - 1
            if si >= 0 and propn[si] and not any(
                    q2.start < ends[si] and q2.end > sentences[si].tokens[0].start_char for q2 in spans_q):
                parse.add(si)
    for si in anchors:
        parse.update(range(max(0, si - context), min(len(sentences), si + context + 1)))
    named = {si for si, has in enumerate(propn) if has} if names else set()
    if parse_names:
        parse |= named
    return Selection(frozenset(parse), frozenset(parse | named), frozenset(anchors), len(sentences))
