"""train-detector on a small corpus: reproducible, and the held-out split is never fitted."""

from __future__ import annotations

import json

import pytest

from netralitas.detection import Detector, train
from netralitas.detection.metrics import is_held_out
from netralitas.detection.model import load_model
from netralitas.elections.config import load_election_config

from .conftest import FIXTURES

pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The dev fixture four times over (distinct ids), enough for 3-fold CV."""
    rows = [json.loads(line) for line in (FIXTURES / "dev.jsonl").read_text().splitlines()]
    folder = tmp_path_factory.mktemp("corpus")
    lines = []
    for copy in range(4):
        for row in rows:
            lines.append(json.dumps({**row, "id": f"{row['id']}-{copy}", "augmented": False}))
    (folder / "w0-dev.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run_train(corpus, output, seed=7):
    return train.main(
        ["--corpus", str(corpus), "-o", str(output), "--seed", str(seed), "--folds", "3"]
    )


def test_it_trains_reproducibly_and_records_held_out_metrics(corpus, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run_train(corpus, first) == 0
    assert run_train(corpus, second) == 0
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text())
    assert data["config_version"] == load_election_config().version
    metrics = data["metrics"]
    held = [r for r in train.read_corpus(corpus) if is_held_out(r)]
    assert metrics["count"] == len(held) > 0
    assert {"macro_f1", "per_class", "hard", "hard_neutral_flag_rate"} <= set(metrics)
    model = load_model(first)
    assert 0.0 < model.threshold < 1.0
    detector = Detector(load_election_config(), model)
    assert detector.detect("coblos no 2 ya bu").stance == "support"


def test_it_never_fits_the_held_out_split(corpus, tmp_path, monkeypatch):
    seen: list[str] = []
    real_fit = train._fit

    def spy(items, *args, **kwargs):
        seen.extend(item.row["id"] for item in items)
        return real_fit(items, *args, **kwargs)

    real_fit_forest = train._fit_forest

    def spy_forest(items, *args, **kwargs):
        seen.extend(item.row["id"] for item in items)
        return real_fit_forest(items, *args, **kwargs)

    monkeypatch.setattr(train, "_fit", spy)
    monkeypatch.setattr(train, "_fit_forest", spy_forest)
    assert run_train(corpus, tmp_path / "m.json") == 0
    held = {r["id"] for r in train.read_corpus(corpus) if is_held_out(r)}
    assert held and not held & set(seen)


def test_it_reports_a_config_error(corpus, tmp_path, capsys):
    code = train.main(
        [
            "--corpus",
            str(corpus),
            "-o",
            str(tmp_path / "m.json"),
            "--config",
            str(FIXTURES / "bad-elections.yaml"),
        ]
    )
    assert code == 2
    assert "unknown party 'XYZ'" in capsys.readouterr().err
