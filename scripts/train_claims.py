#!/usr/bin/env python3
"""Train the check-worthiness model (attribution.claims.worthiness) and write its weights into the package.

    python scripts/train_claims.py [--data ../shared/data/claims] [--out attribution/data/claim_model.npz]
                                   [--vectors MODELS/en/pretrain/glove50.pt] [--grid 1,2,4] [--no-refit] [--json]

Needs scikit-learn (``pip install -e .[train]``) and, to read Stanza's word vectors, PyTorch (installed with
Stanza); the package itself only needs NumPy to score.

Data: the ClaimBuster train part (``claimbuster-train.json``; Arslan et al. 2020) and the CLEF CheckThat!
2019 Task 1 train part (``clef2019-train.csv``; Atanasova et al. 2019). Held out as a dev split, never by
sentence: for CLEF whole transcripts (``file_name``); for ClaimBuster, whose sentences carry only a
``sentence_id`` numbered through the debates in order, whole blocks of 1,000 consecutive ids (about one
debate each: the corpus numbers ~34,000 sentences over 33 debates), so that no debate is split between
the two sides except at a block edge. A fifth of the blocks and a fifth of the transcripts go to dev
(fixed seed). The regularisation ``C`` and the threshold are chosen by 5-fold cross-validation grouped the
same way on the train side; dev is scored once; then, unless ``--no-refit``, the shipped model is refit
on train and dev together.

Model: features of attribution.claims.worthiness (TF-IDF word 1-2-grams and char 2-5-grams, linguistic
features from the text alone, the mean GloVe vector of the words from Stanza's English pretrain), one
logistic regression with balanced class weights over both sets with "frustratingly easy" domain
adaptation (Daumé III 2007): every feature is copied into a shared column, a ClaimBuster column and a
CLEF column. The two sets label differently (check-worthy factual statements vs sentences that
fact-checkers actually checked); the shared and ClaimBuster weights, summed, are the shipped model, so
that news claims are scored on the ClaimBuster scale while learning from both.
The weights are the same on every run: liblinear-free L-BFGS on fixed data and a fixed seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

try:
    from scipy.sparse import csr_matrix, hstack, vstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
except ModuleNotFoundError:  # pragma: no cover - the optional extra
    sys.exit("train_claims.py needs scikit-learn: pip install -e .[train]")

from attribution.claims import metrics as rm  # noqa: E402
from attribution.claims import worthiness as W  # noqa: E402

SEED = 20190908
CB_BLOCK = 1000
FOLDS = 5
WORD_MIN_DF, CHAR_MIN_DF = 2, 3
#: The mean word vector enters the regression scaled by this: with the TF-IDF blocks L2-normalised, it
#: sets how hard the L2 penalty holds the vector weights back (0.5 beat 2 on dev and in cross-validation).
VECTOR_SCALE = 0.5
#: The vectors the shipped weights were trained with, inside a Stanza models directory.
VECTORS_FILE = Path("en") / "pretrain" / "glove50.pt"


@dataclass
class Corpus:
    """Sentences of both sets: text, label, group (debate block or transcript) and set (0 ClaimBuster, 1 CLEF)."""

    texts: list[str]
    labels: np.ndarray
    groups: np.ndarray
    sets: np.ndarray

    def take(self, mask: np.ndarray) -> Corpus:
        idx = np.flatnonzero(mask)
        return Corpus([self.texts[i] for i in idx], self.labels[idx], self.groups[idx], self.sets[idx])


def load(data: Path) -> Corpus:
    """Both train parts, ClaimBuster first, each in file order."""
    cb = json.loads((data / "claimbuster-train.json").read_text(encoding="utf-8"))
    with (data / "clef2019-train.csv").open(encoding="utf-8", newline="") as fh:
        clef = list(csv.DictReader(fh))
    texts = [x["text"] for x in cb] + [r["text"] for r in clef]
    labels = np.array([int(x["label"]) for x in cb] + [int(r["label"]) for r in clef])
    groups = np.array([f"cb{int(x['sentence_id']) // CB_BLOCK:03d}" for x in cb] + [r["file_name"] for r in clef])
    sets = np.array([0] * len(cb) + [1] * len(clef))
    return Corpus(texts, labels, groups, sets)


def group_folds(corpus: Corpus, k: int, seed: int) -> np.ndarray:
    """A fold number per sentence: each set's groups shuffled (fixed seed) and dealt round-robin to k folds."""
    fold = np.zeros(len(corpus.texts), dtype=np.int64)
    rng = np.random.default_rng(seed)
    for s in (0, 1):
        names = sorted(set(corpus.groups[corpus.sets == s].tolist()))
        order = rng.permutation(len(names))
        for rank, i in enumerate(order):
            fold[corpus.groups == names[i]] = rank % k
    return fold


@dataclass(frozen=True)
class Vectors:
    """Word vectors: the vocabulary (frequency order, as the pretrain file has it) and one row per word."""

    words: list[str]
    matrix: np.ndarray

    @classmethod
    def load(cls, path: Path) -> Vectors:
        """Stanza's pretrain file (``{"vocab": {"_id2unit": [...]}, "emb": tensor}``), the words a token can be."""
        try:
            import torch
        except ModuleNotFoundError:  # pragma: no cover - Stanza installs it
            sys.exit("train_claims.py reads Stanza's word vectors with PyTorch: pip install -e .")
        if not path.is_file():
            sys.exit(f"no word vectors at {path}: pass --vectors (Stanza's en/pretrain/glove50.pt)")
        data = torch.load(path, map_location="cpu", weights_only=False)
        units, matrix = list(data["vocab"]["_id2unit"]), data["emb"].numpy().astype(np.float64)
        # Only what a sentence's token can be: the lower-case words, numbers and clitics that
        # attribution.claims.worthiness.vector_terms gives (GloVe's vocabulary is lower-case).
        keep = [i for i, u in enumerate(units) if u == u.lower() and W.VECTOR_TERM.fullmatch(u)]
        return cls([units[i] for i in keep], matrix[keep])

    @cached_property
    def index(self) -> dict[str, int]:
        """Each word's row, built once: every fold's featurizer looks texts up in it."""
        return {w: i for i, w in enumerate(self.words)}

    def mean(self, texts: list[str]) -> np.ndarray:
        """Each text's mean vector over its tokens that have one (zeros where none has), times the scale."""
        out = np.zeros((len(texts), self.matrix.shape[1]))
        for row, text in enumerate(texts):
            ids = [i for i in (self.index.get(t) for t in W.vector_terms(text)) if i is not None]
            if ids:
                out[row] = self.matrix[ids].mean(axis=0)
        return out * VECTOR_SCALE


class Featurizer:
    """The model's features for scikit-learn: TF-IDF vectorisers over attribution.claims.worthiness's own analysers
    (so that training and inference tokenise alike), the dense linguistic block and the mean word vector."""

    def __init__(self, texts: list[str], vectors: Vectors):
        self.words = TfidfVectorizer(analyzer=W.word_terms, sublinear_tf=True, min_df=WORD_MIN_DF).fit(texts)
        self.chars = TfidfVectorizer(analyzer=W.char_terms, sublinear_tf=True, min_df=CHAR_MIN_DF).fit(texts)
        self.vectors = vectors
        self.dense_mean = np.array([W.dense_features(t) for t in texts]).mean(axis=0)
        self.vector_mean = self.vectors.mean(texts).mean(axis=0)

    def __call__(self, texts: list[str]) -> csr_matrix:
        dense = csr_matrix(np.array([W.dense_features(t) for t in texts]))
        return hstack([self.words.transform(texts), self.chars.transform(texts), dense,
                       csr_matrix(self.vectors.mean(texts))]).tocsr()

    def sizes(self) -> tuple[int, int, int, int]:
        return (len(self.words.vocabulary_), len(self.chars.vocabulary_), len(W.DENSE_NAMES),
                self.vectors.matrix.shape[1])


def augment(x: csr_matrix, sets: np.ndarray) -> csr_matrix:
    """Daumé III (2007): [shared | ClaimBuster-only | CLEF-only] copies of every feature."""
    zero = csr_matrix(x.shape)
    rows = []
    for s in (0, 1):
        part = x[sets == s]
        z = zero[: part.shape[0]]
        rows.append(hstack([part, part if s == 0 else z, part if s == 1 else z]))
    order = np.r_[np.flatnonzero(sets == 0), np.flatnonzero(sets == 1)]
    stacked = vstack(rows).tocsr()
    return stacked[np.argsort(order, kind="stable")]


def fit(corpus: Corpus, c: float, vectors: Vectors) -> tuple[Featurizer, np.ndarray, float]:
    """Features and weights on ``corpus``: (featurizer, ClaimBuster-scale weights, intercept)."""
    feats = Featurizer(corpus.texts, vectors)
    # A constant column, copied like the others, gives each set an intercept of its own: CLEF's
    # check-worthy sentences are 3 in 100, ClaimBuster's 1 in 4.
    ones = csr_matrix(np.ones((len(corpus.texts), 1)))
    x = augment(hstack([feats(corpus.texts), ones]).tocsr(), corpus.sets)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
    model.fit(x, corpus.labels)
    n = x.shape[1] // 3
    weights = model.coef_[0][:n] + model.coef_[0][n:2 * n]
    return feats, weights[:-1], float(model.intercept_[0] + weights[-1])


def predict(feats: Featurizer, coef: np.ndarray, intercept: float, texts: list[str]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(feats(texts) @ coef + intercept)))


def balanced_f1(labels: np.ndarray, predicted: np.ndarray) -> float:
    """F1 of the check-worthy class as if the classes were even (negatives weighted by positives/negatives):
    the prevalence of the sealed ClaimBuster test part, half check-worthy."""
    y, p = labels.astype(bool), predicted.astype(bool)
    weight = y.sum() / max(1, (~y).sum())
    tp, fp, fn = (y & p).sum(), (~y & p).sum() * weight, (y & ~p).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def measures(corpus: Corpus, scores: np.ndarray, threshold: float) -> dict[str, float | None]:
    """ClaimBuster ROC AUC and F1s (natural and even prevalence), CLEF MAP over transcripts."""
    cb, clef = corpus.sets == 0, corpus.sets == 1
    y = corpus.labels[cb]
    return {
        "cb_sentences": int(cb.sum()), "clef_sentences": int(clef.sum()),
        "cb_roc_auc": rm.roc_auc(y, scores[cb]),
        "cb_f1": rm.f1(y, scores[cb] >= threshold),
        "cb_f1_even": balanced_f1(y, scores[cb] >= threshold),
        "clef_map": rm.mean_average_precision(corpus.labels[clef], scores[clef], corpus.groups[clef].tolist()),
    }


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The cut-off that maximises the even-prevalence F1 of the check-worthy class (0.30..0.70 by 0.01)."""
    grid = np.round(np.arange(0.30, 0.701, 0.01), 2)
    values = [balanced_f1(labels, scores >= t) for t in grid]
    return float(grid[int(np.argmax(values))])


def cross_validate(corpus: Corpus, grid: list[float], vectors: Vectors, log: list[str]) -> tuple[float, float, dict]:
    """Grouped k-fold on ``corpus``: out-of-fold scores for each C; the best C by AUC + MAP, its threshold."""
    folds = group_folds(corpus, FOLDS, SEED)
    results = {}
    for c in grid:
        scores = np.zeros(len(corpus.texts))
        for k in range(FOLDS):
            train = corpus.take(folds != k)
            feats, coef, intercept = fit(train, c, vectors)
            scores[folds == k] = predict(feats, coef, intercept, corpus.take(folds == k).texts)
        cb = corpus.sets == 0
        threshold = best_threshold(corpus.labels[cb], scores[cb])
        results[c] = {"threshold": threshold, **measures(corpus, scores, threshold)}
        log.append(f"cv C={c}: " + _line(results[c]))
    best = max(grid, key=lambda c: results[c]["cb_roc_auc"] + results[c]["clef_map"])
    return best, results[best]["threshold"], {str(c): r for c, r in results.items()}


def _line(m: dict) -> str:
    return (f"ClaimBuster AUC {m['cb_roc_auc']:.4f} F1 {m['cb_f1']:.3f} (even classes {m['cb_f1_even']:.3f}); "
            f"CLEF MAP {m['clef_map']:.4f}" + (f"; threshold {m['threshold']:.2f}" if "threshold" in m else ""))


def arrays(feats: Featurizer, coef: np.ndarray, intercept: float, threshold: float) -> dict[str, np.ndarray]:
    """The model as plain arrays, for attribution.claims.worthiness.ClaimModel (terms in vocabulary order).
    The word-vector weights are folded into one number per word: the block is linear in the mean vector,
    so the mean of the words' numbers is its contribution (the scale is folded in too)."""
    nw, nc, nd, nv = feats.sizes()
    vector_coef = coef[nw + nc + nd:] * VECTOR_SCALE
    out: dict[str, np.ndarray] = {"version": np.array(W.CLAIM_MODEL_VERSION),
                                  "dense_names": np.array(W.DENSE_NAMES),
                                  "dense_coef": coef[nw + nc:nw + nc + nd].astype(np.float64),
                                  "dense_mean": feats.dense_mean,
                                  "vector_terms": np.array(feats.vectors.words),
                                  # float32 halves the file; the scores differ from float64 by < 1e-6
                                  "vector_score": (feats.vectors.matrix @ vector_coef).astype(np.float32),
                                  "vector_mean": np.array(float(feats.vector_mean @ coef[nw + nc + nd:])),
                                  "intercept": np.array(intercept), "threshold": np.array(threshold)}
    assert vector_coef.shape == (nv,)
    for name, vec, block in (("word", feats.words, coef[:nw]), ("char", feats.chars, coef[nw:nw + nc])):
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        out[f"{name}_terms"] = np.array(terms)
        out[f"{name}_idf"] = vec.idf_.astype(np.float64)
        out[f"{name}_coef"] = block.astype(np.float64)
    assert out["dense_coef"].shape == (nd,)
    return out


def default_vectors() -> Path:
    """The vectors file of the models directory the product uses, else of the shared one beside the repo."""
    from attribution.parsing.models import resolve_models_dir

    own = resolve_models_dir()[0] / VECTORS_FILE
    return own if own.is_file() else ROOT.parent / "shared" / "models" / "stanza" / VECTORS_FILE


def dev_split(corpus: Corpus) -> np.ndarray:
    """True for the dev sentences: a fifth of each set's groups (fold 0 of the grouped folds, other seed)."""
    return group_folds(corpus, FOLDS, SEED + 1) == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "claims")
    parser.add_argument("--out", type=Path, default=ROOT / "attribution" / W.MODEL_FILE)
    parser.add_argument("--vectors", type=Path, default=None,
                        help=f"Stanza's 50-dimension GloVe vectors (default: {VECTORS_FILE} in the models directory "
                             "that ATTRIBUTION_MODELS or `attribution models` names, else ../shared/models/stanza)")
    parser.add_argument("--grid", default="2", help="Values of C to cross-validate, comma-separated.")
    parser.add_argument("--no-refit", action="store_true", help="Ship the model fit on the train side only.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)
    started, log = time.time(), []
    corpus = load(args.data)
    vectors = Vectors.load(args.vectors or default_vectors())
    dev = dev_split(corpus)
    train = corpus.take(~dev)
    log.append(f"dev: {sorted(set(corpus.groups[dev].tolist()))}")
    c, threshold, cv = cross_validate(train, [float(v) for v in args.grid.split(",")], vectors, log)
    feats, coef, intercept = fit(train, c, vectors)
    dev_corpus = corpus.take(dev)
    figures = {"C": c, "threshold": threshold, **measures(dev_corpus, predict(feats, coef, intercept,
                                                                              dev_corpus.texts), threshold)}
    log.append(f"dev (C={c}): " + _line(figures))
    if not args.no_refit:
        feats, coef, intercept = fit(corpus, c, vectors)
    W.save_arrays(args.out, arrays(feats, coef, intercept, threshold))
    log.append(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, {feats.sizes()} features) "
               f"in {time.time() - started:.0f}s")
    print(json.dumps({"dev": figures, "cv": cv}, indent=2) if args.json else "\n".join(log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
