"""The Stanza seam: selective parsing against the full pipeline, on the real models."""

from __future__ import annotations

import pytest

from attribution.parsing.document import Doc
from attribution.parsing.pipeline import get_parser, resolve_mode
from attribution.parsing.selection import select_sentences

ARTICLE = (
    "The council met on Tuesday to discuss the budget.\n\n"
    "The weather was mild and the room was full.\n\n"
    "Nothing was decided before lunch, and the coffee ran out early.\n\n"
    "The meeting then moved to the second floor.\n\n"
    "“We will not raise taxes this year,” said Mayor Ana Ruiz, who chairs the council.\n\n"
    "She added that the library would stay open on Sundays."
)


@pytest.fixture(scope="module")
def parser(models_dir):
    return get_parser(models_dir)


def test_selective_parses_only_where_attribution_can_happen(parser):
    parser.reset_stats()
    (doc,) = parser.parse([ARTICLE], mode="selective")
    sel = select_sentences(ARTICLE, doc.sentences)
    texts = [s.text for s in doc.sentences]
    quote = next(i for i, t in enumerate(texts) if t.startswith("“We will"))
    weather = next(i for i, t in enumerate(texts) if t.startswith("The weather"))
    assert quote in sel.anchors and quote + 1 in sel.anchors  # "added" is a cue
    assert weather not in sel.selected  # no name, no cue, no quote, not next to one
    assert parser.sentences["parsed"] < parser.sentences["total"]
    # A skipped sentence looks parsed but flat: every word a "dep" of the root, no entities.
    assert {(w.head, w.deprel) for w in doc.sentences[weather].words} == {(0, "dep")}
    assert all(t.ner == "O" for t in doc.sentences[weather].tokens)
    # A selected one has its real parse and entities.
    assert any(w.deprel == "nsubj" for w in doc.sentences[quote].words)
    assert any(e.type in ("PER", "PERSON") and "Ruiz" in e.text for e in doc.ents)
    Doc(ARTICLE, doc)  # the engine's view accepts the mix
    assert {"tokenize", "pos", "lemma", "depparse", "ner", "selection"} <= set(parser.stage_seconds)


def test_selective_and_full_find_the_same_quotes(models_dir):
    from attribution import Extractor

    full = Extractor(models_dir, mode="full").extract(ARTICLE).quotes
    selective = Extractor(models_dir, mode="selective").extract(ARTICLE).quotes
    assert [(q.start, q.end, q.speaker, q.cue) for q in selective] == [(q.start, q.end, q.speaker, q.cue) for q in full]
    assert any(q.speaker and "Ruiz" in q.speaker for q in full)


def test_mode_comes_from_argument_then_environment(monkeypatch):
    monkeypatch.delenv("ATTRIBUTION_PARSE_MODE", raising=False)
    assert resolve_mode() == "selective"
    monkeypatch.setenv("ATTRIBUTION_PARSE_MODE", "full")
    assert resolve_mode() == "full"
    assert resolve_mode("selective") == "selective"
    with pytest.raises(ValueError, match="unknown parse mode"):
        resolve_mode("fast")
