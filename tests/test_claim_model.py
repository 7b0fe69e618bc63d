"""The check-worthiness model (attribution.claims.worthiness): shipped weights that load without pickle, a
deterministic NumPy score, a ranking that puts statements of fact above opinions and greetings, and
reasons in plain words. Sentences written for these tests."""

from __future__ import annotations

import zipfile
from importlib import resources

import numpy as np
import pytest

from attribution.claims import worthiness
from attribution.claims.statements import rescore, text_rules
from attribution.claims.worthiness import CLAIM_MODEL_VERSION, DENSE_NAMES, load_model, score_text

FACTS = [
    "The city spent 3.2 million dollars on the new library in 2021.",
    "Unemployment rose to 8 percent last year, the highest level since 1994.",
    "The ministry closed 40 rural schools between 2015 and 2019.",
]
OTHERS = [
    "I think the new library is beautiful.",
    "Thank you all so much for being here tonight.",
    "Good evening and welcome to everyone.",
    "We love this city and its people.",
]


def test_the_weights_are_plain_arrays_of_the_expected_version():
    model = load_model()
    assert model.version == CLAIM_MODEL_VERSION
    path = resources.files("attribution").joinpath(worthiness.MODEL_FILE)
    with path.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)
    with path.open("rb") as fh, zipfile.ZipFile(fh) as zf:  # a zip of .npy arrays, nothing else
        assert all(n.endswith(".npy") for n in zf.namelist())
    assert model.dense_coef.shape == (len(DENSE_NAMES),)
    assert len(model.words.index) > 1000 and len(model.chars.index) > 1000
    assert 0.0 < model.threshold < 1.0


def test_inference_is_deterministic():
    first = [score_text(t) for t in FACTS + OTHERS]
    load_model.cache_clear()
    try:
        again = [score_text(t) for t in FACTS + OTHERS]
    finally:
        load_model.cache_clear()
    assert first == again
    assert [load_model().probability(t) for t in FACTS] == [load_model().probability(t) for t in FACTS]


@pytest.mark.parametrize("fact", FACTS)
@pytest.mark.parametrize("other", OTHERS)
def test_a_statistic_ranks_above_an_opinion_or_a_greeting(fact, other):
    assert score_text(fact).score > score_text(other).score


def test_facts_pass_the_threshold_and_greetings_do_not():
    model = load_model()
    assert all(model.checkworthy(model.probability(t)) for t in FACTS)
    assert not any(model.checkworthy(model.probability(t)) for t in OTHERS[1:3])


def test_reasons_name_what_pushed_the_score():
    assert "a number" in score_text(FACTS[0]).reason
    assert "a percentage" in score_text(FACTS[1]).reason
    assert "an opinion" in score_text(OTHERS[0]).reason
    assert "thanks or a greeting" in score_text(OTHERS[1]).reason
    assert all(1 <= len(score_text(t).reasons) <= 3 for t in FACTS + OTHERS)


def test_scores_are_probabilities_even_for_odd_text():
    for odd in ["", "?", "…", "1 2 3 4 5 6 7 8 9", "x" * 5000, "ﬁnancial ﬁgures\u200b rose"]:
        scored = score_text(odd)
        assert 0.0 <= scored.score <= 1.0 and scored.reason


def test_questions_and_promises_are_not_checkable_whatever_the_score():
    assert text_rules("Did the council really spend 4 million dollars on the bridge in 2021?") == ["a question"]
    assert text_rules("We will cut taxes by 10 percent next year.") == ["a promise or prediction"]
    assert text_rules(FACTS[0]) == []


def test_rescoring_keeps_the_rules_reasons_of_a_claim_not_checkable():
    question = "Did the council spend 4 million dollars on the bridge?"
    score, reason = rescore(question, "a question, a number", checkable=False)
    assert score == score_text(question).score and reason.startswith("a question")
    # A checkable claim keeps nothing of its old reason: it is the model's.
    assert rescore(FACTS[0], "a question", checkable=True) == (score_text(FACTS[0]).score, score_text(FACTS[0]).reason)


def test_features_come_from_the_text_alone():
    values = dict(zip(DENSE_NAMES, worthiness.dense_features(
        "In May the Senate cut 12% of the $4 billion budget, more than it did in 2019."), strict=True))
    assert values["number"] == values["percent"] == values["money"] == values["year"] == 1.0
    assert values["organisation"] == values["comparative"] == 1.0
    assert values["modal"] == 0.0  # "May" the month, not the modal
    assert worthiness.word_terms("Taxes rose 12%") == ["taxes", "rose", "<num>", "%", "taxes rose", "rose <num>",
                                                      "<num> %"]


def test_word_vector_terms_split_clitics_as_the_vectors_vocabulary_does():
    assert worthiness.vector_terms("They don’t know it's 1,200 Canadians!") == [
        "they", "do", "n't", "know", "it", "'s", "1,200", "canadians", "!"]


def test_the_word_vectors_fold_into_one_number_per_word():
    vectors = load_model().vectors
    assert len(vectors.index) > 50_000 and np.isfinite(vectors.score).all()
    assert all(worthiness.VECTOR_TERM.fullmatch(t) for t in list(vectors.index)[:1000])
    # the block's contribution is the mean of the known words' numbers, and nothing for unknown words
    words = ["the", "mayor", "doubled", "spending"]
    assert vectors.contribution("The mayor doubled spending") == pytest.approx(
        float(np.mean([vectors.score[vectors.index[w]] for w in words])))
    assert vectors.contribution("Zqxvw Blorptag") == 0.0
