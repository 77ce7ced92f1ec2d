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
import json
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

from netralitas.elections.config import ConfigError

from .detector import Detector, target_dict
from .metrics import STANCES, format_report, report
from .model import ModelError

try:
    import orjson

    _loads: Callable[[bytes | str], Any] = orjson.loads

    def _dumps(value: Any) -> bytes:
        return orjson.dumps(value)

except ImportError:  # pragma: no cover - exercised only without orjson
    _loads = json.loads

    def _dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


BATCH = 4096
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


def _records(stream: IO[bytes], errors: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each well-formed line; problems go to ``errors`` and stderr."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = _loads(line)
        except ValueError as exc:
            _problem(errors, number, f"not valid JSON ({exc})")
            continue
        if not isinstance(record, dict):
            _problem(errors, number, f"expected a JSON object, got {type(record).__name__}")
            continue
        ident = record.get("id")
        if ident is None or ident == "" or isinstance(ident, bool | list | dict | float):
            _problem(errors, number, "missing or empty 'id' (a string or an integer)")
            continue
        text = record.get("text")
        if not isinstance(text, str):
            found = "missing" if text is None else f"a {type(text).__name__}"
            _problem(errors, number, f"'text' must be a string, got {found}")
            continue
        yield number, record


def _problem(errors: list[str], number: int, message: str) -> None:
    errors.append(message)
    print(f"line {number}: {message}", file=sys.stderr)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


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
    detect = detector.detect
    buffer: list[bytes] = []
    dumps = _dumps
    try:
        for _number, record in _records(source, errors):
            platform = record.get("platform")
            action = record.get("action")
            result = detect(
                record["text"],
                platform if platform.__class__ is str and platform else None,
                action if action.__class__ is str and action else None,
                record.get("posted_at"),
            )
            targets = result.targets
            buffer.append(
                dumps(
                    {
                        "id": record["id"],
                        "partisan": result.partisan,
                        "stance": result.stance,
                        "score": result.score,
                        "targets": [target_dict(t) for t in targets] if targets else [],
                        "evidence": result.evidence,
                    }
                )
            )
            if len(buffer) >= BATCH:
                buffer.append(b"")
                out.write(b"\n".join(buffer))
                buffer.clear()
        if buffer:
            buffer.append(b"")
            out.write(b"\n".join(buffer))
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
    with source:
        for number, record in _records(source, errors):
            stance = record.get("stance")
            if stance not in STANCES:
                _problem(errors, number, f"'stance' must be one of {', '.join(STANCES)}")
                continue
            result = detector.detect(
                record["text"],
                _text_or_none(record.get("platform")),
                _text_or_none(record.get("action")),
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
