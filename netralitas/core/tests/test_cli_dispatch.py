"""`netralitas detect` runs through the console script without setting Django up."""

import json
import subprocess
import sys

PROBE = """
import sys
from netralitas import cli
sys.argv = ["netralitas", "detect", "-"]
try:
    cli.main()
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\nDJANGO_LOADED=%s\\n" % ("django" in sys.modules))
sys.exit(code)
"""


def run(stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_it_detects_through_the_console_script_without_django():
    result = run('{"id": "a", "text": "Ayo coblos 02 biar menang!!", "posted_at": "2024-01-20"}\n')
    assert result.returncode == 0, result.stderr
    assert "DJANGO_LOADED=False" in result.stderr
    line = json.loads(result.stdout.splitlines()[0])
    assert line["id"] == "a" and line["stance"] == "support"


def test_it_reports_bad_lines_and_exits_non_zero():
    result = run('{"id": "a", "text": "rapat jam 9"}\nnot json\n{"id": "b", "text": "lantai 3"}\n')
    assert result.returncode != 0
    assert "line 2" in result.stderr
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a", "b"]
