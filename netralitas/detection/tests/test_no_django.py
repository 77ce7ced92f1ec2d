from __future__ import annotations

import subprocess
import sys


def test_it_imports_and_detects_without_django():
    code = (
        "import sys\n"
        "import netralitas.detection as d\n"
        "import netralitas.detection.cli, netralitas.detection.train\n"
        "d.detect('coblos 02 ya')\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
