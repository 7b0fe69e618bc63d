"""Measuring the check-worthiness model on a labelled set (``attribution eval-claims``).

The measures are the benchmarks' own (attribution.claims.metrics): ROC AUC and the F1 of the
check-worthy class at the model's threshold, as ClaimBuster reports them (Arslan et al. 2020); mean average
precision over transcripts, as CLEF CheckThat! 2019 Task 1 does (Atanasova et al. 2019), when the file
holds several transcripts. The sentences come bare, without a parse or a quote's cue, so ``checkable`` is
what the text-only rules say (attribution.claims.statements.text_rules: questions, promises and predictions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import metrics
from .datasets import Labelled
from .statements import text_rules
from .worthiness import ClaimModel, load_model


@dataclass(frozen=True)
class Prediction:
    """The model's verdict on one sentence: its probability of being check-worthy, and whether checkable."""

    score: float
    checkable: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the score to six places: enough to rank, short to read)."""
        return {"score": round(self.score, 6), "checkable": self.checkable}


@dataclass(frozen=True)
class ClaimEvaluation:
    """The measures on a labelled set (``map`` is ``None`` for a single transcript), and each sentence's
    prediction in input order."""

    sentences: int
    roc_auc: float | None
    f1: float
    map: float | None
    predictions: tuple[Prediction, ...]

    def to_dict(self) -> dict[str, Any]:
        """The measures as ``{"sentences", "roc_auc", "f1", "map"}``."""
        return {"sentences": self.sentences, "roc_auc": self.roc_auc, "f1": self.f1, "map": self.map}


def predict(texts: Sequence[str], model: ClaimModel | None = None) -> list[Prediction]:
    """The model's prediction for each sentence, in order."""
    model = model or load_model()
    return [Prediction(model.probability(t), not text_rules(t)) for t in texts]


def evaluate_claims(rows: Sequence[Labelled], model: ClaimModel | None = None) -> ClaimEvaluation:
    """Score every sentence and measure the ranking against the labels."""
    model = model or load_model()
    predictions = predict([r.text for r in rows], model)
    labels = [r.label for r in rows]
    scores = [p.score for p in predictions]
    groups = [r.group or "" for r in rows]
    several = len(set(groups)) > 1
    return ClaimEvaluation(
        sentences=len(rows),
        roc_auc=metrics.roc_auc(labels, scores),
        f1=metrics.f1(labels, [model.checkworthy(s) for s in scores]),
        map=metrics.mean_average_precision(labels, scores, groups) if several else None,
        predictions=tuple(predictions),
    )
