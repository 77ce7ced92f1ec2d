"""The optional compiled build: when it is used, and that it decides exactly as the source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from netralitas.detection import accel

CORPUS = accel.DATA_DIR / "corpus"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")


def fake_build(directory: Path, sources: dict[str, str] | None = None) -> Path:
    """A directory shaped like a build of the current sources (empty extension files)."""
    directory.mkdir()
    for name in (*accel.COMPILED, *accel.NATIVE, "_accel__mypyc"):
        (directory / f"{name}{SUFFIX}").write_bytes(b"")
    stamp = {
        "runtime": accel._runtime(),
        "sources": sources or accel._fingerprint(accel.PACKAGE_DIR),
    }
    (directory / accel.STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    return directory


def test_a_current_build_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("NETRALITAS_PURE", raising=False)
    assert accel.check(compiled_dir=fake_build(tmp_path / "c")) == "compiled"


def test_no_build_means_pure_python(tmp_path, monkeypatch):
    monkeypatch.delenv("NETRALITAS_PURE", raising=False)
    assert accel.check(compiled_dir=tmp_path / "missing").startswith("pure: not built")


def test_a_build_of_other_sources_is_not_used(tmp_path, monkeypatch):
    monkeypatch.delenv("NETRALITAS_PURE", raising=False)
    stale = dict(accel._fingerprint(accel.PACKAGE_DIR), linker="0" * 64)
    status = accel.check(compiled_dir=fake_build(tmp_path / "c", stale))
    assert status.startswith("pure: sources changed")


def test_a_missing_extension_is_not_used(tmp_path, monkeypatch):
    monkeypatch.delenv("NETRALITAS_PURE", raising=False)
    directory = fake_build(tmp_path / "c")
    (directory / f"model{SUFFIX}").unlink()
    assert accel.check(compiled_dir=directory) == f"pure: model{SUFFIX} is missing"


def test_the_environment_can_force_pure_python(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRALITAS_PURE", "1")
    assert accel.check(compiled_dir=fake_build(tmp_path / "c")) == "pure: NETRALITAS_PURE is set"


def detect_corpus(tmp_path: Path, pure: bool) -> tuple[str, bytes]:
    posts = tmp_path / "posts.jsonl"
    if not posts.exists():
        lines = []
        for path in sorted(CORPUS.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                row.pop("stance")
                lines.append(json.dumps(row, ensure_ascii=False))
        posts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NETRALITAS_PURE"}
    if pure:
        env["NETRALITAS_PURE"] = "1"
    code = (
        "import sys; from netralitas.detection import accel, cli; "
        "print(accel.STATUS, file=sys.stderr); sys.exit(cli.main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "detect", str(posts)], capture_output=True, env=env, check=True
    )
    return done.stderr.decode().strip(), done.stdout


@pytest.mark.skipif(accel.STATUS != "compiled", reason=f"compiled detector {accel.STATUS}")
def test_compiled_and_pure_python_detect_the_same(tmp_path):
    compiled_status, compiled = detect_corpus(tmp_path, pure=False)
    pure_status, pure = detect_corpus(tmp_path, pure=True)
    assert (compiled_status, pure_status) == ("compiled", "pure: NETRALITAS_PURE is set")
    assert compiled.count(b"\n") > 2000
    assert compiled == pure


def test_make_rebuilds_when_any_compiled_source_changes():
    # `make install` rebuilds only when a file of ACCEL_SRC is newer than the stamp; a
    # source missing there would leave a stale build that the stamp check then refuses.
    makefile = (accel.PACKAGE_DIR.parents[1] / "Makefile").read_text(encoding="utf-8")
    lines = makefile.split("ACCEL_SRC :=", 1)[1].splitlines()
    value = []
    for line in lines:  # the value, with its backslash continuations
        value.append(line.rstrip("\\"))
        if not line.endswith("\\"):
            break
    listed = " ".join(value).replace(",", " ").replace(")", " ").split()
    for name in [f"{n}.py" for n in accel.COMPILED] + [f"{n}.c" for n in accel.NATIVE]:
        assert name in listed, name


def test_the_c_extensions_are_found_exactly_when_the_build_is_used():
    from netralitas.detection import forest, model, normalise

    found = {name: accel.native(name) for name in accel.NATIVE}
    if accel.STATUS == "compiled":
        assert all(module is not None for module in found.values())
        assert model._native is forest._native is found["_scorer"]
        assert normalise._native is found["_chunks"]
    else:
        assert found == {name: None for name in accel.NATIVE}
        assert model._native is forest._native is normalise._native is None
    assert accel.native("_no_such_extension") is None
