"""ROC AUC, F1, average precision and MAP in NumPy (attribution.claims.metrics), on rankings small
enough to work out by hand."""

from __future__ import annotations

import pytest

from attribution.claims.metrics import average_precision, f1, mean_average_precision, roc_auc


def test_roc_auc_counts_pairs_in_order_and_ties_as_half():
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]) == 0.0
    # Positives at 0.5 and 0.9, negatives at 0.5 and 0.1: pairs (0.9>0.5), (0.9>0.1), (0.5=0.5 half), (0.5>0.1).
    assert roc_auc([1, 1, 0, 0], [0.5, 0.9, 0.5, 0.1]) == pytest.approx(3.5 / 4)
    assert roc_auc([1, 1], [0.3, 0.4]) is None


def test_f1_of_the_positive_class():
    assert f1([1, 1, 0, 0], [True, False, True, False]) == pytest.approx(0.5)
    assert f1([1, 0], [False, False]) == 0.0
    assert f1([1, 1, 0], [True, True, False]) == 1.0


def test_average_precision_reads_precision_at_each_positive():
    # Ranked: pos, neg, pos -> (1/1 + 2/3) / 2.
    assert average_precision([1, 0, 1], [0.9, 0.8, 0.7]) == pytest.approx((1 + 2 / 3) / 2)
    # A block of tied scores is taken at once: both at rank 2 -> precision 1/2 for the one positive.
    assert average_precision([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    assert average_precision([0, 0], [0.5, 0.4]) is None


def test_map_averages_over_transcripts_with_a_positive():
    labels = [1, 0, 0, 1, 0, 0]
    scores = [0.9, 0.1, 0.2, 0.1, 0.9, 0.8]
    groups = ["a", "a", "a", "b", "b", "c"]
    assert mean_average_precision(labels, scores, groups) == pytest.approx((1.0 + 1 / 2) / 2)


def test_lengths_must_match():
    with pytest.raises(ValueError):
        roc_auc([1, 0], [0.5])


def test_same_figures_as_scikit_learn_on_a_random_ranking_with_ties():
    metrics = pytest.importorskip("sklearn.metrics")
    import numpy as np

    rng = np.random.default_rng(7)
    labels = rng.integers(0, 2, 500)
    scores = np.round(rng.random(500) + labels * 0.3, 1)  # rounded: many ties
    assert roc_auc(labels, scores) == pytest.approx(metrics.roc_auc_score(labels, scores))
    assert average_precision(labels, scores) == pytest.approx(metrics.average_precision_score(labels, scores))
    assert f1(labels, scores >= 0.7) == pytest.approx(metrics.f1_score(labels, scores >= 0.7))
