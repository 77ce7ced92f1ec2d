"""Throughput of `netralitas detect` against a plain keyword-regex alert.

Generates N posts (default 200,000) from the project's corpus with realistic variation
(lengths from one word to forwarded multi-line messages), then runs each tool in its own
process pinned to one core and reports texts per second and peak memory (max RSS). The
detector runs twice: compiled with mypyc (`make install` builds it) and as pure Python.
Each tool runs ``--repeat`` times, interleaved: a shared virtual machine's speed drifts by
10-15 % between runs, so the median is reported with the range.

    python benchmarks/detect_throughput.py [--posts 200000] [--seed 7] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "netralitas" / "detection" / "data" / "corpus"

FILLERS = [
    "Selamat pagi bapak ibu",
    "mohon izin share",
    "info penting",
    "😂😂",
    "🙏",
    "wkwk",
    "Assalamualaikum wr wb",
    "cek link ini",
    "https://t.co/x1y2z3",
    "@admin_grup",
    "rapat jam 9 di aula",
    "jangan lupa absen",
    "laporan keuangan triwulan",
    "#infobabel",
]
PLATFORMS = ["whatsapp", "facebook", "instagram", "x", "tiktok", "telegram", None]
ACTIONS = ["post", "share", "comment", "like", "message", None]


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    if not texts:
        sys.exit(f"no corpus under {CORPUS}")
    return texts


def generate(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    pool = corpus_texts()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = rng.choice(pool)
            roll = rng.random()
            if roll < 0.25:
                text = f"{rng.choice(FILLERS)} {text}"
            elif roll < 0.35:  # forwarded messages are long
                text = "\n".join([text, rng.choice(pool), rng.choice(FILLERS)])
            elif roll < 0.45:
                text = text + " " + rng.choice(FILLERS)
            post = {
                "id": f"p{i}",
                "text": text,
                "platform": rng.choice(PLATFORMS),
                "action": rng.choice(ACTIONS),
                "posted_at": rng.choice(["2024-01-20", "2024-10-10", None]),
            }
            out.write(json.dumps(post, ensure_ascii=False) + "\n")


def run(cmd: list[str], n: int, env_extra: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock texts/s and that process's own peak RSS in MB (wait4 rusage)."""
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    env = {**os.environ, "OMP_NUM_THREADS": "1", **(env_extra or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd} failed")
    return n / elapsed, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="runs per tool (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        posts = Path(tmp) / "posts.jsonl"
        generate(posts, args.posts, args.seed)
        size_mb = posts.stat().st_size / 1e6
        print(
            f"{args.posts:,} posts, {size_mb:.1f} MB, mean {size_mb * 1e6 / args.posts:.0f} bytes/line"
        )
        py = sys.executable
        keyword = [py, str(ROOT / "benchmarks" / "keyword_alert.py"), str(posts), "-o", os.devnull]
        detect = [py, "-m", "netralitas.cli", "detect", str(posts), "-o", os.devnull]
        status = subprocess.run(
            [py, "-m", "netralitas.detection.compile", "status"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        tools: list[tuple[str, list[str], dict[str, str]]] = [
            ("keyword-regex alert", keyword, {}),
        ]
        if status == "compiled":
            tools.append(("netralitas detect   (compiled with mypyc)", detect, {}))
        else:
            print(f"netralitas detect: no compiled build ({status})")
        tools.append(("netralitas detect   (pure Python)", detect, {"NETRALITAS_PURE": "1"}))
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _c, _e in tools}
        for _round in range(args.repeat):
            for name, cmd, env in tools:
                runs[name].append(run(cmd, args.posts, env))
        for name, _cmd, _env in tools:
            rates = sorted(rate for rate, _mem in runs[name])
            memory = max(mem for _rate, mem in runs[name])
            print(
                f"{name:42s}: {statistics.median(rates):8,.0f} texts/s median "
                f"(range {rates[0]:,.0f}-{rates[-1]:,.0f}, {len(rates)} runs), "
                f"peak RSS {memory:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
