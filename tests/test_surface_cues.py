"""Selective tagging: the surface cue test picks the sentences the tagger runs on, before any tagging.

Every text here is written for these tests and goes through the real Stanza pipeline. Each checks one
rule of :mod:`attribution.parsing.surface_cues`, that its picks include every sentence the tagged cue test of
:mod:`attribution.parsing.selection` makes an anchor, and that extraction finds the same quotes whether the
sentences it leaves out are tagged or not.
"""

from __future__ import annotations

import pytest

from attribution import Extractor
from attribution.parsing.pipeline import get_parser
from attribution.parsing.selection import select_sentences
from attribution.parsing.surface_cues import cue_forms, noun_forms, sentences_to_tag, verb_forms
from attribution.text.lexicon import load_lexicon


@pytest.fixture(scope="module")
def parser(models_dir):
    return get_parser(models_dir)


def _index(doc, prefix: str) -> int:
    return next(i for i, s in enumerate(doc.sentences) if s.text.startswith(prefix))


def _tagged(sentence) -> bool:
    return all(w.upos is not None for w in sentence.words)


FLOOD = (
    "Mayor Ines Duarte said the water would peak on Sunday.\n\n"
    "The river rose overnight and the quay was closed.\n\n"
    "Sandbags were stacked along the old wall.\n\n"
    "“We are ready,” a volunteer shouted from the bridge.\n\n"
    "The rain stopped before noon."
)


def test_a_sentence_without_a_cue_a_quotation_or_a_name_is_left_untagged(parser):
    parser.reset_stats()
    (doc,) = parser.parse([FLOOD], mode="selective")
    river, rain = _index(doc, "The river"), _index(doc, "The rain")
    for si in (river, rain):
        sentence = doc.sentences[si]
        assert not _tagged(sentence) and all(w.lemma is None for w in sentence.words)
        assert {(w.head, w.deprel) for w in sentence.words} == {(0, "dep")}  # and unparsed, without NER
        assert all(t.ner == "O" for t in sentence.tokens)
    mayor, quote = _index(doc, "Mayor"), _index(doc, "“We are")
    assert _tagged(doc.sentences[mayor]) and _tagged(doc.sentences[quote])
    assert parser.sentences["pos"] == parser.sentences["total"] - 2


def test_which_test_picks_each_sentence(parser):
    (doc,) = parser.parse([FLOOD], mode="selective")
    plan = sentences_to_tag(FLOOD, doc.sentences)
    mayor, sandbags, quote = _index(doc, "Mayor"), _index(doc, "Sandbags"), _index(doc, "“We are")
    assert mayor in plan.cues and mayor in plan.named  # "said"; "Ines Duarte"
    assert quote in plan.quoted and quote in plan.cues  # the quotation; "shouted"
    # "Sandbags" opens its sentence and the article never writes it in lower case: it may be a name.
    assert sandbags in plan.named
    assert plan.tag == plan.cues | plan.quoted | plan.named
    assert plan.total == len(doc.sentences) and len(plan.tag) == plan.total - 2


def test_a_capitalised_first_word_the_article_also_writes_in_lower_case_is_not_a_name(parser):
    text = ("Police closed the road at dawn.\n\n"
            "The police reopened it later.\n\n"
            "Traffic was light for most of the day.")
    (doc,) = parser.parse([text], mode="full")
    plan = sentences_to_tag(text, doc.sentences)
    assert _index(doc, "Police") not in plan.named  # "police" is written in lower case below
    assert _index(doc, "Traffic") in plan.named  # never in lower case: it might be a name


def test_the_written_forms_of_a_cue():
    assert {"say", "says", "said", "saying"} <= verb_forms("say")
    assert {"write", "wrote", "written", "writes", "writing"} <= verb_forms("write")
    assert {"quip", "quipped", "quips"} <= verb_forms("quip")
    assert {"speech", "speeches"} <= noun_forms("speech") and "replies" in noun_forms("reply")
    forms = cue_forms(load_lexicon())
    assert {"told", "according", "statements", "tweeted", "pointed"} <= forms
    assert "river" not in forms


ANCHORS = (
    "Reyes alleges the contract was never signed.\n\n"
    "According to the ministry, the plan will cost more than expected.\n\n"
    "The company quipped that nothing had changed.\n\n"
    "In a statement, the board repeated its offer.\n\n"
    "The union, meanwhile, called for calm and pointed to the figures.\n\n"
    "Dr. Amara Osei told reporters the clinic would reopen.\n\n"
    "“It is too early,” she wrote on Friday."
)


def test_the_surface_test_picks_every_sentence_the_tagged_cue_test_makes_an_anchor(parser):
    (doc,) = parser.parse([ANCHORS], mode="full")  # every sentence tagged: the tagged test sees them all
    anchors = select_sentences(ANCHORS, doc.sentences).anchors
    plan = sentences_to_tag(ANCHORS, doc.sentences)
    assert len(anchors) >= 6 and anchors <= plan.cues


BAKERY = (
    "Tomas Lind has run the bakery on Mill Street for thirty years.\n\n"
    "The rent has doubled since the spring.\n\n"
    "He said the lease would end in May.\n\n"
    "The ovens are old and the roof leaks.\n\n"
    "“I will not leave,” Lind told the council, which owns the building."
)
NAMELESS = (
    "The rent has doubled since the spring.\n\n"
    "The ovens are old and the roof leaks.\n\n"
    "He said the lease would end in May.\n\n"
    "The shop closes at noon on the weekend."
)


def test_a_sentence_the_parse_needs_is_tagged_even_when_the_surface_test_left_it_out(parser):
    (doc,) = parser.parse([NAMELESS], mode="selective")
    rent, ovens, shop = _index(doc, "The rent"), _index(doc, "The ovens"), _index(doc, "The shop")
    assert {rent, ovens, shop}.isdisjoint(sentences_to_tag(NAMELESS, doc.sentences).tag)
    # "He said" and no one named before it: the sentences before the cue are parsed for its antecedent, so
    # they are tagged first.
    for si in (rent, ovens):
        assert _tagged(doc.sentences[si]) and any(w.deprel.startswith("nsubj") for w in doc.sentences[si].words)
    assert not _tagged(doc.sentences[shop])


@pytest.mark.parametrize("text", [FLOOD, ANCHORS, BAKERY, NAMELESS])
def test_selective_tagging_finds_the_quotes_tagging_everything_finds(models_dir, text):
    fast = Extractor(models_dir, mode="selective").extract(text)
    parser = get_parser(models_dir)
    parser.selective_tagging = False
    try:
        slow = Extractor(models_dir, mode="selective").extract(text)
        full = Extractor(models_dir, mode="full").extract(text)
    finally:
        parser.selective_tagging = True

    def seen(result):
        return [(q.start, q.end, q.speaker, q.cue, q.role, q.affiliation, q.kind) for q in result.quotes]

    assert seen(fast) == seen(slow) == seen(full)
    assert [(e.name, e.type) for e in fast.entities] == [(e.name, e.type) for e in slow.entities]
    assert any(q.speaker for q in fast.quotes) or text is NAMELESS


RUN_ON = (
    "The bakery reopened on Monday.\n\n"
    "Its owner says he has lost 16 lbs. since he started walking to work.\n\n"
    "The ovens are new."
)


def test_a_sentence_the_tokenizer_broke_at_an_abbreviation_is_tagged(parser):
    (doc,) = parser.parse([RUN_ON], mode="selective")
    plan = sentences_to_tag(RUN_ON, doc.sentences)
    run_on = [si for si, s in enumerate(doc.sentences) if s.text.startswith("since")]
    # Where the tokenizer ends a sentence at "lbs.", the reported content runs on into the next one,
    # whose parts of speech the engine reads (to leave its full stop out of the content): it is tagged.
    assert run_on and set(run_on) <= plan.run_on and all(_tagged(doc.sentences[si]) for si in run_on)
    quote = next(q for q in Extractor(mode="selective").extract(RUN_ON).quotes if "16 lbs" in q.content)
    assert quote.content == "he has lost 16 lbs. since he started walking to work"
