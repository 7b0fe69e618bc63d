"""The learned speaker resolver (issue 23): candidates, the NumPy tree ensembles, the shipped model, and a
confidence that is a probability, the same for an article alone or in a batch. Texts are written here."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from attribution.speakers.resolver import ResolverModel, load_model
from attribution.speakers.trees import TreeEnsemble, flatten
from attribution.types import Article
from tests.conftest import ROOT

TEXTS = {
    "named": "“We will rebuild the bridge before winter,” said Mayor Clara Oduya of Norwell.",
    "two": ("Harbour master Ingrid Solberg said the pier would reopen on Friday.\n"
            "Fisherman Tomas Brenner disagreed. “Nobody has checked the pilings since the storm,” Brenner said.\n"
            "“We will check them ourselves if we have to.”"),
    "pronoun": ("Councillor Maria Santos opened the budget meeting on Tuesday.\n"
                "“The budget is balanced for the first time in a decade,” she said."),
}


def _dump(*trees: dict) -> dict:
    return {"tree_info": [{"tree_structure": t} for t in trees]}


def test_trees_walk_as_lightgbm_splits():
    """Left when the value is at most the threshold; a one-leaf tree adds its value to every row."""
    split = {"split_feature": 0, "threshold": 0.5, "decision_type": "<=",
             "left_child": {"leaf_index": 0, "leaf_value": 1.0},
             "right_child": {"split_feature": 1, "threshold": 2.0, "decision_type": "<=",
                             "left_child": {"leaf_index": 1, "leaf_value": -1.0},
                             "right_child": {"leaf_index": 2, "leaf_value": 3.0}}}
    ensemble = TreeEnsemble.from_dict(flatten(_dump(split, {"leaf_value": 0.25})))
    x = np.array([[0.5, 9.0], [0.6, 2.0], [0.6, 2.5]])
    assert ensemble.predict(x).tolist() == [1.25, -0.75, 3.25]


def test_a_split_the_evaluator_cannot_read_is_refused():
    bad = {"split_feature": 0, "threshold": 1.0, "decision_type": "==",
           "left_child": {"leaf_value": 1.0}, "right_child": {"leaf_value": 0.0}}
    with pytest.raises(ValueError, match="unsupported split"):
        flatten(_dump(bad))


def test_the_shipped_model_loads_as_data():
    """Weights are JSON in the package (no pickle), with a monotone calibration inside [0, 1]."""
    path = ROOT / "attribution" / "data" / "resolver.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    model = load_model()
    assert model.version == data["version"] and len(model.names) == len(set(model.names)) > 20
    assert np.all(np.diff(model.calib_x) >= 0) and np.all(np.diff(model.calib_y) >= 0)
    assert model.calib_y.min() >= 0.0 and model.calib_y.max() <= 1.0
    assert 0.0 < model.no_candidate < 0.5


def test_unknown_features_are_ignored_and_missing_ones_are_zero():
    model = load_model()
    x = model.matrix([{"is_rule": 1.0, "no such feature": 5.0}, {}])
    assert x.shape == (2, len(model.names)) and x[1].sum() == 0
    assert x[0, model.names.index("is_rule")] == 1.0 and x[0].sum() == 1.0


@pytest.fixture(scope="module")
def alone(extractor):
    return {k: extractor.extract(Article(id=k, text=t)) for k, t in TEXTS.items()}


def test_every_quote_has_a_probability_and_the_resolver_in_its_trace(alone):
    for result in alone.values():
        assert result.quotes
        for q in result.quotes:
            assert 0.0 <= q.confidence <= 1.0
            assert any(step.startswith("resolver:") for step in q.rule_trace), q.rule_trace


def test_a_speaker_named_beside_the_quote_is_trusted(alone):
    (q,) = alone["named"].quotes
    assert q.speaker == "Clara Oduya"
    assert q.confidence >= 0.8


def test_two_people_keep_their_own_quotes(alone):
    by_speaker = {q.content[:20]: q.speaker for q in alone["two"].quotes}
    assert by_speaker["the pier would reope"] == "Ingrid Solberg"
    assert by_speaker["Nobody has checked t"] == "Tomas Brenner"
    assert by_speaker["We will check them o"] == "Tomas Brenner"


def test_alone_or_in_a_batch_the_output_is_the_same(extractor, alone):
    batch = {r.article.id: r for r in extractor.extract_many(Article(id=k, text=t) for k, t in TEXTS.items())}
    for key, result in alone.items():
        assert [q.to_dict() for q in batch[key].quotes] == [q.to_dict() for q in result.quotes]


def test_a_model_with_no_candidate_knowledge_falls_back_to_the_sieves(extractor):
    """A ranker that scores every candidate alike keeps the sieves' choice (ties go to it)."""
    from attribution.engine import attribute
    from attribution.speakers.resolver import resolve_speakers

    flat = {"feature": [], "threshold": [], "left": [], "right": [], "roots": [-1], "leaf_value": [0.0]}
    model = ResolverModel.from_dict({"version": "flat", "names": ["is_rule"], "ranker": flat, "scorer": flat,
                                     "calibration": {"x": [0.0, 1.0], "y": [0.2, 0.8]}, "no_candidate": 0.01})
    parsed = extractor.parser.parse([TEXTS["two"]])[0]
    ctx, items = attribute(TEXTS["two"], parsed)
    before = [it.cluster for it in items]
    resolve_speakers(ctx, items, model)
    assert [it.cluster for it in items] == before
    assert {it.confidence for it in items if it.cluster is not None} == {0.5}  # sigmoid(0), then the map


def test_reviewers_corrections_become_training_rows(tmp_path, models_dir, monkeypatch):
    """``scripts/train_resolver.py`` reads an exported corrections file like the gold it trains on: the
    candidate named by the correction is the positive row of its quote."""
    text = TEXTS["two"]
    start = text.index("Nobody")
    end = text.index("storm,") + len("storm,")
    gold = {"id": "review-1", "text": text, "source": "review", "quotes": [
        {"start": start, "end": end, "content": text[start:end], "kind": "direct", "speaker": "Tomas Brenner",
         "speaker_type": "PERSON", "review": "corrected"}]}
    path = tmp_path / "corrections.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    monkeypatch.setenv("ATTRIBUTION_MODELS", str(models_dir))
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    sys.modules.pop("train_resolver", None)
    import dev_eval
    import train_resolver

    monkeypatch.setattr(dev_eval, "CACHE", tmp_path / "cache")
    rows, empty = train_resolver.load_rows(train_resolver.articles([path], workers=1))
    assert empty == 0 and rows
    assert [r["label"] for r in rows].count(True) == 1
    assert next(r for r in rows if r["label"])["features"]["is_rule"] == 1.0


def test_a_fuller_name_of_the_sieves_choice_is_a_candidate(extractor):
    """"Ferraro said" where the article names "Lucia Ferraro" in a span the sieves did not join: the fuller
    name is among the candidates, marked as such."""
    from attribution.engine import attribute
    from attribution.speakers.candidates import candidates

    text = ("Harbour pilot Lucia Ferraro has worked the estuary for twenty years.\n"
            "“The channel has never been this shallow,” Ferraro said on Monday.")
    ctx, items = attribute(text, extractor.parser.parse([text])[0])
    (pool,) = [p for it, p in zip(items, candidates(ctx, items), strict=True) if "shallow" in text[it.start:it.end]]
    names = [c.cluster.name for c in pool]
    assert "Lucia Ferraro" in names
    assert pool[0].features["is_rule"] == 1.0 and all(c.features["is_rule"] == 0.0 for c in pool[1:])


def test_a_name_in_a_photo_credit_is_no_candidate(extractor):
    """"(Mara Quell / Harbour Courier)" credits a photographer and an outlet: neither is offered as the
    speaker of a quote next to it."""
    from attribution.engine import attribute
    from attribution.speakers.candidates import candidates

    text = ("Crews cleared the last of the debris from the harbour road on Tuesday.\n"
            "(Mara Quell / Harbour Courier)\n"
            "Dock manager Ines Varga said the road would stay closed. “We need another week,” she said.")
    ctx, items = attribute(text, extractor.parser.parse([text])[0])
    assert any(e.text == "Mara Quell" for e in ctx.doc.ents)  # the credit is named, and so an entity
    (pool,) = [p for it, p in zip(items, candidates(ctx, items), strict=True) if "closed" in text[it.start:it.end]]
    names = {c.cluster.name for c in pool}
    assert "Ines Varga" in names and not names & {"Mara Quell", "Harbour Courier"}
