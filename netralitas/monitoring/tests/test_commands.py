"""import-posts, scan and export-findings as the team runs them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from netralitas.cli import HYPHENATED
from netralitas.monitoring.models import Post

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_posts_prints_one_json_summary(db):
    summary = json.loads(run("import_posts", str(FIXTURES / "posts.csv"), "--json"))
    assert summary["imported"] == 3 and summary["duplicates"] == 0 and summary["rejected"] == 4
    assert summary["errors"][0] == {"line": 4, "error": "'text' is missing or empty"}
    again = json.loads(run("import_posts", str(FIXTURES / "posts.csv"), "--json"))
    assert (again["imported"], again["duplicates"]) == (0, 3)


def test_import_posts_rejects_a_file_in_the_wrong_format_with_exit_2(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("no headers\n", encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        run("import_posts", str(path), "--json")
    assert failure.value.returncode == 2
    assert Post.objects.count() == 0


def test_scan_and_export_findings(db, tmp_path):
    run("import_posts", str(FIXTURES / "wa_android_id.txt"), "--group", "Guru SDN 3")
    assert json.loads(run("scan", "--json", "--in-process")) == {
        "scanned": 5,
        "flagged": 2,
        "clustered": 2,
    }
    target = tmp_path / "findings.jsonl"
    run("export_findings", "-o", str(target))
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [row["status"] for row in rows] == ["new", "new"]
    assert rows[0]["post"]["source"] == "whatsapp"
    stdout_rows = run("export_findings").splitlines()
    assert [json.loads(line) for line in stdout_rows] == rows


def test_the_documented_hyphenated_names_reach_the_commands():
    from django.core.management import get_commands

    commands = get_commands()
    for hyphenated, command in HYPHENATED.items():
        assert command in commands, hyphenated
        assert hyphenated == command.replace("_", "-")
    assert {"import-posts", "export-findings", "import-employees", "export-case"} <= set(HYPHENATED)
