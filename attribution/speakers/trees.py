"""A gradient-boosted tree ensemble evaluated with NumPy, from arrays shipped as data.

The resolver's models are trained with LightGBM (``scripts/train_resolver.py``) and written out as flat
arrays: every internal node of every tree has a feature, a threshold and two children; a child is another
internal node (an index >= 0) or a leaf (``-1 - leaf index``). A row goes left when its feature value is at
most the threshold, as LightGBM decides for numerical splits without missing values (the resolver's
features are never missing: an absent feature is 0). All rows walk all trees at once, one level per step,
so an article's candidates are scored in a few dozen array operations, and the same row gets the same
score alone or in a batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class TreeEnsemble:
    """The sum of the leaf values each row reaches, one tree after another."""

    feature: np.ndarray  # per internal node
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    roots: np.ndarray  # per tree: its root node, or a leaf for a tree that is one leaf
    leaf_value: np.ndarray

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        """The ensemble from its JSON form."""
        return cls(feature=np.asarray(data["feature"], dtype=np.int64),
                   threshold=np.asarray(data["threshold"], dtype=np.float64),
                   left=np.asarray(data["left"], dtype=np.int64), right=np.asarray(data["right"], dtype=np.int64),
                   roots=np.asarray(data["roots"], dtype=np.int64),
                   leaf_value=np.asarray(data["leaf_value"], dtype=np.float64))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The raw score of every row of ``x`` (rows x features)."""
        n = x.shape[0]
        if not len(self.feature):
            return np.full(n, self.leaf_value[-1 - self.roots].sum())
        # Every split's answer for every row, in one comparison; then each row walks its trees by index.
        right = (x[:, self.feature] > self.threshold).astype(np.int64)  # rows x internal nodes
        child = np.stack([self.left, self.right], axis=1)  # internal node -> (left, right)
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        inner = node >= 0
        while inner.any():
            at = np.where(inner, node, 0)
            node = np.where(inner, child[at, right[rows, at]], node)
            inner = node >= 0
        return self.leaf_value[-1 - node].sum(axis=1)


def flatten(dump: dict[str, Any]) -> dict[str, list]:
    """LightGBM's ``Booster.dump_model()`` as the flat arrays :class:`TreeEnsemble` reads."""
    out: dict[str, list] = {"feature": [], "threshold": [], "left": [], "right": [], "roots": [], "leaf_value": []}

    def walk(node: dict[str, Any]) -> int:
        if "leaf_index" in node or "leaf_value" in node and "split_feature" not in node:
            out["leaf_value"].append(float(node["leaf_value"]))
            return -len(out["leaf_value"])
        if node.get("decision_type", "<=") != "<=":
            raise ValueError(f"unsupported split {node.get('decision_type')!r}")
        k = len(out["feature"])
        out["feature"].append(int(node["split_feature"]))
        out["threshold"].append(float(node["threshold"]))
        out["left"].append(0)
        out["right"].append(0)
        out["left"][k] = walk(node["left_child"])
        out["right"][k] = walk(node["right_child"])
        return k

    for tree in dump["tree_info"]:
        out["roots"].append(walk(tree["tree_structure"]))
    return out
