#!/usr/bin/env python3
"""Train the speaker resolver and its calibration, and write them to ``attribution/data/resolver.json``.

    .venv/bin/python scripts/train_resolver.py [--train FILE ...] [--corrections FILE ...] [--out FILE]
                                               [--folds 5] [--check]

Training data: gold files in the ``attribution-gold/1`` format with resolved speakers, by default
``../shared/gold/train/polnear-named-train.jsonl``; ``--corrections`` adds the speaker corrections a
newsroom's reviewers made (``attribution export corrections``), so that its own reviews teach its model.
Each article is parsed (once: parses are cached in ``.cache/devparse``, as ``scripts/dev_eval.py`` does),
its quotes are attributed by the sieves (:func:`attribution.engine.attribute`), and every candidate of a
quote that matches a gold quote (overlap > 0.3 of the gold quote, as ``score.py`` matches) is labelled by
whether its name names the gold speaker (:func:`attribution.evaluation.name_matches`).

Models: two LightGBM ensembles over the candidates' features -- a LambdaMART ranker that picks the
speaker among a quote's candidates, and a binary classifier whose probability for the picked candidate
says how sure that is -- then isotonic regression of "the picked name is right" on that probability,
fitted on out-of-fold predictions (folds grouped by article), so that the confidence is learned from
articles the models did not see. LightGBM runs deterministic (one thread, fixed seed): the same data gives
the same trees. Every figure printed is out-of-fold.

``--check`` retrains and fails if the result differs from the file shipped (reproducibility).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from attribution.engine import attribute  # noqa: E402
from attribution.evaluation import load_gold, name_matches  # noqa: E402
from attribution.results import speaker_name  # noqa: E402
from attribution.speakers.candidates import candidates  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
#: Every file with resolved speakers: the PolNeAR train articles and the three dev sets (whose figures are
#: then reported out of fold, ``--dev-pred``). The seed article is left out: it is the README's example.
DEFAULT_TRAIN = [GOLD / "train" / "polnear-named-train.jsonl", GOLD / "dev" / "ggt-dev.jsonl",
                 GOLD / "dev" / "conflict-dev.jsonl", GOLD / "dev" / "polnear-named-dev.jsonl"]
OUT = ROOT / "attribution" / "data" / "resolver.json"
VERSION = "resolver-1"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matched_gold(items: list[Any], gold_quotes: list[dict]) -> dict[int, dict]:
    """Item index -> the gold quote it stands for: each gold quote's best-overlapping item, if the overlap
    is more than 0.3 of the gold quote (score.py's matching); gold quotes without a resolved speaker skip."""
    out: dict[int, dict] = {}
    for g in gold_quotes:
        if not g.get("speaker") or g.get("required") is False:
            continue
        glen = max(1, g["end"] - g["start"])
        best = max(range(len(items)), key=lambda k: _overlap((g["start"], g["end"]), (items[k].start, items[k].end)),
                   default=None)
        if best is not None and _overlap((g["start"], g["end"]), (items[best].start, items[best].end)) / glen > 0.3:
            out.setdefault(best, g)
    return out


def document_rows(doc_id: str, gold: dict, stanza_doc: Any) -> tuple[list[dict], int]:
    """Rows (one per candidate of a matched quote) of one article, and its matched quotes with no candidate."""
    found = attribute(gold["text"], stanza_doc)
    if found is None:
        return [], 0
    ctx, items = found
    rows, empty = [], 0
    pools = candidates(ctx, items)
    for k, g in sorted(matched_gold(items, gold["quotes"]).items()):
        cands = pools[k]
        if not cands:
            empty += 1
            continue
        for n, c in enumerate(cands):
            rows.append({"doc": doc_id, "quote": f"{doc_id}#{k}", "n": n, "features": c.features,
                         "label": bool(name_matches(speaker_name(c.cluster.name), g))})
    return rows, empty


def _models_dir() -> Path:
    import os

    return Path(os.environ.get("ATTRIBUTION_MODELS") or ROOT.parent / "shared" / "models" / "stanza")


def articles(files: list[Path], workers: int) -> list[tuple[str, dict, Any]]:
    """``(key, gold document, selective parse)`` of every article of the files, in a fixed order; the key
    is ``FILE:ID``. Parses come from the cache ``scripts/dev_eval.py`` keeps (parsed now if missing)."""
    import dev_eval
    from stanza.models.common.doc import Document

    out = []
    for path in files:
        gold = load_gold(path)
        name = next((n for n, p in dev_eval.SETS.items() if p.resolve() == path.resolve()), path.stem)
        cache = dev_eval.parsed(name, gold, _models_dir(), workers)
        for doc_id in sorted(gold):
            d = gold[doc_id]
            ser = cache[dev_eval._text_key(d["text"])]
            out.append((f"{path.stem}:{doc_id}", d,
                        lambda ser=ser: dev_eval.as_selective(Document.from_serialized(ser))))
    return out


def load_rows(arts: list[tuple[str, dict, Any]]) -> tuple[list[dict], int]:
    """Rows of every article, and the matched quotes with no candidate."""
    rows: list[dict] = []
    empty = 0
    for key, d, parse in arts:
        got, none = document_rows(key, d, parse())
        rows += got
        empty += none
    return rows, empty


def fold_of(key: str, k: int) -> int:
    """The fold of an article: fixed by its key, so every row of an article is in one fold."""
    import hashlib

    return hashlib.sha1(key.encode()).digest()[0] % k


#: The ensembles' settings (chosen on out-of-fold name accuracy of the training articles, ``--grid``).
TREES = {"n_estimators": 300, "learning_rate": 0.05, "num_leaves": 15, "max_depth": 6, "min_child_samples": 30}
_FIXED = {"deterministic": True, "force_row_wise": True, "n_jobs": 1, "random_state": 0, "verbose": -1}


def _groups(quotes: list[str]) -> list[int]:
    """Sizes of the runs of rows of one quote (rows of a quote are contiguous)."""
    sizes: list[int] = []
    prev = None
    for q in quotes:
        if q != prev:
            sizes.append(0)
            prev = q
        sizes[-1] += 1
    return sizes


@dataclass
class Fitted:
    """A ranker and a classifier fitted on the same rows."""

    ranker: Any
    scorer: Any

    def rank(self, x: Any) -> np.ndarray:
        return np.asarray(self.ranker.predict(x))

    def probability(self, x: Any) -> np.ndarray:
        return np.asarray(self.scorer.predict_proba(x)[:, 1])


def fit(rows: list[dict], x: Any, y: np.ndarray, names: list[str], trees: dict | None = None) -> Fitted:
    """Both ensembles on these rows. The ranker does not see what kind of article it is (``article.*``):
    which candidate spoke is read in the sentence; how sure to be of it depends on the kind of news too."""
    import lightgbm as lgb

    params = {**TREES, **(trees or {}), **_FIXED}
    # The ranker learns from every quote alike (weighting the small files up made it worse on them); the
    # classifier, whose probability becomes the confidence, weighs every file the same.
    style = [j for j, n in enumerate(names) if n.startswith("article.")]
    x_rank = x.tolil(copy=True) if hasattr(x, "tolil") else np.array(x, copy=True)
    x_rank[:, style] = 0
    ranker = lgb.LGBMRanker(**params).fit(x_rank.tocsr() if hasattr(x_rank, "tocsr") else x_rank, y,
                                          group=_groups([r["quote"] for r in rows]))
    scorer = lgb.LGBMClassifier(**params).fit(x, y, sample_weight=weights(rows))
    return Fitted(ranker, scorer)


def choices(rows: list[dict], rank: np.ndarray, prob: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Per quote: the classifier's probability for the ranker's pick, whether the pick is right, whether
    the sieves' choice is right (the first candidate, when it is the rules'), and the quote's article."""
    by_quote: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_quote.setdefault(r["quote"], []).append(i)
    chosen, right, rule_right, docs = [], [], [], []
    for idx in by_quote.values():
        best = max(idx, key=lambda i: (rank[i], -i))
        chosen.append(prob[best])
        right.append(rows[best]["label"])
        first = rows[idx[0]]
        rule_right.append(first["label"] and first["features"].get("is_rule", 0.0) == 1.0)
        docs.append(first["doc"])
    return np.array(chosen), np.array(right, dtype=float), np.array(rule_right, dtype=float), docs


def out_of_fold(rows: list[dict], x: Any, y: np.ndarray, fold: np.ndarray, names: list[str],
                trees: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each row's rank score and probability from models that never saw its article."""
    rank, prob = np.zeros(len(rows)), np.zeros(len(rows))
    for f in sorted(set(fold.tolist())):
        test = fold == f
        train = np.where(~test)[0]
        fitted = fit([rows[i] for i in train], x[train], y[train], names, trees)
        rank[test], prob[test] = fitted.rank(x[test]), fitted.probability(x[test])
    return rank, prob


def ece(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error in points, ten equal-width bins (as score.py --calibration)."""
    edges = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        sel = edges == b
        if sel.any():
            total += sel.sum() * abs(conf[sel].mean() - right[sel].mean())
    return round(100 * total / len(conf), 2)


def isotonic(chosen: np.ndarray, right: np.ndarray, weight: np.ndarray | None = None) -> Any:
    from sklearn.isotonic import IsotonicRegression

    return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(chosen, right, sample_weight=weight)


def weights(rows: list[dict]) -> np.ndarray:
    """A weight per row such that every training file weighs the same in all: the held-out news is of
    several kinds, and the confidence should not be the one kind that has the most annotated quotes."""
    files = [r["doc"].split(":", 1)[0] for r in rows]
    quotes: dict[str, set[str]] = {}
    for f, r in zip(files, rows, strict=True):
        quotes.setdefault(f, set()).add(r["quote"])
    total = sum(len(q) for q in quotes.values())
    return np.array([total / (len(quotes) * len(quotes[f])) for f in files])


def as_json(names: list[str], fitted: Fitted, iso: Any, empty: int) -> dict:
    """The models in the shape :class:`attribution.speakers.resolver.ResolverModel` reads."""
    from attribution.speakers.trees import flatten

    return {"version": VERSION, "names": names, "trees": TREES,
            "ranker": flatten(fitted.ranker.booster_.dump_model()),
            "scorer": flatten(fitted.scorer.booster_.dump_model()),
            "calibration": {"x": [float(v) for v in iso.X_thresholds_], "y": [float(v) for v in iso.y_thresholds_]},
            "no_candidate": round(1.0 / (empty + 2), 6)}  # Laplace: such quotes have no name to be right


def check_export(model: dict, fitted: Fitted, x: Any) -> None:
    """Fail unless the shipped arrays, evaluated as the product evaluates them, give LightGBM's scores."""
    from attribution.speakers.resolver import ResolverModel

    shipped = ResolverModel.from_dict(model)
    dense = x.toarray() if hasattr(x, "toarray") else np.asarray(x)
    ours = (shipped.rank(dense), shipped.probability(dense))
    theirs = (fitted.rank(x), fitted.probability(x))
    for a, b in zip(ours, theirs, strict=True):
        if not np.allclose(a, b, rtol=0, atol=1e-9):
            raise SystemExit(f"exported trees differ from LightGBM's (max {np.abs(a - b).max():g})")


def fit_model(rows: list[dict], fold: np.ndarray, names: list[str], x: Any, y: np.ndarray, empty: int,
              trees: dict | None = None) -> tuple[dict, dict]:
    """The models fitted on ``rows``, calibrated on their out-of-fold predictions; and the out-of-fold
    report (its calibration cross-fitted too: each fold's confidences from a map fitted on the others)."""
    rank, prob = out_of_fold(rows, x, y, fold, names, trees)
    chosen, right, rule_right, docs = choices(rows, rank, prob)
    quote_fold = _quote_folds(rows, fold, docs)
    first_row = {}
    for i, r in enumerate(rows):
        first_row.setdefault(r["quote"], i)
    w = weights(rows)[sorted(first_row.values())]
    crossed = np.zeros(len(chosen))
    for f in sorted(set(quote_fold.tolist())):
        test = quote_fold == f
        crossed[test] = isotonic(chosen[~test], right[~test], w[~test]).predict(chosen[test])
    report = {"quotes": len(chosen) + empty, "candidates": len(rows), "no_candidate": empty}
    for name in sorted({d.split(":", 1)[0] for d in docs}):
        sel = np.array([d.split(":", 1)[0] == name for d in docs])
        report[name] = _figures(right[sel], rule_right[sel], crossed[sel])
    fitted = fit(rows, x, y, names, trees)
    model = as_json(names, fitted, isotonic(chosen, right, w), empty)
    check_export(model, fitted, x)
    return model, report


def _figures(right: np.ndarray, rule_right: np.ndarray, conf: np.ndarray) -> dict[str, float | None]:
    """Name accuracy of the sieves and of the resolver, ECE, and accuracy and coverage at >= 0.9."""
    high = conf >= 0.9
    at_high = round(100 * float(right[high].mean()), 2) if high.any() else None
    return {"name_rules": round(100 * float(rule_right.mean()), 2),
            "name_resolver": round(100 * float(right.mean()), 2), "ece": float(ece(conf, right)),
            "right_at_0.9": at_high, "coverage_at_0.9": round(100 * float(high.mean()), 2)}


def _quote_folds(rows: list[dict], fold: np.ndarray, docs: list[str]) -> np.ndarray:
    first = {}
    for i, r in enumerate(rows):
        first.setdefault(r["doc"], fold[i])
    return np.array([first[d] for d in docs])


def matrix(rows: list[dict]) -> tuple[list[str], Any, np.ndarray]:
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([r["features"] for r in rows])
    return list(vec.get_feature_names_out()), x, np.array([r["label"] for r in rows], dtype=int)


def dev_predictions(arts: list[tuple[str, dict, Any]], rows: list[dict], empty: int, dev: set[str], k: int,
                    out_dir: Path) -> None:
    """Predictions for the articles of the ``dev`` files, each from a model (scorer and calibration) that
    never saw it: fold f's articles are extracted with the model fitted on the other folds."""
    from attribution.engine import extract_from_doc
    from attribution.speakers.resolver import ResolverModel

    names, x, y = matrix(rows)
    fold = np.array([fold_of(r["doc"], k) for r in rows])
    preds: dict[str, list[str]] = {}
    for f in range(k):
        train = fold != f
        sub = [r for r, t in zip(rows, train, strict=True) if t]
        model, _ = fit_model(sub, fold[train], names, x[train], y[train], empty)
        resolver = ResolverModel.from_dict(model)
        for key, d, parse in arts:
            name = key.split(":", 1)[0]
            if name in dev and fold_of(key, k) == f:
                quotes, _ = extract_from_doc(d["text"], parse(), resolver)
                line = json.dumps({"id": d["id"], "quotes": [q.to_dict() for q in quotes]}, ensure_ascii=False)
                preds.setdefault(name, []).append(line)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, lines in preds.items():
        (out_dir / f"{name}.pred.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", nargs="*", type=Path, default=DEFAULT_TRAIN, help="gold files to train on")
    ap.add_argument("--corrections", nargs="*", type=Path, default=[],
                    help="reviewers' corrections (attribution export corrections), added to the training files")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2, help="processes for parsing articles not cached yet")
    ap.add_argument("--grid", action="store_true", help="print out-of-fold figures for a few settings and stop")
    ap.add_argument("--dev-pred", type=Path, metavar="DIR",
                    help="write out-of-fold predictions of the --dev files' articles here and stop")
    ap.add_argument("--dev", nargs="*", default=[], metavar="STEM", help="file stems to predict with --dev-pred")
    ap.add_argument("--check", action="store_true", help="fail if retraining does not reproduce --out")
    a = ap.parse_args()
    files = list(a.train) + list(a.corrections)
    arts = articles(files, a.workers)
    rows, empty = load_rows(arts)
    if a.dev_pred:
        dev_predictions(arts, rows, empty, set(a.dev), a.folds, a.dev_pred)
        return
    names, x, y = matrix(rows)
    fold = np.array([fold_of(r["doc"], a.folds) for r in rows])
    grid = [{"num_leaves": 7}, {}, {"num_leaves": 31}, {"n_estimators": 600, "learning_rate": 0.025}]
    for trees in grid if a.grid else [{}]:
        model, report = fit_model(rows, fold, names, x, y, empty, trees)
        print(json.dumps({**TREES, **trees}), json.dumps(report), file=sys.stderr)
    if a.grid:
        return
    model.update({"trained_on": [p.name for p in files], "articles": len(arts), "out_of_fold": report})
    text = json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n"
    if a.check:
        same = a.out.exists() and a.out.read_text(encoding="utf-8") == text
        print("reproduced" if same else "DIFFERENT from the shipped model")
        sys.exit(0 if same else 1)
    a.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
