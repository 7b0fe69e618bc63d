"""Which sentences selective parsing gives the dependency parser and NER, on the real models.

Every text here is written for the test; each checks one rule of :mod:`attribution.parsing.selection` and that
extraction over the selective parse still finds what the full parse finds.
"""

from __future__ import annotations

import pytest

from attribution import Extractor
from attribution.parsing.pipeline import MAX_PARSE_WORDS, get_parser
from attribution.parsing.selection import select_sentences


@pytest.fixture(scope="module")
def parser(models_dir):
    return get_parser(models_dir)


def _index(doc, prefix: str) -> int:
    return next(i for i, s in enumerate(doc.sentences) if s.text.startswith(prefix))


def _parsed(sentence) -> bool:
    return any(w.deprel != "dep" for w in sentence.words)


QUOTE_THEN_CUE = (
    "The harbour board met on Friday.\n\n"
    "“The ferries will run again in spring. Nobody will lose their job,” Karin Holm, the board's chair, "
    "told reporters on the quay.\n\n"
    "Tickets will cost the same as last year."
)


def test_a_sentence_of_quoted_speech_alone_is_not_parsed(parser):
    (doc,) = parser.parse([QUOTE_THEN_CUE], mode="selective")
    sel = select_sentences(QUOTE_THEN_CUE, doc.sentences)
    first = _index(doc, "“The ferries")
    cue = next(i for i, s in enumerate(doc.sentences) if "told" in s.text)
    assert cue in sel.anchors and cue in sel.parse
    assert first not in sel.anchors and first not in sel.parse  # quoted speech, its cue elsewhere
    assert not _parsed(doc.sentences[first]) and _parsed(doc.sentences[cue])
    # The old rule (every quoted sentence an anchor) is still there for whoever wants it.
    assert first in select_sentences(QUOTE_THEN_CUE, doc.sentences, quotes=True).anchors


PRONOUN = (
    "Tomas Lind has run the bakery on Mill Street for thirty years.\n\n"
    "He said the rent had doubled since January.\n\n"
    "The street is quiet in the mornings.\n\n"
    "Officials at the council said they would review the lease."
)


def test_the_sentence_before_a_pronoun_source_is_parsed(parser):
    (doc,) = parser.parse([PRONOUN], mode="selective")
    sel = select_sentences(PRONOUN, doc.sentences)
    bakery, he, street, council = (_index(doc, p) for p in ("Tomas", "He said", "The street", "Officials"))
    assert {he, council} <= sel.anchors
    assert bakery in sel.parse  # "He said": the antecedent's subjecthood is read off this parse
    # "they would review": a pronoun outside quotations, so the same rule: the sentence naming someone is
    # parsed, not the ones between it and the cue (unless asked for)
    assert street not in sel.parse and bakery in sel.parse
    assert street in select_sentences(PRONOUN, doc.sentences, between=True).parse
    assert bakery in sel.ner and any(w.deprel == "nsubj" for w in doc.sentences[bakery].words)
    full = Extractor(mode="full").extract(PRONOUN).quotes
    selective = Extractor(mode="selective").extract(PRONOUN).quotes
    assert [(q.start, q.end, q.speaker) for q in selective] == [(q.start, q.end, q.speaker) for q in full]
    assert any(q.speaker == "Tomas Lind" for q in selective)


NAMED = (
    "The river rose overnight.\n\n"
    "Sandbags were stacked along the quay.\n\n"
    "Mayor Ines Duarte said the water would peak on Sunday."
)


def test_a_named_source_needs_no_context(parser):
    (doc,) = parser.parse([NAMED], mode="selective")
    sel = select_sentences(NAMED, doc.sentences)
    cue, before = _index(doc, "Mayor"), _index(doc, "Sandbags")
    assert sel.parse == {cue}
    assert before not in sel.selected and not _parsed(doc.sentences[before])
    assert select_sentences(NAMED, doc.sentences, context=1).parse >= {before, cue}


INSIDE_QUOTES = (
    "“I told them we would say no to the plan,” wrote the columnist Pia Berg in her weekly piece.\n\n"
    "“They said nothing back.”\n\n"
    "The plan was approved by the council in June, according to the minutes."
)


def test_cues_inside_quotations_are_not_anchors(parser):
    (doc,) = parser.parse([INSIDE_QUOTES], mode="selective")
    sel = select_sentences(INSIDE_QUOTES, doc.sentences)
    wrote, back, minutes = (_index(doc, p) for p in ("“I told", "“They said", "The plan"))
    assert wrote in sel.anchors  # "wrote" stands outside the marks
    assert back not in sel.anchors  # "said" only inside them: no frame can come of it
    assert minutes in sel.anchors  # "according to"


def test_an_overlong_sentence_is_not_given_to_the_parser(parser):
    words = ["the", "harbour", "council", "said", "that", "ferry", "crossings", "would", "resume", "and"]
    long = " ".join(words[i % len(words)] for i in range(MAX_PARSE_WORDS + 20)) + "."
    text = long + "\n\nShe said the vote was close."
    for mode in ("full", "selective"):
        parser.reset_stats()
        (doc,) = parser.parse([text], mode=mode)
        assert len(doc.sentences[0].words) > MAX_PARSE_WORDS
        assert {(w.head, w.deprel) for w in doc.sentences[0].words} == {(0, "dep")}
        assert _parsed(doc.sentences[-1])  # the normal sentence after it is parsed as usual
        assert parser.sentences["too_long"] == 1
