"""The questions the rules ask of a parse, answered once (attribution.text.predicates), and the one cue test
that sentence selection and the engine's frames share."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from attribution.engine import read_parse
from attribution.parsing.selection import select_sentences
from attribution.quotes.frames import find_frames
from attribution.text import predicates
from attribution.text.lexicon import load_lexicon


@dataclass
class W:
    """A tagged word, as the predicates read it."""

    text: str
    lemma: str
    upos: str
    feats: str = ""

    def feat(self, name: str) -> str | None:
        return dict(kv.split("=") for kv in self.feats.split("|") if kv).get(name)


@pytest.mark.parametrize("word, relative", [
    (W("who", "who", "PRON"), True),
    (W("whose", "whose", "DET"), True),
    (W("which", "which", "PRON"), True),
    (W("that", "that", "PRON", "PronType=Rel"), True),
    (W("that", "that", "PRON", "Number=Sing|PronType=Dem"), False),  # "that's what"
    (W("that", "that", "SCONJ"), False),  # "said that …"
    (W("he", "he", "PRON", "PronType=Prs"), False),
])
def test_is_relative_pronoun(word, relative):
    assert predicates.is_relative_pronoun(word) is relative


def test_cue_length():
    lex = load_lexicon()
    assert predicates.cue_length("say", "VERB", "the", lex) == 1
    assert predicates.cue_length("call", "VERB", "for", lex) == 2
    assert predicates.cue_length("say", "AUX", "", lex) == 0
    assert predicates.cue_length("say", "NOUN", "", lex) == 0
    assert predicates.cue_length("eat", "VERB", "", lex) == 0


def test_repaired_tags_read_a_cue_verb_the_tagger_took_for_a_noun():
    lex = load_lexicon()
    texts = ["Reyes", "alleges", "he", "left"]
    lemmas, upos = predicates.repaired_tags(texts, ["reyes", "allege", "he", "leave"],
                                            ["PROPN", "NOUN", "PRON", "VERB"], lex)
    assert upos[1] == "VERB" and lemmas[1] == "allege"


def test_ends_a_sentence_inside():
    assert predicates.ends_a_sentence_inside("the vote. Then")
    assert not predicates.ends_a_sentence_inside("said Mr. Kim and Lt. Ortiz")
    assert not predicates.ends_a_sentence_inside("said J. Doe")


TEXT = ("Mayor Clara Oduya said on Monday that the bridge would reopen. The council, she added, had approved "
        "the money.\n“We are ready,” said the harbour master. According to the ministry, the ferries will run. "
        "Ivo Marsh alleges the tender was rigged. Nobody knew the answer.")


def test_selection_anchors_every_sentence_the_frames_find_a_cue_in(models_dir):
    """Selection and the engine use one cue test: every frame's cue lies in a sentence selection parses."""
    from attribution.parsing.pipeline import get_parser

    doc = get_parser(models_dir).parse([TEXT], mode="full")[0]
    sel = select_sentences(TEXT, doc.sentences)
    parsed = read_parse(TEXT, doc, load_lexicon())
    frames = find_frames(parsed, load_lexicon(), set(), set())
    cue_sentences = {parsed.words[f.cue_first].sent for f in frames if f.source_rule != "signed-paragraph"}
    assert len(cue_sentences) >= 4
    assert cue_sentences <= set(sel.anchors)
    assert len(sel.anchors) < len(doc.sentences)  # the sentence with no cue is not an anchor
