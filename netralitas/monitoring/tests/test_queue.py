"""The real Celery worker against the real Redis on this machine: queued scan batches are
shared by concurrent workers without scanning a post twice."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from netralitas.monitoring.models import Finding, Post
from netralitas.monitoring.services import posts_import

REDIS = ("127.0.0.1", 6379)
BROKER = "redis://127.0.0.1:6379/15"
FIXTURES = Path(__file__).parent / "fixtures"


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.mark.django_db(transaction=True)
def test_queued_batches_are_scanned_by_real_workers(settings, tmp_path):
    from celery.contrib.testing.worker import start_worker
    from django.db import connection

    if connection.vendor != "postgresql":
        # The embedded SQLite setup scans in-process; concurrent workers need a server
        # database (SQLite's in-memory test database locks whole tables).
        pytest.skip("queue workers run against PostgreSQL (the production database)")

    from netralitas.celery import app
    from netralitas.monitoring.tasks import enqueue_scan

    lines = []
    for i in range(120):
        text = "coblos 02 ya bapak ibu, Prabowo-Gibran menang" if i % 3 == 0 else "rapat di aula"
        lines.append(
            f'{{"platform": "facebook", "author": "Pegawai {i}", "text": "{text}",'
            f' "posted_at": "2024-01-20T10:{i % 60:02d}:00+07:00", "external_id": "p{i}"}}'
        )
    source = tmp_path / "posts.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert posts_import(path=source).imported == 120

    app.conf.update(broker_url=BROKER, task_always_eager=False, result_backend=None)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    settings.CELERY_BROKER_URL = BROKER
    # Two workers in this process, each with its own thread and database connection.
    with start_worker(
        app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
    ):
        assert enqueue_scan(size=25) == 5
        deadline = time.monotonic() + 60
        while Post.objects.filter(scanned_at__isnull=True).exists():
            assert time.monotonic() < deadline, "the workers did not finish"
            time.sleep(0.2)
    assert Finding.objects.count() == 40
    assert Finding.objects.values("post").distinct().count() == 40
