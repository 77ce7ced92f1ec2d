"""Import and scan N generated posts (default 1,000,000) into PostgreSQL; posts per second.

    python benchmarks/monitoring_pipeline.py [--posts 1000000] [--pg postgres://postgres@127.0.0.1:5432/postgres]

Creates a scratch database ``netralitas_bench`` (dropped first if it exists), migrates it,
registers 2,000 employees with phone numbers, writes the posts as a generic JSON-lines
export (texts drawn from the detector corpus with fillers, authors by phone or name, 40
groups), then times ``netralitas import-posts FILE --json`` and ``netralitas scan --json
--in-process`` as separate processes. End to end = posts / (import + scan seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from detect_throughput import FILLERS, corpus_texts  # noqa: E402

PLATFORMS = ["whatsapp", "facebook", "instagram", "x", "tiktok", "telegram"]
FIRST = "Budi Siti Rudi Ahmad Dewi Rina Hendra Yuli Agus Fitri Joko Nur Andi Wati Eko".split()
LAST = "Santoso Aminah Hartono Saputra Lestari Wijaya Kurniawan Pratama Susanti Hidayat".split()


def employees(n: int, rng: random.Random) -> list[tuple[str, str]]:
    people = []
    for i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        people.append((name, f"62812{i:08d}"))
    return people


def generate(path: Path, n: int, people: list[tuple[str, str]], seed: int) -> None:
    rng = random.Random(seed)
    pool = corpus_texts()
    groups = [f"Grup Dinas {i}" for i in range(40)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = rng.choice(pool)
            if rng.random() < 0.3:
                text = f"{rng.choice(FILLERS)} {text}"
            name, phone = rng.choice(people)
            platform = rng.choice(PLATFORMS)
            row = {
                "platform": platform,
                "text": text,
                "posted_at": f"2024-{rng.randint(1, 2):02d}-{rng.randint(1, 28):02d}T"
                f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:00+07:00",
                "external_id": f"b{i}",
                "action": "message" if platform in ("whatsapp", "telegram") else "post",
            }
            if platform == "whatsapp":
                row["author_phone"] = phone
                row["group"] = rng.choice(groups)
            else:
                row["author"] = name
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Seconds a command took, and the JSON summary it printed."""
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    import psycopg

    with psycopg.connect(args.pg, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS netralitas_bench")
        admin.execute("CREATE DATABASE netralitas_bench")
    url = args.pg.rsplit("/", 1)[0] + "/netralitas_bench"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": ""}
    netralitas = [sys.executable, "-m", "netralitas.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        env["NETRALITAS_HOME"] = tmp
        subprocess.run([*netralitas, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([*netralitas, "load_reference_data", "-v", "0"], env=env, check=True)
        rng = random.Random(args.seed)
        people = employees(2000, rng)
        setup = (
            "from netralitas.registry.models import Agency, Employee, SocialAccount\n"
            "import json, sys\n"
            "agency = Agency.objects.filter(kind='agency').first()\n"
            "people = json.loads(sys.stdin.read())\n"
            "emps = Employee.objects.bulk_create([Employee(name=n, kind='NON_ASN', agency=agency)"
            " for n, _p in people])\n"
            "SocialAccount.objects.bulk_create([SocialAccount(employee=e, platform='whatsapp',"
            " phone=p) for e, (_n, p) in zip(emps, people)])\n"
        )
        subprocess.run(
            [*netralitas, "shell", "-c", setup],
            env=env,
            input=json.dumps(people),
            text=True,
            check=True,
        )
        posts = Path(tmp) / "posts.jsonl"
        generate(posts, args.posts, people, args.seed)
        print(f"{args.posts:,} posts, {posts.stat().st_size / 1e6:.0f} MB of JSON lines")

        import_s, summary = timed([*netralitas, "import-posts", str(posts), "--json"], env)
        print(
            f"import : {args.posts / import_s:8,.0f} posts/s  ({import_s:.0f} s; "
            f"{summary['imported']:,} imported, {summary['rejected']} rejected)"
        )
        scan_s, result = timed([*netralitas, "scan", "--json", "--in-process"], env)
        print(
            f"scan   : {args.posts / scan_s:8,.0f} posts/s  ({scan_s:.0f} s; "
            f"{result['flagged']:,} flagged, {result['clustered']:,} clustered)"
        )
        print(f"end to end: {args.posts / (import_s + scan_s):,.0f} posts/s")
    with psycopg.connect(args.pg, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS netralitas_bench")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
