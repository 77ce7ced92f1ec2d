"""Time the staff dashboard and a drill-down at production size: milliseconds per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchdash \\
        python benchmarks/dashboard.py --fresh [--posts 1000000] [--runs 5]

Fills the database named by DATABASE_URL (SQLite under a scratch NETRALITAS_HOME when it
is unset) with the reference data and generated rows: ``--posts`` imported posts (default
1,000,000) of which ``--findings`` are findings (default a tenth), ``--cases`` cases
(default 3 %) and ``--reports`` reports (default 2 %), spread over the agencies of Bangka
Belitung and the years 2023 and 2024 (COPY on PostgreSQL; generating is not what is
measured). Then it renders, through Django's test client, the full dashboard for a
verifier (every entity) and for a PPK of Kabupaten Belitung (scoped), unfiltered and
filtered (an agency, six months and a platform), and two drill-down pages; it prints the
median and the fastest of ``--runs`` renders of each, and the slowest queries of one.

``--fresh`` drops and recreates that database first: point DATABASE_URL at a throwaway
database. Without it the script refuses a database that already holds posts, unless
``--reuse`` asks it to measure the rows already there (to compare before and after an
index without generating again). ``--explain`` prints PostgreSQL's plan of the slowest
queries.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLATFORMS = ["whatsapp", "facebook", "instagram", "x", "tiktok", "telegram", "youtube"]
START = datetime(2023, 1, 1, tzinfo=UTC) - timedelta(hours=7)  # 1 Jan 2023 00:00 WIB
SPAN = 731 * 86400  # 2023 and 2024
BELITUNG = "19.02"

# What the detector stores with a finding (about 300 bytes of JSON): the rows scanned by
# the dashboard's aggregates are as wide as in production.
TARGETS = [
    {"kind": "pair", "contest": "pilgub-babel-2024", "number": 2, "label": "Hidayat–Hellyana"}
]
EVIDENCE = [
    {"start": 0, "end": 17, "text": "Ayo pilih nomor 2", "why": "ajakan memilih"},
    {"start": 18, "end": 34, "text": "Hidayat–Hellyana", "why": "nama pasangan calon"},
]

# Case statuses as a busy year leaves them (weights in per cent).
CASE_STATUSES = {
    "verification": 10,
    "awaiting_info": 3,
    "registered": 10,
    "not_registered": 10,
    "examination": 15,
    "proven": 5,
    "not_proven": 5,
    "recommended": 5,
    "forwarded": 10,
    "decided": 7,
    "closed": 20,
}


def fresh_database(url: str) -> None:
    """Drop and recreate the PostgreSQL database named in ``url``."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(home: str) -> None:
    os.environ["NETRALITAS_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")
    os.environ.setdefault("CELERY_BROKER_URL", "")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


# --- generating rows ---------------------------------------------------------------


class Writer:
    """Rows of one model in the order of ``fields`` (attribute names), written by COPY
    on PostgreSQL and by bulk_create elsewhere. Unlisted fields take their default."""

    def __init__(self, model: Any, fields: list[str]) -> None:
        from django.db.models import JSONField
        from django.utils import timezone

        self.model = model
        now = timezone.now()
        concrete = [f for f in model._meta.concrete_fields]
        by_name = {f.attname: f for f in concrete}
        self.fields = fields
        self.rest = []
        for f in concrete:
            if f.attname in fields or f.primary_key:
                continue  # an id not given is the database's to assign
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                value = now
            elif f.has_default():
                value = f.get_default()
            else:
                value = None if f.null else ""
            self.rest.append((f, value))
        self.columns = [by_name[a].column for a in fields] + [f.column for f, _v in self.rest]
        self.json = {
            i
            for i, f in enumerate([by_name[a] for a in fields] + [f for f, _ in self.rest])
            if isinstance(f, JSONField)
        }
        self.tail = [v for _f, v in self.rest]

    def write(self, rows: Iterable[tuple]) -> int:
        from django.db import connection

        count = 0
        if connection.vendor == "postgresql":
            table = self.model._meta.db_table
            sql = f"COPY {table} ({', '.join(self.columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    values = [*row, *self.tail]
                    for i in self.json:
                        if values[i] is not None:  # SQL NULL, not the JSON null
                            values[i] = json.dumps(values[i])
                    copy.write_row(values)
                    count += 1
            return count
        attnames = self.fields + [f.attname for f, _v in self.rest]
        it = iter(rows)
        while chunk := list(islice(it, 2000)):
            self.model.objects.bulk_create(
                [
                    self.model(**dict(zip(attnames, [*row, *self.tail], strict=True)))
                    for row in chunk
                ]
            )
            count += len(chunk)
        return count


def instant(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(SPAN))


def post_time(post_id: int, posts: int) -> datetime:
    # Posts arrive in time order, as exports are: the id says when.
    return START + timedelta(seconds=SPAN * (post_id - 1) // posts)


class World:
    def __init__(self, seed: int) -> None:
        from netralitas.elections.models import Stage, ViolationType
        from netralitas.registry.models import Agency

        self.rng = random.Random(seed)
        agencies = list(Agency.objects.all())
        # Employees sit in agencies and their units; a few rows land on a region's own node.
        self.agency_ids = [a.pk for a in agencies if a.kind in ("agency", "unit")]
        self.region_ids = [a.pk for a in agencies if a.kind in ("province", "regency", "city")]
        self.stages = [(s.start, s.end, s.pk) for s in Stage.objects.all()]
        self.violations = list(ViolationType.objects.values_list("pk", flat=True))

    def agency(self) -> int | None:
        roll = self.rng.random()
        if roll < 0.05:
            return None
        if roll < 0.08:
            return self.rng.choice(self.region_ids)
        return self.rng.choice(self.agency_ids)

    def stage(self, at: datetime | None) -> int | None:
        if at is None:
            return None
        day = (at + timedelta(hours=7)).date()
        return next((pk for start, end, pk in self.stages if start <= day <= end), None)


def generate(args: argparse.Namespace) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from netralitas.accounts.models import User
    from netralitas.cases.models import Case
    from netralitas.monitoring.models import Finding, ImportBatch, Post
    from netralitas.registry.models import Agency
    from netralitas.reports.models import Report

    w = World(args.seed)
    rng = w.rng
    today = timezone.localdate()
    batch = ImportBatch.objects.create(filename="bench.jsonl", format="jsonl", sha256="0")
    n_posts = args.posts
    n_findings = min(args.findings, n_posts)

    def posts() -> Iterator[tuple]:
        now = timezone.now()
        for pid in range(1, n_posts + 1):
            platform = rng.choice(PLATFORMS)
            yield (
                pid,
                f"bench-{pid}",
                "jsonl",
                f"b{pid}",
                platform,
                f"Pegawai {pid % 5000}",
                f"Rapat koordinasi hari ini jam {8 + pid % 8}.00 di aula, mohon hadir {pid}",
                post_time(pid, n_posts),
                "message" if platform in ("whatsapp", "telegram") else "post",
                f"{pid % 200_000:064x}",
                batch.pk,
                now,
            )

    started = time.perf_counter()
    Writer(
        Post,
        [
            "id",
            "key",
            "source",
            "external_id",
            "platform",
            "author_name",
            "text",
            "posted_at",
            "action",
            "content_key",
            "batch_id",
            "scanned_at",
        ],
    ).write(posts())

    statuses = list(CASE_STATUSES)
    weights = list(CASE_STATUSES.values())

    def cases() -> Iterator[tuple]:
        for cid in range(1, args.cases + 1):
            opened = instant(rng)
            status = rng.choices(statuses, weights)[0]
            vt = rng.choice(w.violations)
            # An open step has a deadline most of the time; about half are past it.
            due = None
            if status != "closed" and rng.random() < 0.8:
                due = today + timedelta(days=rng.randint(-90, 60))
            forwarded_to = "ppk" if status in ("forwarded", "decided") else ""
            yield (
                cid,
                f"KASUS-{opened.year}-{cid:06d}",
                status,
                f"Pegawai {cid}",
                w.agency(),
                opened.date(),
                vt,
                vt,
                w.stage(opened),
                opened,
                opened,
                due,
                forwarded_to,
                "Bupati Belitung" if forwarded_to and rng.random() < 0.2 else "",
            )

    Writer(
        Case,
        [
            "id",
            "number",
            "status",
            "subject_name",
            "agency_id",
            "incident_date",
            "reported_violation_type_id",
            "violation_type_id",
            "stage_id",
            "opened_at",
            "status_changed_at",
            "due_on",
            "forwarded_to",
            "forwarded_to_name",
        ],
    ).write(cases())

    finding_posts = sorted(rng.sample(range(1, n_posts + 1), n_findings))
    linked = min(n_findings // 10, args.cases // 2)  # confirmed findings with a case

    def findings() -> Iterator[tuple]:
        for fid, pid in enumerate(finding_posts, start=1):
            at = post_time(pid, n_posts) if rng.random() > 0.002 else None
            roll = rng.random()
            if fid <= linked:
                status, case = "confirmed", rng.randint(1, args.cases)
            else:
                status, case = ("new" if roll < 0.65 else "dismissed"), None
            yield (
                fid,
                pid,
                status,
                rng.choice(["support", "oppose"]),
                round(0.5 + rng.random() / 2, 3),
                w.agency(),
                w.stage(at),
                at,
                case,
                "bench",
                TARGETS,
                EVIDENCE,
            )

    Writer(
        Finding,
        [
            "id",
            "post_id",
            "status",
            "stance",
            "score",
            "agency_id",
            "stage_id",
            "posted_at",
            "case_id",
            "detector_version",
            "targets",
            "evidence",
        ],
    ).write(findings())

    report_types: list[tuple[int, int]] = []

    def reports() -> Iterator[tuple]:
        for rid in range(1, args.reports + 1):
            at = instant(rng)
            roll = rng.random()
            status, case = ("new", None) if roll < 0.2 else ("dismissed", None)
            if roll >= 0.5 and args.cases:
                status, case = "in_case", rng.randint(1, args.cases)
            for vt in rng.sample(w.violations, rng.choice([0, 1, 1, 1, 2])):
                report_types.append((rid, vt))
            yield (
                rid,
                f"BENCH-{rid:08d}",
                "public_form",
                status,
                f"Pegawai {rid}",
                w.agency(),
                at.date(),
                "Unggahan dukungan pasangan calon di grup kantor.",
                w.stage(at),
                at,
                f"fp{rid}",
                case,
            )

    Writer(
        Report,
        [
            "id",
            "tracking_code",
            "channel",
            "status",
            "reported_name",
            "agency_id",
            "incident_date",
            "description",
            "stage_id",
            "submitted_at",
            "content_fingerprint",
            "case_id",
        ],
    ).write(reports())
    Writer(Report.violation_types.through, ["report_id", "violationtype_id"]).write(report_types)
    reset_sequences([Post, Finding, Case, Report])

    User.objects.create(username="bench-verifier", role="verifier", password=make_password(None))
    User.objects.create(
        username="bench-ppk",
        role="ppk",
        agency=Agency.objects.get(code=BELITUNG),
        password=make_password(None),
    )
    analyse()
    elapsed = time.perf_counter() - started
    print(f"generated in {elapsed:.0f} s (not part of the figures)")
    return {"posts": n_posts, "findings": n_findings, "cases": args.cases, "reports": args.reports}


def reset_sequences(models: list[Any]) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def analyse() -> None:
    """Fresh statistics and visibility maps, as autovacuum leaves a table in production."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- measuring -----------------------------------------------------------------------


def timed_get(client: Any, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm the caches once, as a page in use has them
    times = []
    status = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        status = response.status_code
    return statistics.median(times) * 1000, min(times) * 1000, status


def slowest_queries(client: Any, url: str, top: int, explain: bool) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries) * 1000
    lines = [f"    {len(queries)} queries, {total:.0f} ms in the database; slowest:"]
    for q in queries[:top]:
        sql = " ".join(q["sql"].split())
        lines.append(f"    {float(q['time']) * 1000:7.1f} ms  {sql[:150]}")
    if explain and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for q in queries[:3]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                lines.append("    --- " + " ".join(q["sql"].split())[:200])
                lines += ["      " + row[0] for row in cursor.fetchall()]
    return lines


def measure(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from netralitas.accounts.models import User

    dashboard = reverse("dashboards:dashboard")
    drill = reverse("dashboards:drilldown", args=["findings"])
    cases = reverse("dashboards:drilldown", args=["cases"])
    filtered = "?from=2024-01-01&to=2024-06-30&platform=facebook&agency="
    pages = [
        ("verifier", "dashboard, unfiltered", dashboard),
        ("verifier", "dashboard, filtered", dashboard + filtered + "19.01"),
        ("ppk", "dashboard, unfiltered (PPK)", dashboard),
        ("ppk", "dashboard, filtered (PPK)", dashboard + filtered + BELITUNG),
        ("verifier", "drill-down: findings on Facebook", drill + "?dim=platform&key=facebook"),
        ("verifier", "drill-down: overdue cases", cases + "?dim=overdue&key=all"),
    ]
    clients = {}
    for persona, username in (("verifier", "bench-verifier"), ("ppk", "bench-ppk")):
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        client.cookies["django_language"] = "id"
        clients[persona] = client
    print(f"\n{'page':<36} {'median':>9} {'fastest':>9}  ({args.runs} runs, {connection.vendor})")
    details = []
    for persona, label, url in pages:
        median, fastest, status = timed_get(clients[persona], url, args.runs)
        if status != 200:
            raise SystemExit(f"{label}: HTTP {status} for {url}")
        print(f"{label:<36} {median:7.0f} ms {fastest:7.0f} ms")
        details.append((label, slowest_queries(clients[persona], url, args.top, args.explain)))
    for label, lines in details:
        print(f"\n{label}:")
        print("\n".join(lines))


def table_sizes() -> None:
    from django.db import connection

    from netralitas.cases.models import Case
    from netralitas.monitoring.models import Finding, Post
    from netralitas.reports.models import Report

    parts = []
    for name, model in (
        ("posts", Post),
        ("findings", Finding),
        ("cases", Case),
        ("reports", Report),
    ):
        count = model.objects.count()
        size = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_total_relation_size(%s)", [model._meta.db_table])
                size = f" ({cursor.fetchone()[0] / 1e6:,.0f} MB)"
        parts.append(f"{count:,} {name}{size}")
    print("data: " + ", ".join(parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--findings", type=int, help="default: a tenth of the posts")
    parser.add_argument("--cases", type=int, help="default: 3 %% of the posts")
    parser.add_argument("--reports", type=int, help="default: 2 %% of the posts")
    parser.add_argument("--runs", type=int, default=5, help="renders per page (median)")
    parser.add_argument("--top", type=int, default=6, help="slowest queries shown per page")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--reuse", action="store_true", help="measure the rows already there")
    parser.add_argument("--explain", action="store_true", help="plans of the slowest queries")
    args = parser.parse_args()
    args.findings = args.posts // 10 if args.findings is None else args.findings
    args.cases = args.posts * 3 // 100 if args.cases is None else args.cases
    args.reports = args.posts * 2 // 100 if args.reports is None else args.reports

    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as scratch:
        if url.startswith("postgres"):
            print(f"database: {url.rsplit('@', 1)[-1]}")
            if args.fresh:
                print("WARNING: dropping and recreating this database (--fresh)")
                fresh_database(url)
        elif url:
            raise SystemExit("DATABASE_URL must be a PostgreSQL URL, or unset for SQLite")
        else:
            print(f"database: SQLite in {scratch} (unset DATABASE_URL)")
        if args.reuse and not url:
            raise SystemExit("--reuse needs a PostgreSQL DATABASE_URL (SQLite runs are scratch)")
        if url and not args.fresh and not args.reuse:
            print("WARNING: generated rows will be written to this database")
        # A scratch home: the SQLite file and the development secrets stay out of var/.
        setup_django(scratch)

        from django.core.management import call_command

        from netralitas.monitoring.models import Post

        call_command("migrate", verbosity=0)
        if not args.reuse:
            if Post.objects.exists():
                raise SystemExit(
                    "This database already holds posts: pass --fresh to recreate it (it is "
                    "dropped!) or --reuse to measure its rows."
                )
            call_command("load_reference_data", verbosity=0)
            generate(args)
        table_sizes()
        measure(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
