"""The baseline: the keyword alert a monitoring team would otherwise use.

One compiled alternation of every contestant's names, nicknames, party names and
abbreviations from the election configuration; a post that matches is flagged.
This is what the detector must beat on quality and match on speed.

    python benchmarks/keyword_alert.py POSTS.jsonl [-o OUT.jsonl]
    python benchmarks/keyword_alert.py --evaluate   # quality on the corpus's held-out split
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from netralitas.elections.config import load_election_config


def build_pattern() -> re.Pattern[str]:
    config = load_election_config()
    words: set[str] = set()
    for party in config.parties:
        words.update([party.name, *party.abbreviations, *party.nicknames])
    for election in config.elections:
        for contest in election.contests:
            for pair in contest.pairs:
                words.update([*pair.names, *pair.nicknames, *pair.hashtags])
                words.update(name.split()[0] for name in pair.names if name)
    words = {w for w in words if len(w) >= 3}
    alternation = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def evaluate(pattern: re.Pattern[str]) -> int:
    """Partisan yes/no quality on the held-out split (the alert has no stance)."""
    from pathlib import Path

    from netralitas.detection.metrics import is_held_out

    corpus = Path(__file__).resolve().parents[1] / "netralitas/detection/data/corpus"
    rows = [
        json.loads(line)
        for path in sorted(corpus.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    held = [r for r in rows if is_held_out(r)]
    tp = fp = fn = 0
    hard_neutral = flagged_hard_neutral = 0
    for row in held:
        flagged = pattern.search(row["text"]) is not None
        partisan = row["stance"] != "none"
        tp += flagged and partisan
        fp += flagged and not partisan
        fn += (not flagged) and partisan
        if row.get("hard") and not partisan:
            hard_neutral += 1
            flagged_hard_neutral += flagged
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"keyword alert on {len(held)} held-out texts: partisan precision {precision:.3f} "
        f"recall {recall:.3f} F1 {f1:.3f}; hard neutral flagged "
        f"{flagged_hard_neutral}/{hard_neutral} ({flagged_hard_neutral / max(hard_neutral, 1):.1%})"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("input", nargs="?")
    parser.add_argument("-o", "--output", default="-")
    parser.add_argument("--evaluate", action="store_true")
    args = parser.parse_args()
    pattern = build_pattern()
    if args.evaluate:
        return evaluate(pattern)
    if not args.input:
        parser.error("give POSTS.jsonl or --evaluate")
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    with open(args.input, encoding="utf-8") as src, out:
        buffer = []
        for line in src:
            post = json.loads(line)
            match = pattern.search(post["text"])
            buffer.append(json.dumps({"id": post["id"], "partisan": match is not None}))
            if len(buffer) >= 4096:
                out.write("\n".join(buffer) + "\n")
                buffer.clear()
        if buffer:
            out.write("\n".join(buffer) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
