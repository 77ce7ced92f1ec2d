"""Command line of the detector; ``netralitas`` dispatches here without starting Django.

    detect INPUT.jsonl [--config FILE] [-o OUTPUT.jsonl] [--threshold X] [--model FILE]
    evaluate-detector LABELLED.jsonl [--config FILE] [--threshold X] [--model FILE]
    train-detector [--corpus DIR] [-o model.json] [--seed N] [--config FILE]

``-`` is standard input or output. ``detect`` writes one line per valid input line, in
order; a malformed line is reported on standard error as ``line N: <problem>``, the other
lines are still processed, and the exit code is 1. A configuration that does not validate
is reported (file, entry, problem) with exit code 2.

Also runnable as ``python -m netralitas.detection.cli detect ...``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import IO

from netralitas.elections.config import ConfigError

from .detector import Detector
from .jsonl import detect_stream, read_records, text_or_none
from .metrics import STANCES, format_report, report
from .model import ModelError

COMMANDS = ("detect", "evaluate-detector", "train-detector")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in COMMANDS:
        print(f"usage: netralitas {{{','.join(COMMANDS)}}} ...", file=sys.stderr)
        return 2
    command, rest = args[0], args[1:]
    if command == "train-detector":
        from .train import main as train_main

        return train_main(rest)
    if command == "detect":
        return _detect(rest)
    return _evaluate(rest)


def _load(config: str | None, model: str | None, threshold: float | None) -> Detector | None:
    try:
        return Detector.load(config_path=config, model_path=model, threshold=threshold)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
    except ModelError as exc:
        print(exc, file=sys.stderr)
    return None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="election configuration YAML (default: packaged)")
    parser.add_argument("--threshold", type=float, help="p(partisan) threshold (default: model's)")
    parser.add_argument("--model", help="model artefact (default: packaged data/model.json)")


def _open_in(path: str) -> IO[bytes]:
    return sys.stdin.buffer if path == "-" else open(path, "rb")


def _reporter(errors: list[str]) -> Callable[[int, str], None]:
    """Report a bad input line on stderr as ``line N: <problem>`` and remember it."""

    def problem(number: int, message: str) -> None:
        errors.append(message)
        print(f"line {number}: {message}", file=sys.stderr)

    return problem


def _open_detector_and_input(args: argparse.Namespace) -> tuple[Detector, IO[bytes]] | None:
    """The detector and the opened input, or None after printing why not (exit 2)."""
    detector = _load(args.config, args.model, args.threshold)
    if detector is None:
        return None
    try:
        return detector, _open_in(args.input)
    except OSError as exc:
        print(f"{args.input}: {exc.strerror or exc}", file=sys.stderr)
        return None


def _detect(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="netralitas detect", description="Flag partisan texts in a JSON-lines file."
    )
    parser.add_argument("input", help='JSON lines {"id","text","platform","action","posted_at"}')
    parser.add_argument("-o", "--output", default="-", help="output JSON lines ('-': stdout)")
    _common(parser)
    args = parser.parse_args(argv)
    opened = _open_detector_and_input(args)
    if opened is None:
        return 2
    detector, source = opened
    out = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")
    errors: list[str] = []
    try:
        detect_stream(detector, source, out, _reporter(errors))
        out.flush()
    finally:
        if source is not sys.stdin.buffer:
            source.close()
        if out is not sys.stdout.buffer:
            out.close()
    return 1 if errors else 0


def _evaluate(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="netralitas evaluate-detector",
        description="Precision, recall and F1 of the detector on a labelled JSON-lines file.",
    )
    parser.add_argument("input", help='labelled JSON lines {"id","text","stance","hard",...}')
    _common(parser)
    args = parser.parse_args(argv)
    opened = _open_detector_and_input(args)
    if opened is None:
        return 2
    detector, source = opened
    errors: list[str] = []
    gold: list[str] = []
    pred: list[str] = []
    hard: list[bool] = []
    problem = _reporter(errors)
    with source:
        for number, record in read_records(source, problem):
            stance = record.get("stance")
            if stance not in STANCES:
                problem(number, f"'stance' must be one of {', '.join(STANCES)}")
                continue
            result = detector.detect(
                record["text"],
                text_or_none(record.get("platform")),
                text_or_none(record.get("action")),
                record.get("posted_at"),
            )
            gold.append(stance)
            pred.append(result.stance)
            hard.append(bool(record.get("hard")))
    if not gold:
        print("no labelled lines to evaluate", file=sys.stderr)
        return 1
    print(format_report(report(gold, pred, hard)))
    print(f"threshold: {detector.threshold:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
