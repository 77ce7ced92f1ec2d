"""Scores shared by training and ``evaluate-detector``: per-class P/R/F1, macro-F1, and the
share of hard neutral texts flagged."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

STANCES = ("none", "support", "oppose")


def is_held_out(row: dict[str, Any]) -> bool:
    """The fixed held-out split: ``sha1(id) % 5 == 0`` and not augmented (corpus README)."""
    digest = hashlib.sha1(str(row["id"]).encode("utf-8")).hexdigest()
    return int(digest, 16) % 5 == 0 and not row.get("augmented", False)


def per_class(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for label in STANCES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    return result


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Unrounded macro-F1 over the three stances (classes absent from gold and pred count 0)."""
    total = 0.0
    for label in STANCES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / len(STANCES)


def hard_neutral_flag_rate(gold: Sequence[str], pred: Sequence[str], hard: Sequence[bool]) -> float:
    flagged = [p != "none" for g, p, h in zip(gold, pred, hard, strict=True) if h and g == "none"]
    return sum(flagged) / len(flagged) if flagged else 0.0


def report(gold: Sequence[str], pred: Sequence[str], hard: Sequence[bool]) -> dict[str, Any]:
    """The metrics block: overall, the hard slice, and the hard-neutral flag rate."""
    hard_gold = [g for g, h in zip(gold, hard, strict=True) if h]
    hard_pred = [p for p, h in zip(pred, hard, strict=True) if h]
    return {
        "count": len(gold),
        "macro_f1": macro_f1(gold, pred),
        "per_class": per_class(gold, pred),
        "hard": {
            "count": len(hard_gold),
            "macro_f1": macro_f1(hard_gold, hard_pred),
            "per_class": per_class(hard_gold, hard_pred),
        },
        "hard_neutral_count": sum(1 for g, h in zip(gold, hard, strict=True) if h and g == "none"),
        "hard_neutral_flag_rate": round(hard_neutral_flag_rate(gold, pred, hard), 6),
    }


def format_report(metrics: dict[str, Any]) -> str:
    lines = []
    for title, block in (("overall", metrics), ("hard slice", metrics["hard"])):
        lines.append(f"{title} ({block['count']} texts): macro-F1 {block['macro_f1']:.4f}")
        lines.append(f"  {'class':<8} {'precision':>9} {'recall':>7} {'F1':>7} {'n':>5}")
        for label in STANCES:
            row = block["per_class"][label]
            lines.append(
                f"  {label:<8} {row['precision']:>9.4f} {row['recall']:>7.4f} "
                f"{row['f1']:>7.4f} {row['support']:>5}"
            )
    lines.append(
        f"hard-neutral flag rate: {metrics['hard_neutral_flag_rate']:.4f} "
        f"({metrics['hard_neutral_count']} hard neutral texts)"
    )
    return "\n".join(lines)
