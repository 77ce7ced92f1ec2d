"""Shared fixtures of the detector tests: one detector per session (the packaged config and
model), so that each test pays only for what it checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from netralitas.detection import Detector

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector.load()


@pytest.fixture(scope="session")
def normaliser(detector: Detector):
    return detector.normaliser


@pytest.fixture(scope="session")
def linker(detector: Detector):
    return detector.linker
