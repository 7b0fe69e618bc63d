"""Who said it, decided by models trained on data, and how sure they are.

Method: the sieves (:mod:`attribution.speakers.sieves`) propose a speaker for each quote and
:mod:`attribution.speakers.candidates` lists the other entities that could have said it, each described by
features. A gradient-boosted ranker (LambdaMART: Burges, 2010, as LightGBM implements it) orders a quote's
candidates and the first is the speaker -- mention ranking as in coreference (Denis and Baldridge, 2008).
How sure that is comes from a second boosted model, a classifier of "this candidate is the speaker", whose
probability for the chosen candidate is mapped through an isotonic calibration fitted on out-of-fold
predictions (Zadrozny and Elkan, 2002): the quote's ``confidence`` is the probability that its speaker name
is right. ``scripts/train_resolver.py`` fits all three on annotated news and writes them to
``attribution/data/resolver.json``; inference here is NumPy only (:mod:`attribution.speakers.trees`) and
deterministic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from .assembly import Item
from .candidates import candidates
from .context import Context
from .trees import TreeEnsemble

MODEL_FILE = "data/resolver.json"


@dataclass(frozen=True)
class ResolverModel:
    """The candidate ranker, the confidence classifier and its calibration.

    ``names`` are the feature columns both ensembles read; ``calib_x``/``calib_y`` the isotonic map's
    breakpoints (classifier probability -> calibrated probability); ``no_candidate`` the confidence of a
    quote with no candidate at all (it has no name to be right).
    """

    version: str
    names: tuple[str, ...]
    ranker: TreeEnsemble
    scorer: TreeEnsemble
    calib_x: np.ndarray
    calib_y: np.ndarray
    no_candidate: float

    @classmethod
    def from_dict(cls, data: dict) -> ResolverModel:
        """The model from its JSON form (as ``scripts/train_resolver.py`` writes it)."""
        return cls(version=str(data["version"]), names=tuple(data["names"]),
                   ranker=TreeEnsemble.from_dict(data["ranker"]), scorer=TreeEnsemble.from_dict(data["scorer"]),
                   calib_x=np.asarray(data["calibration"]["x"], dtype=np.float64),
                   calib_y=np.asarray(data["calibration"]["y"], dtype=np.float64),
                   no_candidate=float(data["no_candidate"]))

    def matrix(self, feats: list[dict[str, float]]) -> np.ndarray:
        """Feature dicts as rows of the model's columns (features the model does not know are left out)."""
        index = {n: j for j, n in enumerate(self.names)}
        x = np.zeros((len(feats), len(self.names)), dtype=np.float64)
        for i, f in enumerate(feats):
            for name, value in f.items():
                j = index.get(name)
                if j is not None:
                    x[i, j] = value
        return x

    def rank(self, x: np.ndarray) -> np.ndarray:
        """The ranker's score of each candidate (higher: more likely the speaker)."""
        return self.ranker.predict(x)

    def probability(self, x: np.ndarray) -> np.ndarray:
        """The classifier's probability that each candidate is the speaker (before calibration)."""
        return 1.0 / (1.0 + np.exp(-self.scorer.predict(x)))

    def calibrated(self, p: float) -> float:
        """The isotonic map from the classifier's probability to the probability that the name is right."""
        return float(np.interp(p, self.calib_x, self.calib_y))


def reasons(feats: dict[str, float], n: int = 3) -> list[str]:
    """What the article says about the chosen candidate, in the words of its strongest binary features
    (the sieves' own rule, how near it is named, whether it spoke last), for the trace: a reviewer reads
    why the model chose it without opening the model."""
    order = ("rule.rule=", "before.same_sentence", "after_in_sentence", "previous_speaker", "mention_in_name",
             "fuller_name_of_rule", "gender_agrees", "has_title", "before.same_paragraph", "most_mentioned")
    found = [name for prefix in order for name in sorted(feats) if name.startswith(prefix) and feats[name] > 0]
    return found[:n]


@lru_cache(maxsize=1)
def load_model() -> ResolverModel:
    """The shipped model (``attribution/data/resolver.json``)."""
    text = resources.files("attribution").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return ResolverModel.from_dict(json.loads(text))


def resolve_speakers(ctx: Context, items: list[Item], model: ResolverModel | None = None) -> None:
    """Decide every quote's speaker among its candidates and give it a calibrated confidence.

    The candidates of every quote are described first, all against the sieves' decisions (who spoke
    before is who the sieves said, as in training), and scored in one batch; then each quote takes its
    best-ranked candidate (ties go to the earlier: the sieves' choice first). The trace gains
    ``resolver:kept`` or ``resolver:chose-another`` and what the article says for the chosen candidate.
    """
    model = model or load_model()
    pools = candidates(ctx, items)
    rows = [c.features for pool in pools for c in pool]
    if not rows:
        for it in items:
            it.confidence = model.no_candidate
        return
    x = model.matrix(rows)
    rank, prob = model.rank(x), model.probability(x)
    at = 0
    for it, pool in zip(items, pools, strict=True):
        if not pool:
            it.confidence = model.no_candidate
            continue
        best = at + int(np.argmax(rank[at:at + len(pool)]))
        picked = pool[best - at]
        at += len(pool)
        switched = picked.cluster is not it.cluster
        if switched:  # the model overrules the sieves (or fills a quote they left without a speaker)
            it.cluster, it.rule = picked.cluster, "resolver"
        it.confidence = round(model.calibrated(float(prob[best])), 3)
        it.trace.append(f"resolver:{'chose-another' if switched else 'kept'}")
        it.trace += [f"resolver:{r}" for r in reasons(picked.features)]
