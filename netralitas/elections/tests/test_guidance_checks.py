"""The system check that refuses a broken guide at deploy time."""

from __future__ import annotations

from netralitas.elections import guidance
from netralitas.elections.checks import guidance_file_check


def test_it_passes_the_packaged_guide():
    assert guidance_file_check() == []


def test_it_reports_a_broken_guide_with_the_entry_at_fault(tmp_path, monkeypatch):
    broken = guidance.DEFAULT_GUIDANCE_PATH.read_text(encoding="utf-8").replace(
        "violation_types: [DS-05]", "violation_types: [DS-55]", 1
    )
    path = tmp_path / "guidance.yaml"
    path.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(guidance, "DEFAULT_GUIDANCE_PATH", path)
    errors = guidance_file_check()
    assert [error.id for error in errors] == ["elections.E001"]
    assert "(anggota-pengurus-partai)" in errors[0].msg and "'DS-55'" in errors[0].msg
