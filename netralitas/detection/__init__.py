"""Partisan-content detector: a pure library (no Django import; a test enforces it).

    from netralitas.detection import Detector, detect, detect_many

    detect("ayo coblos 02!", platform="whatsapp", posted_at="2024-01-20")
    Detector.load(config_path="other.yaml").detect_many(posts)

Pipeline (design: shared/detector-notes.md, option A): :mod:`.normalise` (informal
Indonesian, offsets kept) -> :mod:`.linker` (targets from the election configuration,
context-typed numbers, masking) -> :mod:`.features` -> :mod:`.model` (multinomial logistic
regression exported as a weight dict, calibrated) -> precision rules and evidence in
:mod:`.detector`. Training: :mod:`.train`; command line: :mod:`.cli`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from . import accel

# Before any other submodule is imported: the compiled build, when current (see accel).
accel.enable(__path__)

from .detector import Detection, Detector, Evidence, target_dict  # noqa: E402
from .linker import Target  # noqa: E402

__all__ = [
    "Detection",
    "Detector",
    "Evidence",
    "Target",
    "default_detector",
    "detect",
    "detect_many",
    "target_dict",
]

_default: Detector | None = None


def default_detector() -> Detector:
    """The detector with the packaged election configuration and model, loaded once."""
    global _default
    if _default is None:
        _default = Detector.load()
    return _default


def detect(
    text: str, platform: str | None = None, action: str | None = None, posted_at: Any = None
) -> Detection:
    return default_detector().detect(text, platform, action, posted_at)


def detect_many(posts: Iterable[Mapping[str, Any] | str]) -> Iterator[Detection]:
    return default_detector().detect_many(posts)
