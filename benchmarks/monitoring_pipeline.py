"""Import and scan N generated posts (default 1,000,000) into PostgreSQL; posts per second.

    python benchmarks/monitoring_pipeline.py [--posts 1000000] [--election-share 0.2]
        [--workers 2] [--pg postgres://postgres@127.0.0.1:5432/postgres]

Creates a scratch database ``netralitas_bench`` (dropped first if it exists), migrates it,
registers 2,000 employees with phone numbers, and writes the posts as a generic JSON-lines
export in time order, as exports are (authors by phone or name, 40 groups, January and
February 2024). A share of the posts (``--election-share``, default 20 %) is election talk
drawn from the detector's corpus, about half of it partisan; the rest is the everyday chatter
of office groups, generated from templates. ``--election-share 1`` is the worst case, every
post election talk. Then it times ``netralitas import-posts FILE --json`` and ``--workers``
concurrent ``netralitas scan --json --in-process`` processes (they share the work as queue
workers do, claiming batches with SKIP LOCKED). End to end = posts / (import + scan seconds).

``--pipelined FILES`` measures the same posts the way they arrive in production instead: as
FILES separate exports imported one after the other by one process while ``--workers``
scanning processes work through whatever has been imported (as queue workers do); end to
end = posts / seconds from the first import to the last scan.
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


CHATTER = [
    "Rapat koordinasi {day} jam {hour}.00 di {place}, mohon hadir tepat waktu",
    "Mohon bapak ibu mengisi absensi online sebelum jam {hour}.00 ya",
    "Selamat ulang tahun bu {name}, semoga sehat selalu 🎂🙏",
    "Info: laporan kinerja bulan {month} dikumpulkan paling lambat tgl {date}",
    "Izin bapak ibu, sy tdk masuk hari ini krn anak sakit 🙏",
    "Siap laksanakan 👍",
    "Terima kasih infonya pak {name}",
    "Besok apel pagi jam 07.30 di halaman kantor, pakaian {dress}",
    "Yg belum upload SKP mohon segera ya, sistem ditutup tgl {date}",
    "Assalamualaikum, mohon doanya utk keluarga pak {name} yg sedang berduka",
    "Harga sahang di {place} naik lagi, lumayan buat petani kite",
    "Jalan ke {place} rusak parah, hati2 yg lewat sana",
    "Ada yg punya kontak tukang servis AC? AC ruang {room} bocor",
    "Pengumuman: cuti bersama tgl {date} {month}, kantor tetap piket",
    "Selamat pagi bapak ibu, semangat bekerja 💪",
    "Link zoom rapat jam {hour}.00: https://zoom.us/j/{code}",
    "Mohon dicek email dinas, ada surat edaran dari {office}",
    "Lomba {sport} antar OPD pendaftaran sampai tgl {date}",
    "Pelatihan {topic} angkatan {date} dimulai senin di {place}",
    "Sudah transfer iuran arisan bulan {month} ya bu {name}",
]
SLOTS = {
    "day": "Senin Selasa Rabu Kamis Jumat".split(),
    "hour": [str(h) for h in range(8, 16)],
    "place": "Pangkalpinang Sungailiat Mentok Koba Toboali Tanjungpandan Manggar aula".split(),
    "name": "Rina Dewi Agus Yuli Joko Wati Hendra Fitri Eko Nur".split(),
    "month": "Januari Februari Maret April Mei Juni".split(),
    "date": [str(d) for d in range(1, 29)],
    "dress": ["batik", "korpri", "olahraga", "PDH khaki"],
    "room": ["rapat", "kabid", "arsip", "pelayanan"],
    "code": [str(n) for n in range(8100000, 8100100)],
    "office": ["BKPSDM", "Setda", "Diskominfo", "Inspektorat"],
    "sport": ["tenis meja", "voli", "futsal", "catur"],
    "topic": ["SAKIP", "pengadaan", "arsip digital", "pelayanan publik"],
}


def chatter(rng: random.Random) -> str:
    template = rng.choice(CHATTER)
    return template.format(**{slot: rng.choice(values) for slot, values in SLOTS.items()})


def generate(
    path: Path, n: int, people: list[tuple[str, str]], seed: int, election_share: float
) -> None:
    rng = random.Random(seed)
    pool = corpus_texts()
    groups = [f"Grup Dinas {i}" for i in range(40)]
    start = 1704067200  # 2024-01-01 00:00 UTC
    span = 59 * 86400  # January and February
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            if rng.random() < election_share:
                text = rng.choice(pool)
                if rng.random() < 0.3:
                    text = f"{rng.choice(FILLERS)} {text}"
            else:
                text = chatter(rng)
            name, phone = rng.choice(people)
            platform = rng.choice(PLATFORMS)
            instant = start + span * i // n  # in time order, as exports are
            row = {
                "platform": platform,
                "text": text,
                "posted_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(instant)),
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


def timed_parallel(cmds: list[list[str]], env: dict[str, str]) -> tuple[float, list[Any]]:
    """Seconds until the last of several concurrent commands ended, and their summaries."""
    start = time.perf_counter()
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for cmd in cmds
    ]
    outputs = [proc.communicate() for proc in procs]
    elapsed = time.perf_counter() - start
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        if proc.returncode:
            raise SystemExit(f"scan failed: {err.strip()[-500:]}")
    return elapsed, [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]


IMPORTER = """
import json, os
from pathlib import Path
from netralitas.monitoring.services import posts_import
imported = 0
for name in os.environ["BENCH_FILES"].split(os.pathsep):
    imported += posts_import(path=Path(name)).imported
Path(os.environ["BENCH_FLAG"]).touch()  # tells the scanners that nothing more will come
print(json.dumps({"imported": imported}))
"""

SCANNER = """
import json, os, time
from pathlib import Path
from netralitas.detection import default_detector
from netralitas.monitoring.services import clusters_refresh_pending, posts_scan_batch
done_flag = Path(os.environ["BENCH_FLAG"])
detector = default_detector()
scanned = flagged = after = 0
while True:
    finished = done_flag.exists()  # read before the claim: a last batch is not missed
    batch = posts_scan_batch(size=2000, detector=detector, after_id=after)
    if batch.scanned:
        scanned += batch.scanned
        flagged += batch.flagged
        after = batch.last_id
    elif after:
        after = 0  # once more from the start: posts another worker skipped
    elif finished:
        break
    else:
        time.sleep(0.2)  # waiting for the next export to be committed
clusters_refresh_pending()
print(json.dumps({"scanned": scanned, "flagged": flagged}))
"""


def pipelined(
    posts: Path, args: argparse.Namespace, netralitas: list[str], env: dict[str, str], tmp: Path
) -> None:
    """Split the posts into exports; import them one by one while workers scan."""
    lines = posts.read_text(encoding="utf-8").splitlines(keepends=True)
    size = -(-len(lines) // args.pipelined)
    files = []
    for number in range(args.pipelined):
        part = tmp / f"export-{number:03d}.jsonl"
        part.write_text("".join(lines[number * size : (number + 1) * size]), encoding="utf-8")
        files.append(str(part))
    del lines
    env = {**env, "BENCH_FILES": os.pathsep.join(files), "BENCH_FLAG": str(tmp / "imported")}
    python = [*netralitas, "shell", "-v", "0", "-c"]
    elapsed, results = timed_parallel(
        [[*python, IMPORTER]] + [[*python, SCANNER]] * args.workers, env
    )
    imported = results[0]["imported"]
    scanned = sum(r["scanned"] for r in results[1:])
    flagged = sum(r["flagged"] for r in results[1:])
    print(
        f"pipelined: {args.pipelined} exports imported by one process while {args.workers} "
        f"workers scan: {imported:,} imported, {scanned:,} scanned, {flagged:,} flagged "
        f"in {elapsed:.0f} s"
    )
    print(f"end to end: {args.posts / elapsed:,.0f} posts/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--election-share", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=2, help="concurrent scan processes")
    parser.add_argument("--pipelined", type=int, default=0, metavar="FILES")
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
        generate(posts, args.posts, people, args.seed, args.election_share)
        print(f"{args.posts:,} posts, {posts.stat().st_size / 1e6:.0f} MB of JSON lines")

        if args.pipelined:
            pipelined(posts, args, netralitas, env, Path(tmp))
            return 0
        import_s, summary = timed([*netralitas, "import-posts", str(posts), "--json"], env)
        print(
            f"import : {args.posts / import_s:8,.0f} posts/s  ({import_s:.0f} s; "
            f"{summary['imported']:,} imported, {summary['rejected']} rejected)"
        )
        scan_s, results = timed_parallel(
            [[*netralitas, "scan", "--json", "--in-process"]] * args.workers, env
        )
        flagged = sum(r["flagged"] for r in results)
        print(
            f"scan   : {args.posts / scan_s:8,.0f} posts/s  ({scan_s:.0f} s, {args.workers} "
            f"workers; {sum(r['scanned'] for r in results):,} scanned, {flagged:,} flagged "
            f"({flagged / args.posts:.0%}), {sum(r['clustered'] for r in results):,} clustered)"
        )
        print(f"end to end: {args.posts / (import_s + scan_s):,.0f} posts/s")
    with psycopg.connect(args.pg, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS netralitas_bench")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
