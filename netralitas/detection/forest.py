"""The second stance model: gradient-boosted trees over the same features as the linear one.

The linear model cannot weigh one feature by another (praise next to the empty column is
opposition, next to a name support); the trees can. Both are trained on the same features
(:mod:`netralitas.detection.train`); the detector asks the trees only when the linear model
is unsure (:meth:`Forest.unsure`), and then averages the two.

The artefact's ``forest`` block is flat arrays in pre-order (a child comes after its parent)::

    {"features": ["u:coblos", "c:CALL", ...],     # feature id -> name
     "feature": [..], "threshold": [..],           # per internal node
     "left": [..], "right": [..],                  # child node, or ~leaf when < 0
     "leaf": [..], "root": [..], "class": [..],    # leaf values; per tree: first node, class
     "weight": 0.7, "band": [0.1, 0.98, 0.8]}

A node goes left when the feature's value (a count, or 1 for a binary feature, 0 when
absent) is at most its threshold. The native scorer ``_scorer.c`` is built by ``make
install`` with the mypyc modules; without it the same bit-vector evaluation runs in Python
(slower, same sums).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection
from typing import Any, Final

from .accel import native
from .features import split_ngrams

_native: Final[Any] = native("_scorer")  # the C code, when built (accel.build)

N_CLASSES = 3
# Leaf values are summed as integers in these units: exact, so the sums do not depend on
# the order in which the trees are visited (only those a text's features touch are).
LEAF_UNITS = 10**8
MAX_LEAF_UNITS = 2**30  # (10.7): the difference of two leaves fits in 32 bits (_scorer.c)


class ForestError(ValueError):
    """The artefact's forest block is malformed."""


class Forest:
    def __init__(self, block: dict[str, Any]) -> None:
        try:
            self.names: list[str] = [str(name) for name in block["features"]]
            self.feature = array("i", block["feature"])
            self.threshold = array("d", block["threshold"])
            self.left = array("i", block["left"])
            self.right = array("i", block["right"])
            self.leaf = array("d", block["leaf"])
            self.root = array("i", block["root"])
            self.klass = array("i", block["class"])
            self.weight = float(block["weight"])
            low, high, margin = (float(x) for x in block["band"])
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise ForestError(f"forest block: {exc}") from exc
        self.low, self.high, self.margin = low, high, margin
        try:
            self.leaf_units = array("q", [round(value * LEAF_UNITS) for value in self.leaf])
        except (ValueError, OverflowError) as exc:  # NaN, infinity, beyond 64 bits
            raise ForestError(f"forest block: leaf value: {exc}") from exc
        if any(abs(units) > MAX_LEAF_UNITS for units in self.leaf_units):
            raise ForestError("forest block: leaf value out of range")
        self._tables()
        # Feature ids keyed as the linear model's weights are (no string per n-gram).
        self.uni, self.bi, self.other = split_ngrams((name, i) for i, name in enumerate(self.names))
        self.native: Any = None
        if _native is not None:
            try:
                self.native = _native.forest(
                    len(self.names),
                    N_CLASSES,
                    self.start.tobytes(),
                    self.node_tree.tobytes(),
                    self.node_threshold.tobytes(),
                    self.node_mask.tobytes(),
                    self.first_leaf.tobytes(),
                    self.leaf_count.tobytes(),
                    self.klass.tobytes(),
                    self.leaf_units.tobytes(),
                )
            except ValueError as exc:  # the C side's own checks, named like ours
                raise ForestError(f"forest block: {exc}") from exc

    def _tables(self) -> None:
        """Check the trees and build the bit-vector tables the evaluation uses.

        QuickScorer (Lucchese et al., SIGIR 2015): each tree keeps a bit per leaf, in
        left-to-right order; a node whose test fails (its feature's value exceeds its
        threshold) clears the bits of its left subtree's leaves, and the tree's exit leaf is
        the lowest bit left. Features are counts, absent ones 0, and every threshold is at
        least 0, so only a text's present features can fail a test: the work per text is
        the nodes of its own features, not a walk down every tree.
        """
        nodes, leaves, features = len(self.feature), len(self.leaf), len(self.names)
        if not len(self.threshold) == len(self.left) == len(self.right) == nodes:
            raise ForestError("forest block: node arrays differ in length")
        if len(self.klass) != len(self.root):
            raise ForestError("forest block: root and class arrays differ in length")
        for i in range(nodes):
            if not 0 <= self.feature[i] < features:
                raise ForestError(f"forest block: node {i}: feature out of range")
            if not self.threshold[i] >= 0.0:  # also NaN
                raise ForestError(f"forest block: node {i}: threshold below 0")
            for child in (self.left[i], self.right[i]):
                if (child <= i or child >= nodes) if child >= 0 else ~child >= leaves:
                    raise ForestError(f"forest block: node {i}: child out of range")
        by_feature: list[list[tuple[float, int, int]]] = [[] for _ in range(features)]
        first_leaf = []
        leaf_count = []
        seen_leaves = 0
        for tree, (root, klass) in enumerate(zip(self.root, self.klass, strict=True)):
            if not 0 <= klass < N_CLASSES:
                raise ForestError(f"forest block: tree {tree}: class out of range")
            ranges: list[tuple[int, int, int]] = []  # (node, its left subtree's leaves)
            low, high = self._leaf_range(root, tree, ranges)
            if low != seen_leaves or high - low > 64:
                raise ForestError(f"forest block: tree {tree}: leaves out of order or over 64")
            seen_leaves = high
            first_leaf.append(low)
            leaf_count.append(high - low)
            for node, left_low, left_high in ranges:
                left_bits = ((1 << (left_high - left_low)) - 1) << (left_low - low)
                mask = ~left_bits & ((1 << 64) - 1)
                by_feature[self.feature[node]].append((self.threshold[node], tree, mask))
        if seen_leaves != leaves:
            raise ForestError("forest block: leaves not used by exactly one tree")
        self.start = array("i", [0])
        self.node_tree = array("i")
        self.node_threshold = array("d")
        self.node_mask = array("Q")
        for entries in by_feature:
            entries.sort()  # by threshold: a value fails the tests up to its own
            for threshold, tree, mask in entries:
                self.node_threshold.append(threshold)
                self.node_tree.append(tree)
                self.node_mask.append(mask)
            self.start.append(len(self.node_tree))
        self.first_leaf = array("i", first_leaf)
        self.leaf_count = array("i", leaf_count)
        # With no failed test a tree exits at its first leaf: the sums start from those.
        base = [0] * N_CLASSES
        for first, klass in zip(first_leaf, self.klass, strict=True):
            base[klass] += self.leaf_units[first]
        self.base = base

    def _leaf_range(
        self, node: int, tree: int, ranges: list[tuple[int, int, int]]
    ) -> tuple[int, int]:
        """(first, end) leaf indices under ``node``; appends (node, first, end) of each
        internal node's left subtree to ``ranges``."""
        if node < 0:
            return ~node, ~node + 1
        left_low, left_high = self._leaf_range(self.left[node], tree, ranges)
        right_low, right_high = self._leaf_range(self.right[node], tree, ranges)
        if right_low != left_high:
            raise ForestError(f"forest block: tree {tree}: leaves out of order")
        ranges.append((node, left_low, left_high))
        return left_low, right_high

    def unsure(self, p_none: float, p_support: float, p_oppose: float) -> bool:
        """Whether the linear model's probabilities call for the trees: p(partisan) inside
        the band, or partisan but with support and oppose close."""
        partisan = p_support + p_oppose
        if partisan < self.low:
            return False
        if partisan <= self.high:
            return True
        return abs(p_support - p_oppose) / partisan < self.margin

    def blend(
        self,
        linear: tuple[float, float, float],
        masked: list[str],
        feats: Collection[str],
    ) -> tuple[float, float]:
        """(p(support), p(oppose)): the linear model's, averaged with the trees' when
        the linear model is unsure."""
        if not self.unsure(*linear):
            return linear[1], linear[2]
        return mix(linear, self.probabilities(masked, feats), self.weight)

    def values(self, masked: list[str], feats: Collection[str]) -> dict[int, float]:
        """Feature id -> value for the features of a text the trees use."""
        values: dict[int, float] = {}
        other = self.other
        for feat in feats:
            i = other.get(feat)
            if i is not None:
                values[i] = 1.0
        if masked:
            uni = self.uni
            bi = self.bi
            prev = "<s>"
            for token in [*masked, "</s>"]:
                i = uni.get(token)
                if i is not None:
                    values[i] = values.get(i, 0.0) + 1.0
                following = bi.get(prev)
                if following is not None:
                    i = following.get(token)
                    if i is not None:
                        values[i] = values.get(i, 0.0) + 1.0
                prev = token
        return values

    def raw(self, masked: list[str], feats: Collection[str]) -> tuple[float, float, float]:
        """Per-class sums of the trees (softmax inputs) for a text's features."""
        values = self.values(masked, feats)
        if self.native is not None:
            sums = _native.forest_raw(self.native, values)
            return (sums[0], sums[1], sums[2])
        return self._score(values)

    def _score(self, values: dict[int, float]) -> tuple[float, float, float]:
        """The same evaluation as ``_scorer.c``, in Python: from the first leaves' sums,
        move each tree a failed test touched to its exit leaf."""
        full = (1 << 64) - 1
        bits: dict[int, int] = {}
        start, tree_of, threshold, mask = (
            self.start,
            self.node_tree,
            self.node_threshold,
            self.node_mask,
        )
        for i, value in values.items():
            for k in range(start[i], start[i + 1]):
                if threshold[k] >= value:
                    break
                tree = tree_of[k]
                bits[tree] = bits.get(tree, full) & mask[k]
        sums = list(self.base)
        leaf = self.leaf_units
        for tree, b in bits.items():
            first = self.first_leaf[tree]
            sums[self.klass[tree]] += leaf[first + (b & -b).bit_length() - 1] - leaf[first]
        return (sums[0] / LEAF_UNITS, sums[1] / LEAF_UNITS, sums[2] / LEAF_UNITS)

    def walk(self, values: dict[int, float]) -> tuple[float, float, float]:
        """Plain root-to-leaf evaluation, for tests to check the bit-vector one against."""
        sums = [0, 0, 0]
        for root, klass in zip(self.root, self.klass, strict=True):
            node = root
            while node >= 0:
                value = values.get(self.feature[node], 0.0)
                node = self.left[node] if value <= self.threshold[node] else self.right[node]
            sums[klass] += self.leaf_units[~node]
        return (sums[0] / LEAF_UNITS, sums[1] / LEAF_UNITS, sums[2] / LEAF_UNITS)

    def probabilities(
        self, masked: list[str], feats: Collection[str]
    ) -> tuple[float, float, float]:
        r0, r1, r2 = self.raw(masked, feats)
        top = max(r0, r1, r2)
        e0, e1, e2 = math.exp(r0 - top), math.exp(r1 - top), math.exp(r2 - top)
        total = e0 + e1 + e2
        return (e0 / total, e1 / total, e2 / total)

    def to_json(self) -> dict[str, Any]:
        return {
            "weight": self.weight,
            "band": [self.low, self.high, self.margin],
            "features": self.names,
            "feature": list(self.feature),
            "threshold": list(self.threshold),
            "left": list(self.left),
            "right": list(self.right),
            "leaf": list(self.leaf),
            "root": list(self.root),
            "class": list(self.klass),
        }


def mix(
    linear: tuple[float, float, float], trees: tuple[float, float, float], weight: float
) -> tuple[float, float]:
    """(p(support), p(oppose)) of the weighted average of the two models."""
    return (
        (1 - weight) * linear[1] + weight * trees[1],
        (1 - weight) * linear[2] + weight * trees[2],
    )


def from_lightgbm(
    booster: Any, names: list[str], *, weight: float, band: tuple[float, float, float]
) -> Forest:
    """Flatten a trained LightGBM multiclass booster (training side only)."""
    dump = booster.dump_model()
    if dump.get("num_class") != N_CLASSES:
        raise ForestError(f"expected {N_CLASSES} classes, got {dump.get('num_class')}")
    used: dict[int, int] = {}  # LightGBM column -> our feature id (only features in a split)
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    leaf: list[float] = []
    root: list[int] = []
    klass: list[int] = []

    def add(node: dict[str, Any]) -> int:
        if "leaf_value" in node:
            leaf.append(float(node["leaf_value"]))
            return ~(len(leaf) - 1)
        if node.get("decision_type") != "<=":
            raise ForestError(f"unsupported split {node.get('decision_type')!r}")
        column = int(node["split_feature"])
        index = len(feature)
        feature.append(used.setdefault(column, len(used)))
        threshold.append(float(node["threshold"]))
        left.append(0)
        right.append(0)
        left[index] = add(node["left_child"])
        right[index] = add(node["right_child"])
        return index

    for number, tree in enumerate(dump["tree_info"]):
        root.append(add(tree["tree_structure"]))
        klass.append(number % N_CLASSES)
    by_id = sorted(used, key=used.__getitem__)
    return Forest(
        {
            "features": [names[column] for column in by_id],
            "feature": feature,
            "threshold": threshold,
            "left": left,
            "right": right,
            "leaf": leaf,
            "root": root,
            "class": klass,
            "weight": weight,
            "band": list(band),
        }
    )
