"""Background jobs: each loads nothing but what it needs and calls a service."""

from __future__ import annotations

from celery import shared_task
from django.db import close_old_connections

from netralitas.monitoring.selectors import posts_unscanned_count
from netralitas.monitoring.services import clusters_refresh_pending, posts_scan_batch


@shared_task(name="monitoring.scan_batch")
def scan_batch(size: int = 2000) -> dict[str, int]:
    """Scan one batch of unscanned posts. Batches are claimed with SKIP LOCKED, so any
    number of these run at once on any number of workers without overlap."""
    try:
        done = posts_scan_batch(size=size)
        if done.scanned and not posts_unscanned_count():
            # The last batch of a run recounts the authors of the clusters that grew.
            clusters_refresh_pending()
        return done.as_dict()
    finally:
        # Worker threads keep their own connections; honour CONN_MAX_AGE between tasks.
        close_old_connections()


def enqueue_scan(*, size: int = 2000, limit: int | None = None) -> int:
    """One task per batch of what is unscanned now; returns how many were queued."""
    pending = posts_unscanned_count()
    if limit is not None:
        pending = min(pending, limit)
    batches = (pending + size - 1) // size
    for _ in range(batches):
        scan_batch.delay(size)
    return batches
