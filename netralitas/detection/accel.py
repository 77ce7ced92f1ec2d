"""Optional compiled build of the detector's hot modules (mypyc), with a pure-Python fallback.

``python -m netralitas.detection.compile`` compiles :data:`COMPILED` with mypyc into
``_compiled/`` (not in git; ``make install`` runs it). The same source files are compiled, so
the output is the same, about one and a half times faster. The package's ``__init__`` calls
:func:`enable` before importing anything else: the compiled modules are used only when
they were built from the current sources by this interpreter; otherwise (never built, a
source edited since, another Python, or ``NETRALITAS_PURE=1``) the package runs as plain
Python. ``python -m netralitas.detection.compile status`` says which and why.

This module must stay importable without mypy, setuptools or a compiler.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import MutableSequence
from pathlib import Path
from typing import Any

# Compiled modules get a wrong __file__ (mypyc), so the data directory is named here.
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
COMPILED_DIR = PACKAGE_DIR / "_compiled"
STAMP = "stamp.json"
# Dependency order does not matter to mypyc; these are the modules on the per-text path.
COMPILED = ("normalise", "linker", "features", "forest", "model", "detector", "jsonl")
# C extensions built beside them (plain C, no mypyc): the stance models' scoring and
# the normaliser's chunk cache.
NATIVE = ("_scorer", "_chunks")
GROUP = "netralitas.detection._accel"

# Set by enable(): "compiled" or "pure: <reason>".
STATUS = "pure: not checked"


class BuildError(RuntimeError):
    """mypyc or the C compiler failed (the message is the last line of its output)."""


def _fingerprint(package_dir: Path) -> dict[str, str]:
    sources = [f"{name}.py" for name in COMPILED] + [f"{name}.c" for name in NATIVE]
    return {name: hashlib.sha256((package_dir / name).read_bytes()).hexdigest() for name in sources}


def _runtime() -> str:
    return f"{sys.implementation.cache_tag} {sysconfig.get_config_var('EXT_SUFFIX')}"


def check(package_dir: Path = PACKAGE_DIR, compiled_dir: Path | None = None) -> str:
    """ "compiled" when ``compiled_dir`` holds a build of the current sources for this
    interpreter, else "pure: <why not>"."""
    compiled_dir = compiled_dir or package_dir / "_compiled"
    if os.environ.get("NETRALITAS_PURE"):
        return "pure: NETRALITAS_PURE is set"
    try:
        stamp = json.loads((compiled_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "pure: not built (python -m netralitas.detection.compile)"
    if stamp.get("runtime") != _runtime():
        return "pure: built for another Python"
    try:
        if stamp.get("sources") != _fingerprint(package_dir):
            return "pure: sources changed since the build (rebuild with make install)"
    except OSError:
        return "pure: a source file is missing"
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for name in (*COMPILED, *NATIVE, GROUP.rsplit(".", 1)[1] + "__mypyc"):
        if not (compiled_dir / f"{name}{suffix}").is_file():
            return f"pure: {name}{suffix} is missing"
    return "compiled"


def enable(package_path: MutableSequence[str]) -> str:
    """Put the compiled modules ahead of the sources on the package's ``__path__`` when
    they are current; returns and records the status."""
    global STATUS
    STATUS = check()
    if STATUS == "compiled":
        package_path.insert(0, str(COMPILED_DIR))
    return STATUS


def native(name: str) -> Any:
    """The C extension ``name`` (one of :data:`NATIVE`), or None when the compiled build is
    not in use. For the modules that use one, at their import: the package's ``__init__``
    has run :func:`enable` by then, which puts ``_compiled/`` on the path when current."""
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ImportError:
        return None


# What the build's copy of the package leaves out: tests, data and web assets.
_NOT_CODE = shutil.ignore_patterns(
    "tests",
    "tests_browser",
    "data",
    "static",
    "templates",
    "locale",
    "__pycache__",
    "_compiled*",
    "*.so",
)


def build(package_dir: Path = PACKAGE_DIR) -> Path:
    """Compile :data:`COMPILED` with mypyc and :data:`NATIVE` with the C compiler into
    ``_compiled/`` (replaced atomically)."""
    with tempfile.TemporaryDirectory(prefix="netralitas-accel-") as tmp:
        tmp_path = Path(tmp)
        # mypyc compiles a copy of the package's code: from where it is installed, the
        # directory beside `netralitas/` is site-packages, whose top-level modules mypy
        # would take for the project's own (and refuse, e.g. typing_extensions.py).
        root = tmp_path / "src"
        shutil.copytree(package_dir.parent, root / package_dir.parent.name, ignore=_NOT_CODE)
        script = tmp_path / "setup_accel.py"
        sources = [f"netralitas/detection/{name}.py" for name in COMPILED]
        extensions = [
            (f"netralitas.detection.{name}", [f"netralitas/detection/{name}.c"]) for name in NATIVE
        ]
        script.write_text(
            "from setuptools import Extension, setup\n"
            "from mypyc.build import mypycify\n"
            f"native = [Extension(n, s, extra_compile_args=['-O2', '-ffp-contract=off']) for n, s in {extensions!r}]\n"
            f"setup(name='netralitas-accel', ext_modules=mypycify({sources!r}, "
            f"group_name={GROUP!r}, opt_level='3', target_dir={str(tmp_path / 'c')!r}) + native, "
            "script_args=['build_ext', "
            f"'--build-lib', {str(tmp_path / 'lib')!r}, '--build-temp', "
            f"{str(tmp_path / 'tmp')!r}])\n",
            encoding="utf-8",
        )
        fingerprint = _fingerprint(root / package_dir.parent.name / package_dir.name)
        env = {**os.environ, "MYPY_CACHE_DIR": str(tmp_path / "mypy-cache")}
        done = subprocess.run(
            [sys.executable, str(script)], cwd=root, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip().splitlines()
            raise BuildError(" | ".join(output[-3:]) or "mypyc failed")
        built = tmp_path / "lib" / "netralitas" / "detection"
        staging = package_dir / "_compiled.new"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(built, staging)
        (staging / STAMP).write_text(
            json.dumps({"runtime": _runtime(), "sources": fingerprint}, indent=1),
            encoding="utf-8",
        )
        target = package_dir / "_compiled"
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in ([], ["build"]):
        try:
            where = build()
        except (BuildError, OSError) as exc:
            print(
                f"compiled detector not built ({exc}); the pure-Python one is used", file=sys.stderr
            )
            return 1
        print(f"compiled detector modules in {where}: {check()}")
        return 0
    if args == ["status"]:
        print(check())
        return 0
    print("usage: python -m netralitas.detection.compile [build|status]", file=sys.stderr)
    return 2
