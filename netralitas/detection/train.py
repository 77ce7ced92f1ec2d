"""``netralitas train-detector``: fit the stance model on the corpus and export it as JSON.

    netralitas train-detector [--corpus DIR] [-o model.json] [--seed N] [--config FILE]

1. Read every ``*.jsonl`` under the corpus folder. The held-out split (``sha1(id) % 5 == 0``
   and not augmented) is set aside at once: it is used for nothing but the final
   ``metrics`` block, computed after the artefact is complete.
2. Features come from the detector's own pipeline (normalise -> link -> mask -> features),
   so training sees exactly what detection sees.
3. Model selection by stratified k-fold cross-validation on the training part only: C and the
   class weighting of a multinomial logistic regression (scikit-learn, lbfgs), features seen
   in at least two fitting texts. Then gradient-boosted trees (LightGBM) on the same folds
   and features, and their weight in the average where the linear model is unsure
   (:class:`~netralitas.detection.forest.Forest`), by the same out-of-fold macro-F1.
4. Calibration: Platt scaling of the out-of-fold logit p(partisan). Threshold: on the
   calibrated out-of-fold scores (our dev set carved from TRAIN), the one with the best
   macro-F1 among those that flag at most 4% of hard neutral texts (the target is 5%; the
   margin absorbs the difference between dev and unseen data).
5. Refit on the whole training part, export weights, then score the held-out split with the
   real :class:`~netralitas.detection.detector.Detector` loaded from the written artefact.

scikit-learn and LightGBM are needed only here (the ``train`` extra); detection runs the
exported weights and trees itself.
Deterministic for a given seed and corpus.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netralitas.elections.config import ConfigError, ElectionConfig, load_election_config

from .detector import Detector, RuleVerdict, apply_rules, decide
from .features import ngram_counts
from .forest import Forest, from_lightgbm, mix
from .metrics import STANCES, is_held_out, macro_f1, report
from .model import CLASSES, DEFAULT_MODEL_PATH, Model

DEFAULT_CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
WEIGHTINGS = (None, "balanced")
HARD_NEUTRAL_BUDGET = 0.04
MIN_COUNT = 2  # a feature must occur in at least this many fitting texts
TRIGGER_MARGIN = 2.0  # a unigram pushing this much towards partisan disables the fast path
# The tree ensemble (LightGBM, exported as arrays): its size, where the detector consults it
# and the weights tried for the average. Chosen by cross-validation on the training part
# (netralitas/detection/README.md).
# 200 rounds at 0.1 matched 400 at 0.05 in cross-validation (0.9225 mean macro-F1 over
# seeds 13, 7, 21) with half the trees, which the detector walks per unsure text.
FOREST_PARAMS: dict[str, Any] = {
    "n_estimators": 200,
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_child_samples": 5,
    "colsample_bytree": 0.5,
}
# The band where the trees are asked: p(partisan) in [0.25, 0.98], or above it with support
# and oppose within half of each other. Cross-validation (seeds 13, 7, 21, 200-round trees):
# 0.9228 mean macro-F1 asking 15.5 % of the training texts; (0.10, 0.98, 0.80) 0.9225 at
# 20.4 %; (0.25, 0.90, 0.50) 0.9221 at 10 %, weaker on seed 21.
FOREST_BAND = (0.25, 0.98, 0.50)
FOREST_WEIGHTS = (0.0, 0.5, 0.7)  # 0: the linear model alone


class CorpusError(ValueError):
    pass


def read_corpus(folder: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    problems: list[str] = []
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise CorpusError(f"{folder}: no *.jsonl corpus files")
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                problems.append(f"{path.name} line {number}: bad JSON ({exc})")
                continue
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                problems.append(f"{path.name} line {number}: not an object with a text")
                continue
            if row.get("stance") not in STANCES:
                problems.append(f"{path.name} line {number}: stance {row.get('stance')!r}")
                continue
            if row.get("id") in seen:
                problems.append(f"{path.name} line {number}: duplicate id {row.get('id')!r}")
                continue
            seen.add(row["id"])
            rows.append(row)
    if problems:
        # Report, skip the bad lines, go on: a half-written corpus file should not block.
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
    return rows


# ---------------------------------------------------------------------- features


class Prepared:
    """A corpus row with its features, computed once."""

    __slots__ = ("row", "quiet", "masked", "feats", "tokens", "verdict", "gold", "hard")

    def __init__(self, detector: Detector, row: dict[str, Any]) -> None:
        self.row = row
        quiet, analysis, feats = detector.analyse(
            row["text"], row.get("platform"), row.get("action")
        )
        self.quiet = quiet
        self.masked = analysis.masked
        self.feats = feats
        self.tokens = frozenset(analysis.norms)
        self.verdict: RuleVerdict | None = apply_rules(analysis, feats)
        self.gold: str = row["stance"]
        self.hard = bool(row.get("hard"))


def _fit(
    items: Sequence[Prepared], c: float, weighting: str | None, seed: int
) -> tuple[Model, list[str]]:
    """Fit a logistic regression; return it as a pure-Python Model (uncalibrated)."""
    from sklearn.linear_model import LogisticRegression

    vectorizer, matrix, keep = _design(items)
    labels = [item.gold for item in items]
    classifier = LogisticRegression(
        C=c, class_weight=weighting, max_iter=5000, random_state=seed, tol=1e-6
    )
    missing = set(CLASSES) - set(labels)
    if missing:
        raise CorpusError(f"no training text with stance {', '.join(sorted(missing))}")
    classifier.fit(matrix, labels)
    order = [list(classifier.classes_).index(label) for label in CLASSES]
    coef = classifier.coef_
    intercept = classifier.intercept_
    names = vectorizer.get_feature_names_out()
    weights: dict[str, tuple[float, float, float]] = {}
    for column, name in enumerate(names):
        w = (
            float(coef[order[0], column]),
            float(coef[order[1], column]),
            float(coef[order[2], column]),
        )
        mean = sum(w) / 3
        if max(abs(x - mean) for x in w) < 1e-4:
            continue  # no effect on the softmax
        weights[str(name)] = (w[0] - mean, w[1] - mean, w[2] - mean)
    mean_b = float(sum(intercept)) / 3
    bias = (
        float(intercept[order[0]]) - mean_b,
        float(intercept[order[1]]) - mean_b,
        float(intercept[order[2]]) - mean_b,
    )
    model = Model(bias=bias, weights=weights)
    model.triggers = _triggers(model)
    return model, list(keep)


def _design(items: Sequence[Prepared]) -> tuple[Any, Any, set[str]]:
    """(vectorizer, sparse matrix, kept feature names): the features of ``items`` seen in at
    least MIN_COUNT of them, binary features as 1 and n-grams as counts."""
    from sklearn.feature_extraction import DictVectorizer

    rows = []
    counts: Counter[str] = Counter()
    for item in items:
        row: dict[str, float] = dict.fromkeys(item.feats, 1.0)
        row.update(ngram_counts(item.masked))
        rows.append(row)
        counts.update(row.keys())
    keep = {f for f, n in counts.items() if n >= MIN_COUNT}
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([{f: v for f, v in row.items() if f in keep} for row in rows])
    return vectorizer, matrix, keep


def _fit_forest(items: Sequence[Prepared], seed: int, weight: float) -> Forest:
    """Fit the tree ensemble on the same features as the linear model."""
    from lightgbm import LGBMClassifier

    vectorizer, matrix, _keep = _design(items)
    classifier = LGBMClassifier(
        **FOREST_PARAMS,
        class_weight="balanced",
        random_state=seed,
        n_jobs=1,
        deterministic=True,
        force_col_wise=True,
        verbose=-1,
    )
    # Integer labels in CLASSES order, so that tree k % 3 scores CLASSES[k % 3].
    classifier.fit(matrix, [CLASSES.index(item.gold) for item in items])
    names = [str(name) for name in vectorizer.get_feature_names_out()]
    return from_lightgbm(classifier.booster_, names, weight=weight, band=FOREST_BAND)


def _tree_probabilities(
    forest: Forest, items: Sequence[Prepared]
) -> list[tuple[float, float, float]]:
    return [forest.probabilities(item.masked, item.feats) for item in items]


def _blended(
    raw: Sequence[tuple[float, float, float]],
    trees: Sequence[tuple[float, float, float]],
    forest: Forest,
    weight: float,
) -> list[tuple[float, float, float]]:
    """Raw (p(partisan), p(support), p(oppose)) after the detector's blending rule."""
    result = []
    for (partisan, p_support, p_oppose), tree in zip(raw, trees, strict=True):
        linear = (1 - partisan, p_support, p_oppose)
        if weight and forest.unsure(*linear):
            p_support, p_oppose = mix(linear, tree, weight)
        result.append((p_support + p_oppose, p_support, p_oppose))
    return result


def _triggers(model: Model) -> frozenset[str]:
    """Unigrams that push towards partisan: a text containing one skips the fast path."""
    found = set()
    for name, (w0, w1, w2) in model.weights.items():
        if name.startswith("u:") and max(w1, w2) - w0 > TRIGGER_MARGIN:
            token = name[2:]
            if token and token[0].islower():
                found.add(token)
    return frozenset(found)


def _raw_scores(model: Model, items: Sequence[Prepared]) -> list[tuple[float, float, float]]:
    """(uncalibrated p(partisan), p(support), p(oppose)) per item."""
    result = []
    identity = Model(bias=model.bias, weights=model.weights)
    for item in items:
        _, p_support, p_oppose = identity.score(item.masked, item.feats)
        result.append((p_support + p_oppose, p_support, p_oppose))
    return result


def _predict(
    items: Sequence[Prepared],
    scores: Sequence[tuple[float, float, float]],
    threshold: float,
    quiet: Sequence[bool],
) -> list[str]:
    predictions = []
    for item, (score, p_support, p_oppose), is_quiet in zip(items, scores, quiet, strict=True):
        if is_quiet:
            predictions.append("none")
        else:
            predictions.append(decide(score, p_support, p_oppose, item.verdict, threshold).stance)
    return predictions


def _platt(raw: Sequence[float], gold: Sequence[bool]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    xs = [[_logit(p)] for p in raw]
    calibrator = LogisticRegression(C=1e4, max_iter=1000)
    calibrator.fit(xs, [int(g) for g in gold])
    return float(calibrator.coef_[0][0]), float(calibrator.intercept_[0])


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _calibrate(
    items: Sequence[Prepared],
    gold: Sequence[str],
    raw: Sequence[tuple[float, float, float]],
    quiet: Sequence[bool],
) -> tuple[float, float, float, float, float]:
    """Platt scaling of out-of-fold scores, then the threshold chosen on the calibrated
    ones: (a, b, threshold, macro-F1, hard-neutral flag rate)."""
    a, b = _platt([r[0] for r in raw], [g != "none" for g in gold])
    calibrated = [(_sigmoid(a * _logit(r[0]) + b), r[1], r[2]) for r in raw]
    threshold, f1, rate = _choose_threshold(items, calibrated, quiet)
    return a, b, threshold, f1, rate


def _choose_threshold(
    items: Sequence[Prepared],
    calibrated: Sequence[tuple[float, float, float]],
    quiet: Sequence[bool],
) -> tuple[float, float, float]:
    """(threshold, macro-F1, hard-neutral flag rate) on the out-of-fold predictions."""
    gold = [item.gold for item in items]
    hard_neutral = [i for i, item in enumerate(items) if item.hard and item.gold == "none"]
    best: tuple[float, float, float] | None = None
    candidates = [round(0.05 + 0.01 * k, 2) for k in range(91)]
    results = []
    for threshold in candidates:
        predicted = _predict(items, calibrated, threshold, quiet)
        rate = (
            sum(1 for i in hard_neutral if predicted[i] != "none") / len(hard_neutral)
            if hard_neutral
            else 0.0
        )
        results.append((threshold, macro_f1(gold, predicted), rate))
    allowed = [r for r in results if r[2] <= HARD_NEUTRAL_BUDGET] or [
        min(results, key=lambda r: r[2])
    ]
    top = max(r[1] for r in allowed)
    # Among equally good thresholds take the middle of the plateau (robust to drift).
    plateau = [r for r in allowed if r[1] >= top - 1e-9]
    best = plateau[len(plateau) // 2]
    return best


def _folds(items: Sequence[Prepared], folds: int, seed: int) -> list[tuple[Any, Any]]:
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    labels = [f"{item.gold}{'-hard' if item.hard else ''}" for item in items]
    return list(splitter.split(list(range(len(items))), labels))


def _cross_validate(
    items: Sequence[Prepared], folds: int, seed: int, c: float, weighting: str | None
) -> tuple[list[tuple[float, float, float]], list[bool]]:
    """Out-of-fold raw scores and fast-path flags for one setting."""
    scores: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)] * len(items)
    quiet: list[bool] = [False] * len(items)
    for fit_index, test_index in _folds(items, folds, seed):
        model, _ = _fit([items[i] for i in fit_index], c, weighting, seed)
        fold_items = [items[i] for i in test_index]
        fold_scores = _raw_scores(model, fold_items)
        for i, score in zip(test_index, fold_scores, strict=True):
            scores[i] = score
            # The fast path of this fold's detector: the linker's cues or the fold model's.
            quiet[i] = items[i].quiet and not (items[i].tokens & model.triggers)
    return scores, quiet


def _cross_validate_trees(
    items: Sequence[Prepared], folds: int, seed: int
) -> tuple[list[tuple[float, float, float]], Forest]:
    """Out-of-fold tree probabilities (same folds as :func:`_cross_validate`)."""
    trees: list[tuple[float, float, float]] = [(1.0, 0.0, 0.0)] * len(items)
    forest: Forest | None = None
    for fit_index, test_index in _folds(items, folds, seed):
        forest = _fit_forest([items[i] for i in fit_index], seed, 0.0)
        for i, probabilities in zip(
            test_index, _tree_probabilities(forest, [items[i] for i in test_index]), strict=True
        ):
            trees[i] = probabilities
    assert forest is not None
    return trees, forest


def train(
    rows: list[dict[str, Any]],
    config: ElectionConfig,
    *,
    seed: int = 13,
    folds: int = 5,
    log: Any = None,
) -> Model:
    def say(message: str) -> None:
        if log is not None:
            print(message, file=log, flush=True)

    train_rows = [row for row in rows if not is_held_out(row)]
    held_rows = [row for row in rows if is_held_out(row)]
    say(f"corpus: {len(rows)} texts; training part {len(train_rows)}, held out {len(held_rows)}")
    # A detector without weights, only for its normaliser, linker and feature extraction.
    shell = Detector(config, Model(bias=(0.0, 0.0, 0.0), weights={}))
    items = [Prepared(shell, row) for row in train_rows]
    gold = [item.gold for item in items]

    best: tuple[float, float, str | None, list[tuple[float, float, float]], list[bool]] | None
    best = None
    cv_table = []
    for weighting in WEIGHTINGS:
        for c in C_GRID:
            raw, quiet = _cross_validate(items, folds, seed, c, weighting)
            _a, _b, threshold, f1, rate = _calibrate(items, gold, raw, quiet)
            cv_table.append(
                {
                    "C": c,
                    "class_weight": weighting,
                    "threshold": threshold,
                    "macro_f1": round(f1, 4),
                    "hard_neutral_flag_rate": round(rate, 4),
                }
            )
            say(
                f"  cv C={c:<5} weight={weighting!s:<8} threshold={threshold:.2f} "
                f"macro-F1={f1:.4f} hard-neutral flagged={rate:.3f}"
            )
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, c, weighting, raw, quiet)
    assert best is not None
    f1, c, weighting, raw, quiet = best
    # The trees, blended in where the linear model is unsure: the weight (0 = no trees) by
    # the same out-of-fold macro-F1; then calibration and threshold from the blended scores.
    say(f"cv trees: {FOREST_PARAMS}")
    trees, fold_forest = _cross_validate_trees(items, folds, seed)
    forest_table = []
    chosen: tuple[float, float, float, float, float, float] | None = None
    for weight in FOREST_WEIGHTS:
        blended = _blended(raw, trees, fold_forest, weight)
        a, b, threshold, f1, rate = _calibrate(items, gold, blended, quiet)
        forest_table.append(
            {
                "weight": weight,
                "threshold": threshold,
                "macro_f1": round(f1, 4),
                "hard_neutral_flag_rate": round(rate, 4),
            }
        )
        say(
            f"  cv trees weight={weight:.1f} threshold={threshold:.2f} macro-F1={f1:.4f} "
            f"hard-neutral flagged={rate:.3f}"
        )
        if chosen is None or f1 > chosen[0] + 1e-9:
            chosen = (f1, weight, a, b, threshold, rate)
    assert chosen is not None
    f1, weight, a, b, threshold, rate = chosen
    say(
        f"chosen: C={c} class_weight={weighting} trees weight={weight} "
        f"threshold={threshold:.2f} (cv macro-F1 {f1:.4f})"
    )

    model, _ = _fit(items, c, weighting, seed)
    model.calib_a, model.calib_b, model.threshold = a, b, threshold
    if weight:
        model.forest = _fit_forest(items, seed, weight)
    # How often the fast path (no election cue) fires on training texts, and on how many
    # partisan ones: it should be none.
    fast = [item for item in items if item.quiet and not item.tokens & model.triggers]
    fast_path = {
        "train_texts": len(fast),
        "partisan_among_them": sum(1 for item in fast if item.gold != "none"),
    }
    model.config_version = config.version
    model.meta = {
        "seed": seed,
        "folds": folds,
        "C": c,
        "class_weight": weighting,
        "features": len(model.weights),
        "train_count": len(items),
        "train_stances": dict(Counter(gold)),
        "cv": cv_table,
        "cv_trees": forest_table,
        "trees": {**FOREST_PARAMS, "band": list(FOREST_BAND), "weight": weight},
        "cv_chosen": {"macro_f1": round(f1, 4), "hard_neutral_flag_rate": round(rate, 4)},
        "hard_neutral_budget": HARD_NEUTRAL_BUDGET,
        "fast_path": fast_path,
    }
    return model


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1 + ez)


def evaluate_rows(detector: Detector, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The metrics block of ``rows`` scored by the full detector (fast path, rules...)."""
    gold = [row["stance"] for row in rows]
    pred = [
        detector.detect(
            row["text"], row.get("platform"), row.get("action"), row.get("posted_at")
        ).stance
        for row in rows
    ]
    hard = [bool(row.get("hard")) for row in rows]
    return report(gold, pred, hard)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="netralitas train-detector",
        description="Train the partisan-content detector on the labelled corpus.",
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--config", type=Path, default=None, help="election YAML")
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("train-detector needs scikit-learn: pip install 'netralitas[train]'", file=sys.stderr)
        return 2
    try:
        config = load_election_config(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        rows = read_corpus(args.corpus)
    except CorpusError as exc:
        print(exc, file=sys.stderr)
        return 2
    model = train(rows, config, seed=args.seed, folds=args.folds, log=sys.stderr)
    held = [row for row in rows if is_held_out(row)]
    detector = Detector(config, model)
    metrics = evaluate_rows(detector, held)
    metrics["split"] = "held-out: sha1(id) % 5 == 0 and not augmented"
    model.metrics = metrics
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(
        f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KiB, "
        f"{len(model.weights)} weights); held-out macro-F1 {metrics['macro_f1']:.4f}, "
        f"hard slice {metrics['hard']['macro_f1']:.4f}, "
        f"hard-neutral flagged {metrics['hard_neutral_flag_rate']:.3f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
