"""JSON lines in, JSON lines out: the record loop of ``netralitas detect`` and
``evaluate-detector``, compiled with the rest of the per-text path (see :mod:`.accel`).

Input lines are ``{"id", "text", "platform"?, "action"?, "posted_at"?}``; a line that is not
such an object is reported through ``problem(line_number, message)`` and skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

import orjson

from .detector import Detector, target_dict

Problem = Callable[[int, str], None]
BATCH = 4096  # output lines written per write() call


def read_records(lines: Iterable[bytes], problem: Problem) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each well-formed line; the others go to ``problem``."""
    number = 0
    for line in lines:
        number += 1
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except ValueError as exc:
            problem(number, f"not valid JSON ({exc})")
            continue
        if not isinstance(record, dict):
            problem(number, f"expected a JSON object, got {type(record).__name__}")
            continue
        ident = record.get("id")
        if ident is None or ident == "" or isinstance(ident, (bool, list, dict, float)):
            problem(number, "missing or empty 'id' (a string or an integer)")
            continue
        text = record.get("text")
        if not isinstance(text, str):
            found = "missing" if text is None else f"a {type(text).__name__}"
            problem(number, f"'text' must be a string, got {found}")
            continue
        yield number, record


def text_or_none(value: Any) -> str | None:
    """A platform or action: a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def detect_stream(
    detector: Detector, lines: Iterable[bytes], out: IO[bytes], problem: Problem
) -> int:
    """Detect every valid record of ``lines`` and write one output line each, in order.
    Returns the number of lines written."""
    buffer: list[bytes] = []
    written = 0
    for _number, record in read_records(lines, problem):
        result = detector.detect(
            record["text"],
            text_or_none(record.get("platform")),
            text_or_none(record.get("action")),
            record.get("posted_at"),
        )
        targets = result.targets
        buffer.append(
            orjson.dumps(
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
            written += len(buffer)
            buffer.append(b"")
            out.write(b"\n".join(buffer))
            buffer.clear()
    if buffer:
        written += len(buffer)
        buffer.append(b"")
        out.write(b"\n".join(buffer))
    return written
