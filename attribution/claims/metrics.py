"""Measures of a check-worthiness ranking, in NumPy: ROC AUC, F1 of the positive class, average precision
and its mean over transcripts (MAP).

These are the measures of the two public benchmarks: ClaimBuster reports ROC AUC and the F1 of the
check-worthy class (Arslan et al. 2020); CLEF CheckThat! 2019 Task 1 ranks each transcript's sentences and
scores the ranking by average precision, averaged over transcripts (Atanasova et al. 2019). Ties are
handled as scikit-learn does (AUC: a tied pair counts one half; AP: a block of tied scores is one step).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _arrays(labels: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError("labels and scores must be two sequences of the same length")
    return y, s


def roc_auc(labels: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray) -> float | None:
    """Area under the ROC curve: the probability that a random positive outranks a random negative (ties
    count one half), by the Mann-Whitney rank sum. ``None`` when one class is absent."""
    y, s = _arrays(labels, scores)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_scores = s[order]
    # Average ranks over ties: each block of equal scores shares the mean of its ranks.
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_scores)) + 1]
    ends = np.r_[starts[1:], len(s)]
    for start, end in zip(starts, ends, strict=True):
        ranks[order[start:end]] = (start + end + 1) / 2.0
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2.0) / (positives * negatives))


def f1(labels: Sequence[int] | np.ndarray, predicted: Sequence[bool] | np.ndarray) -> float:
    """F1 of the positive class: the harmonic mean of its precision and recall (0 when nothing is right)."""
    y = np.asarray(labels, dtype=bool)
    p = np.asarray(predicted, dtype=bool)
    true_positives = int((y & p).sum())
    if true_positives == 0:
        return 0.0
    return 2.0 * true_positives / (int(y.sum()) + int(p.sum()))


def average_precision(labels: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray) -> float | None:
    """Average precision of the ranking by descending score: the mean, over the positives, of the precision
    at each one's rank (a block of tied scores is taken at once). ``None`` without positives."""
    y, s = _arrays(labels, scores)
    positives = int(y.sum())
    if positives == 0:
        return None
    order = np.argsort(-s, kind="mergesort")
    y, s = y[order], s[order]
    # The last index of each block of tied scores: precision and recall are read only there.
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    hits = np.cumsum(y)[last]
    precision = hits / (last + 1)
    recall_step = np.diff(np.r_[0, hits]) / positives
    return float(np.sum(recall_step * precision))


def mean_average_precision(labels: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray,
                           groups: Sequence[str]) -> float | None:
    """Average precision per group (transcript), averaged over the groups that have a positive (CLEF
    CheckThat! 2019 Task 1). ``None`` when no group has one."""
    y, s = _arrays(labels, scores)
    keys = np.asarray(groups)
    values = [average_precision(y[keys == g], s[keys == g]) for g in dict.fromkeys(keys.tolist())]
    found = [v for v in values if v is not None]
    return float(np.mean(found)) if found else None
