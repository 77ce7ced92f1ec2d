"""The exported stance model: a multinomial logistic regression as a weight dictionary.

Trained by :mod:`netralitas.detection.train` with scikit-learn; at run time scoring is a loop
of dict lookups in Python, or the same sums in C (``_scorer.c``) when ``make install`` has
built it. The artefact is JSON (``data/model.json``)::

    {"format": 1, "classes": ["none", "support", "oppose"], "bias": [b0, b1, b2],
     "weights": {"u:coblos": [w0, w1, w2], ...},
     "calibration": {"a": .., "b": ..},   # Platt scaling of logit p(partisan)
     "threshold": 0.5, "triggers": [...], "config_version": "...", "metrics": {...}}
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from .accel import DATA_DIR, native
from .features import split_ngrams
from .forest import Forest, ForestError

_native: Final[Any] = native("_scorer")  # the C code, when built (accel.build)

# orjson (a dependency) parses the artefact three to five times faster than json.
json_loads = orjson.loads


DEFAULT_MODEL_PATH = DATA_DIR / "model.json"
CLASSES = ("none", "support", "oppose")
FORMAT = 1
# Weights are exported with five decimals; scoring adds them as integers in these units.
WEIGHT_UNITS = 100_000


class ModelError(ValueError):
    """The artefact is missing or malformed."""


@dataclass
class Model:
    bias: tuple[float, float, float]
    weights: dict[str, tuple[float, float, float]]
    calib_a: float = 1.0
    calib_b: float = 0.0
    threshold: float = 0.5
    triggers: frozenset[str] = frozenset()
    config_version: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    # The tree ensemble the detector consults where this linear model is unsure.
    forest: Forest | None = None

    def __post_init__(self) -> None:
        # Softmax only sees differences between classes, so each weight triple is stored as
        # a pair (support - none, oppose - none), in integer units of 1e-5 (the artefact's
        # precision): integer sums are exact, so a score does not depend on the order in
        # which a set of features is iterated (it changes with the process's string hashing).
        # Unigrams are looked up by the token, bigrams by the first token and then the
        # second: no tuple or string is built per bigram.
        pairs: list[tuple[str, tuple[int, int]]] = []
        for name, w in self.weights.items():
            none = round(w[0] * WEIGHT_UNITS)
            pairs.append(
                (name, (round(w[1] * WEIGHT_UNITS) - none, round(w[2] * WEIGHT_UNITS) - none))
            )
        self.uni, self.bi, self.other = split_ngrams(pairs)
        b = self.bias
        self._bias = (b[1] - b[0], b[2] - b[0])
        # The same scoring in C (``_scorer.c``), when built: same sums, same doubles. It
        # holds the trees it was built with (training sets ``forest`` afterwards).
        self.native: Any = self._native_scorer() if _native is not None else None
        self._native_forest = self.forest

    def _native_scorer(self) -> Any:
        """The weights and the trees' feature ids as ``_scorer.linear`` takes them: a
        vocabulary of every token in an n-gram of either model, per-token unigram
        entries, bigrams grouped by first token, and the binary features."""
        forest = self.forest
        empty: dict[str, int] = {}
        tree_uni = forest.uni if forest is not None else empty
        tree_bi: dict[str, dict[str, int]] = forest.bi if forest is not None else {}
        tree_other = forest.other if forest is not None else empty
        ids: dict[str, int] = {"<s>": 0, "</s>": 1}
        for first in [*self.bi, *tree_bi]:
            ids.setdefault(first, len(ids))
        for weights in self.bi.values():
            for second in weights:
                ids.setdefault(second, len(ids))
        for tree_ids in tree_bi.values():
            for second in tree_ids:
                ids.setdefault(second, len(ids))
        for token in [*self.uni, *tree_uni]:
            ids.setdefault(token, len(ids))
        tokens = list(ids)
        uni = array("i")
        for token in tokens:
            w = self.uni.get(token, (0, 0))
            uni.extend((w[0], w[1], tree_uni.get(token, -1)))
        bi_start = array("i", [0])
        bi_second = array("i")
        bi = array("i")
        for first in tokens:
            linear = self.bi.get(first, {})
            trees = tree_bi.get(first, {})
            for second in sorted({*linear, *trees}, key=ids.__getitem__):
                w = linear.get(second, (0, 0))
                bi_second.append(ids[second])
                bi.extend((w[0], w[1], trees.get(second, -1)))
            bi_start.append(len(bi_second))
        others = sorted({*self.other, *tree_other})
        other = array("i")
        for name in others:
            w = self.other.get(name, (0, 0))
            other.extend((w[0], w[1], tree_other.get(name, -1)))
        return _native.linear(
            tokens,
            uni.tobytes(),
            bi_start.tobytes(),
            bi_second.tobytes(),
            bi.tobytes(),
            others,
            other.tobytes(),
            self._bias[0],
            self._bias[1],
            forest.native if forest is not None else None,
            forest.weight if forest is not None else 0.0,
            forest.low if forest is not None else 0.0,
            forest.high if forest is not None else 0.0,
            forest.margin if forest is not None else 0.0,
        )

    def score(self, masked: list[str], feats: Collection[str]) -> tuple[float, float, float]:
        """(calibrated p(partisan), p(support), p(oppose)).

        ``masked`` is the masked token sequence (unigram and bigram counts, with ``<s>`` and
        ``</s>`` bigrams at the edges); ``feats`` the other, binary, features.
        """
        if self.native is not None:
            if self._native_forest is not self.forest:
                self.native = self._native_scorer()
                self._native_forest = self.forest
            p_support, p_oppose = _native.score(self.native, masked, feats)
            return self.calibrate(p_support + p_oppose), p_support, p_oppose
        z1 = 0
        z2 = 0
        other = self.other
        for feat in feats:
            w = other.get(feat)
            if w is not None:
                z1 += w[0]
                z2 += w[1]
        if masked:
            uni = self.uni
            bi = self.bi
            prev = "<s>"
            for token in masked:
                w = uni.get(token)
                if w is not None:
                    z1 += w[0]
                    z2 += w[1]
                following = bi.get(prev)
                if following is not None:
                    w = following.get(token)
                    if w is not None:
                        z1 += w[0]
                        z2 += w[1]
                prev = token
            following = bi.get(prev)
            if following is not None:
                w = following.get("</s>")
                if w is not None:
                    z1 += w[0]
                    z2 += w[1]
        s1 = self._bias[0] + z1 / WEIGHT_UNITS
        s2 = self._bias[1] + z2 / WEIGHT_UNITS
        top = max(0.0, s1, s2)
        e0 = math.exp(-top)
        e1 = math.exp(s1 - top)
        e2 = math.exp(s2 - top)
        total = e0 + e1 + e2
        p_none = e0 / total
        p_support = e1 / total
        p_oppose = e2 / total
        if self.forest is not None:
            p_support, p_oppose = self.forest.blend((p_none, p_support, p_oppose), masked, feats)
        return self.calibrate(p_support + p_oppose), p_support, p_oppose

    def calibrate(self, p_partisan: float) -> float:
        p = min(max(p_partisan, 1e-9), 1 - 1e-9)
        z = self.calib_a * math.log(p / (1 - p)) + self.calib_b
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        ez = math.exp(z)
        return ez / (1.0 + ez)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "classes": list(CLASSES),
            "bias": [round(b, 6) for b in self.bias],
            "calibration": {"a": round(self.calib_a, 6), "b": round(self.calib_b, 6)},
            "threshold": round(self.threshold, 6),
            "config_version": self.config_version,
            "metrics": self.metrics,
            "meta": self.meta,
            "triggers": sorted(self.triggers),
            "weights": {k: [round(x, 5) for x in v] for k, v in sorted(self.weights.items())},
            **({"forest": self.forest.to_json()} if self.forest is not None else {}),
        }


def load_model(path: str | Path | None = None) -> Model:
    path = Path(path) if path is not None else DEFAULT_MODEL_PATH
    try:
        data = json_loads(path.read_bytes())
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model artefact: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise ModelError(f"{path}: the model artefact is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{path}: not a detector model (format {FORMAT} expected)")
    if list(data.get("classes", [])) != list(CLASSES):
        raise ModelError(f"{path}: classes must be {list(CLASSES)}")
    calibration = data.get("calibration") or {}
    b = data["bias"]
    try:
        forest = Forest(data["forest"]) if data.get("forest") is not None else None
    except ForestError as exc:
        raise ModelError(f"{path}: {exc}") from exc
    return Model(
        bias=(float(b[0]), float(b[1]), float(b[2])),
        weights={k: (v[0], v[1], v[2]) for k, v in data["weights"].items()},
        calib_a=float(calibration.get("a", 1.0)),
        calib_b=float(calibration.get("b", 0.0)),
        threshold=float(data.get("threshold", 0.5)),
        triggers=frozenset(data.get("triggers", ())),
        config_version=data.get("config_version"),
        metrics=data.get("metrics") or {},
        meta=data.get("meta") or {},
        forest=forest,
    )
