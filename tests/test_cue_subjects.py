"""Whose cue it is when the parser gives a cue two subjects (attribution.quotes.frame_sources), through the
real parser. Sentences written for these tests."""

from __future__ import annotations

import pytest

from attribution.engine import read_parse
from attribution.quotes.frames import find_frames
from attribution.text.lexicon import load_lexicon

#: The compact models read the opening "Meanwhile" of these as a second subject of "told".
FRONTED = [
    "Meanwhile, a police source told Reuters the force expects to reopen the bridge “within hours.”",
    "Meanwhile, a rebel commander told AFP the fighters expect to hold the town of Marek “for weeks.”",
]


@pytest.mark.parametrize("text", FRONTED)
def test_an_opening_adverbial_the_parser_made_a_subject_is_not_the_source(extractor, text):
    doc = read_parse(text, extractor.parser.parse([text])[0], load_lexicon())
    assert doc.words[0].deprel == "nsubj"  # the parse error this rule is for
    (frame,) = [f for f in find_frames(doc, load_lexicon(), set(), set()) if f.source is not None]
    assert doc.words[frame.source].text in ("source", "commander")
    assert frame.source_rule == "cue-subject"
