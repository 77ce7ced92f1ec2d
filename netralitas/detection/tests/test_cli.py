from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from netralitas.detection import cli

from .conftest import FIXTURES


def run(argv, capsys, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write_lines(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_it_writes_one_line_per_input_in_order(tmp_path, capsys):
    posts = [
        {"id": f"p{i}", "text": text, "platform": "whatsapp", "posted_at": "2024-01-20"}
        for i, text in enumerate(
            ["coblos 02 ya", "selamat pagi bapak ibu", "antrean no 2", "Jangan pilih Gibran"]
        )
    ]
    source = write_lines(tmp_path / "in.jsonl", [json.dumps(p) for p in posts])
    target = tmp_path / "out.jsonl"
    code, _out, err = run(["detect", str(source), "-o", str(target)], capsys)
    assert code == 0, err
    results = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["id"] for r in results] == ["p0", "p1", "p2", "p3"]
    first = results[0]
    assert set(first) == {"id", "partisan", "stance", "score", "targets", "evidence"}
    assert first["partisan"] is True and first["stance"] == "support"
    assert first["targets"] == [
        {
            "kind": "candidate",
            "contest": "pilpres-2024",
            "ballot_number": 2,
            "name": "Prabowo–Gibran",
        }
    ]
    for span in first["evidence"]:
        assert posts[0]["text"][span["start"] : span["end"]] == span["text"]
        assert span["why"]
    assert results[1]["partisan"] is False and results[1]["stance"] == "none"
    assert results[3]["stance"] == "oppose"


def test_it_reports_bad_lines_with_numbers_and_goes_on(tmp_path, capsys):
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "a", "text": "coblos 02"}),
            "{not json",
            json.dumps(["a", "list"]),
            json.dumps({"text": "no id"}),
            json.dumps({"id": "", "text": "empty id"}),
            json.dumps({"id": "b", "text": 12}),
            json.dumps({"id": "c"}),
            json.dumps({"id": "d", "text": "selamat pagi"}),
        ],
    )
    target = tmp_path / "out.jsonl"
    code, _out, err = run(["detect", str(source), "-o", str(target)], capsys)
    assert code == 1
    for number in (2, 3, 4, 5, 6, 7):
        assert f"line {number}: " in err
    assert "line 1:" not in err and "line 8:" not in err
    ids = [json.loads(line)["id"] for line in target.read_text().splitlines()]
    assert ids == ["a", "d"]


def test_it_reads_stdin_and_writes_stdout_with_a_dash(capsys, monkeypatch):
    data = (json.dumps({"id": 1, "text": "03!!!", "action": "comment"}) + "\n").encode()
    code, out, err = run(["detect", "-", "-o", "-"], capsys, stdin=data, monkeypatch=monkeypatch)
    assert code == 0, err
    result = json.loads(out)
    assert result["id"] == 1 and result["stance"] == "support"


def test_it_runs_as_a_module_through_pipes():
    lines = "\n".join(
        json.dumps({"id": f"x{i}", "text": t}) for i, t in enumerate(["01!!", "rapat jam 9"])
    )
    done = subprocess.run(
        [sys.executable, "-m", "netralitas.detection.cli", "detect", "-"],
        input=lines + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["x0", "x1"]


def test_it_applies_a_threshold_from_the_command_line(tmp_path, capsys):
    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": "coblos 02"})])
    code, out, _err = run(["detect", str(source), "--threshold", "1.01"], capsys)
    assert code == 0
    assert json.loads(out)["partisan"] is False


def test_it_reports_config_validation_errors_and_exits_2(tmp_path, capsys):
    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": "coblos 02"})])
    bad = FIXTURES / "bad-elections.yaml"
    code, out, err = run(["detect", str(source), "--config", str(bad)], capsys)
    assert code == 2
    assert out == ""
    assert "bad-elections.yaml" in err
    assert "pairs[0]" in err and "unknown party 'XYZ'" in err


def test_it_reports_a_missing_config_file(tmp_path, capsys):
    code, _out, err = run(
        ["evaluate-detector", str(FIXTURES / "dev.jsonl"), "--config", str(tmp_path / "x.yaml")],
        capsys,
    )
    assert code == 2
    assert "x.yaml" in err and "cannot read" in err


def test_it_detects_with_another_config(tmp_path, capsys):
    config = tmp_path / "elections.yaml"
    config.write_text(
        (FIXTURES / "bad-elections.yaml").read_text().replace("parties: [XYZ]", "parties: [PKB]")
    )
    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": "Tiga Calon"})])
    code, out, err = run(["detect", str(source), "--config", str(config)], capsys)
    assert code == 0, err
    assert json.loads(out)["targets"][0]["name"] == "Tiga–Empat"


def test_it_evaluates_a_labelled_file(capsys):
    code, out, _err = run(["evaluate-detector", str(FIXTURES / "dev.jsonl")], capsys)
    assert code == 0
    assert "macro-F1" in out
    assert "hard slice" in out
    assert "hard-neutral flag rate" in out
    for label in ("none", "support", "oppose"):
        assert label in out


def test_it_rejects_an_unknown_command(capsys):
    code, _out, err = run(["detekt"], capsys)
    assert code == 2 and "usage" in err


@pytest.mark.parametrize("command", ["detect", "evaluate-detector"])
def test_it_reports_a_missing_input_file(command, tmp_path, capsys):
    code, _out, err = run([command, str(tmp_path / "none.jsonl")], capsys)
    assert code == 2 and "none.jsonl" in err
