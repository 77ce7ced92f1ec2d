"""Monitoring writes: import posts, scan them with the detector, cluster, review findings.

Each file is imported in one transaction (all of it or nothing when the file as a whole is
unreadable); bad lines inside a readable file are reported by number and skipped. A post's
``key`` makes re-imports add nothing. Scanning claims unscanned posts in id order with
``SELECT ... FOR UPDATE SKIP LOCKED`` where the database has it, so several workers share
the load without taking the same post twice.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, Count, Max, Min
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.accounts.models import User
from netralitas.detection import Detector, default_detector, target_dict
from netralitas.elections.selectors import stage_on
from netralitas.monitoring import clustering
from netralitas.monitoring.importers import (
    LineError,
    ParsedPost,
    parse_file,
    post_key,
)
from netralitas.monitoring.matching import AuthorMatcher
from netralitas.monitoring.models import (
    Cluster,
    DismissReason,
    Finding,
    FindingStatus,
    ImportBatch,
    MatchMethod,
    Post,
)
from netralitas.registry.models import ChatGroup, Employee

CHUNK = 5000
ANALYZE_AFTER = 20_000  # imported posts that make the statistics worth refreshing
MAX_STORED_ERRORS = 1000
CLUSTER_WINDOW = timedelta(hours=72)
REVIEW_ROLES = frozenset({"verifier", "examiner", "admin"})


class MonitoringError(Exception):
    pass


class ReviewNotAllowed(MonitoringError):
    pass


class FindingWrongState(MonitoringError):
    pass


@dataclass
class ImportSummary:
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    format: str = ""
    batch_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "errors": self.errors,
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Groups:
    """Group chats by (platform, id or name), created on first sight, members cached."""

    def __init__(self) -> None:
        self._groups: dict[tuple[str, str], ChatGroup] = {}
        # Frozen so that the author matcher can key its cache on them (hash kept).
        self._members: dict[int, frozenset[int]] = {}
        self._new_members: list[tuple[int, int]] = []

    def get(self, post: ParsedPost) -> ChatGroup | None:
        if not post.group and not post.group_id:
            return None
        key = (post.platform, post.group_id or post.group)
        group = self._groups.get(key)
        if group is None:
            group, _created = ChatGroup.objects.get_or_create(
                platform=post.platform,
                external_id=key[1][:100],
                defaults={"name": (post.group or post.group_id)[:200]},
            )
            self._groups[key] = group
            self._members[group.pk] = frozenset(group.members.values_list("id", flat=True))
        return group

    def members(self, group: ChatGroup | None) -> frozenset[int]:
        return self._members.get(group.pk, frozenset()) if group else frozenset()

    def add_member(self, group: ChatGroup, employee_id: int) -> None:
        known = self._members.get(group.pk, frozenset())
        if employee_id not in known:
            self._members[group.pk] = known | {employee_id}
            self._new_members.append((group.pk, employee_id))

    def save_members(self) -> None:
        """Write the memberships learnt since the last call: one INSERT for all of them."""
        if self._new_members:
            through = ChatGroup.members.through
            through.objects.bulk_create(
                [through(chatgroup_id=g, employee_id=e) for g, e in self._new_members],
                batch_size=1000,
                ignore_conflicts=True,
            )
            self._new_members = []


def posts_import(
    *,
    path: Path,
    fmt: str = "auto",
    actor: User | None = None,
    group: str = "",
    day_first: bool | None = None,
    platform: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import one export file. Raises :class:`ImportFormatError` (nothing imported) when
    the file is not in the format at all."""
    used, items = parse_file(path, fmt, group=group, day_first=day_first, platform=platform)
    summary = ImportSummary(format=used)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            filename=path.name[:255], format=used, sha256=_sha256(path), imported_by=actor
        )
        summary.batch_id = batch.pk
        matcher = AuthorMatcher()
        groups = _Groups()
        occurrences: dict[str, int] = {}
        seen: set[str] = set()
        pending: list[PostRow] = []
        for item in items:
            if isinstance(item, LineError):
                summary.rejected += 1
                if len(summary.errors) < MAX_STORED_ERRORS:
                    summary.errors.append({"line": item.line, "error": item.error})
                continue
            key = _key(item, occurrences)
            if key in seen:
                summary.duplicates += 1
                continue
            seen.add(key)
            pending.append(_post_row(item, key, batch, matcher, groups))
            if len(pending) >= CHUNK:
                _store(pending, summary)
                groups.save_members()
                pending = []
                if progress:
                    progress(summary.imported + summary.duplicates + summary.rejected)
        _store(pending, summary)
        groups.save_members()
        batch.imported = summary.imported
        batch.duplicates = summary.duplicates
        batch.rejected = summary.rejected
        batch.errors = summary.errors
        batch.save(update_fields=["imported", "duplicates", "rejected", "errors"])
    if summary.imported >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # A bulk load leaves the planner's statistics behind: without them the scan's
        # claim query (the next thing to run) picks a plan twenty times slower.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Post._meta.db_table}")
    if progress:
        progress(summary.imported + summary.duplicates + summary.rejected)
    return summary


def _key(item: ParsedPost, occurrences: dict[str, int]) -> str:
    if item.external_id:
        return post_key(item)
    # Identical messages in the same minute by the same author are told apart by their
    # order in the file (see importers.base.fingerprint).
    base = post_key(item, 0)
    count = occurrences.get(base, 0)
    occurrences[base] = count + 1
    return base if count == 0 else post_key(item, count)


# The columns an import writes, in the order of the rows built by _post_row.
POST_COLUMNS = (
    "key",
    "source",
    "external_id",
    "platform",
    "group_id",
    "author_name",
    "author_handle",
    "author_phone",
    "employee_id",
    "match_method",
    "match_confidence",
    "text",
    "posted_at",
    "url",
    "action",
    "forwarded",
    "reply_to",
    "media",
    "content_key",
    "batch_id",
)
PostRow = tuple[Any, ...]


def _post_row(
    item: ParsedPost, key: str, batch: ImportBatch, matcher: AuthorMatcher, groups: _Groups
) -> PostRow:
    group = groups.get(item)
    match = matcher.match(
        platform=item.platform,
        name=item.author_name,
        handle=item.author_handle,
        phone=item.author_phone,
        members=groups.members(group),
    )
    if group is not None and match.employee_id and match.method != MatchMethod.FUZZY:
        groups.add_member(group, match.employee_id)
    return (
        key,
        item.source,
        item.external_id[:100],
        item.platform,
        group.pk if group is not None else None,
        item.author_name[:200],
        item.author_handle[:100],
        item.author_phone[:20],
        match.employee_id,
        match.method,
        match.confidence,
        item.text,
        item.posted_at,
        item.url[:500],
        item.action,
        item.forwarded,
        item.reply_to[:100],
        item.media[:200],
        clustering.content_key(item.text),
        batch.pk,
    )


def _store(rows: list[PostRow], summary: ImportSummary) -> None:
    if not rows:
        return
    existing = set(
        Post.objects.filter(key__in=[row[0] for row in rows]).values_list("key", flat=True)
    )
    new = [row for row in rows if row[0] not in existing]
    summary.duplicates += len(rows) - len(new)
    if connection.vendor == "postgresql":
        # COPY: the rows go straight to the table, without a model instance and a
        # prepared value per field (five times the throughput of bulk_create here).
        columns = ", ".join(POST_COLUMNS)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {Post._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in new:
                    copy.write_row(row)
    else:
        Post.objects.bulk_create(
            [Post(**dict(zip(POST_COLUMNS, row, strict=True))) for row in new], batch_size=1000
        )
    summary.imported += len(new)


# ---------------------------------------------------------------------------- scanning


@dataclass
class ScanSummary:
    scanned: int = 0
    flagged: int = 0
    clustered: int = 0
    last_id: int = 0  # the highest post id claimed (not part of the printed summary)

    def add(self, other: ScanSummary) -> None:
        self.scanned += other.scanned
        self.flagged += other.flagged
        self.clustered += other.clustered

    def as_dict(self) -> dict[str, int]:
        return {"scanned": self.scanned, "flagged": self.flagged, "clustered": self.clustered}


def detector_version(detector: Detector) -> str:
    return f"{detector.model.config_version or '-'}@{detector.threshold:.2f}"[:60]


class _Stages:
    """elections.selectors.stage_on, once per day of a batch."""

    def __init__(self) -> None:
        self._by_day: dict[date, int | None] = {}

    def on(self, instant: datetime | None) -> int | None:
        if instant is None:
            return None
        day = timezone.localtime(instant).date()
        if day not in self._by_day:
            stage = stage_on(day=day)
            self._by_day[day] = stage.pk if stage else None
        return self._by_day[day]


def posts_scan_batch(
    *, size: int = 2000, detector: Detector | None = None, after_id: int = 0
) -> ScanSummary:
    """Claim up to ``size`` unscanned posts, detect, store findings, mark them scanned.

    One transaction; the rows stay locked until it commits, and other workers skip them.
    ``after_id`` starts the claim after the posts a worker has already done, so that it
    does not walk the scanned entries its previous batches left in the index."""
    detector = detector or default_detector()
    summary = ScanSummary()
    with transaction.atomic():
        claim = Post.objects.filter(scanned_at__isnull=True, id__gt=after_id).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            claim = claim.select_for_update(skip_locked=True, of=("self",))
        rows = list(
            claim.values_list(
                "id",
                "text",
                "platform",
                "action",
                "posted_at",
                "employee__agency_id",
                "group__agency_id",
            )[:size]
        )
        if not rows:
            return summary
        stages = _Stages()
        version = detector_version(detector)
        findings: list[Finding] = []
        for post_id, text, platform, action, posted_at, agency_id, group_agency_id in rows:
            day = timezone.localtime(posted_at).date() if posted_at else None
            result = detector.detect(text, platform, action, day)
            if not result.partisan:
                continue
            findings.append(
                Finding(
                    post_id=post_id,
                    stance=result.stance,
                    score=result.score,
                    targets=[target_dict(t) for t in result.targets],
                    evidence=list(result.evidence),
                    detector_version=version,
                    agency_id=agency_id or group_agency_id,
                    stage_id=stages.on(posted_at),
                    posted_at=posted_at,
                )
            )
        Finding.objects.bulk_create(findings, batch_size=1000)
        ids = [row[0] for row in rows]
        summary.last_id = ids[-1]
        if connection.vendor == "postgresql":
            # One array parameter: planning an IN list of thousands of values costs more
            # than the update itself.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Post._meta.db_table} SET scanned_at = %s WHERE id = ANY(%s)",
                    [timezone.now(), ids],
                )
        else:
            Post.objects.filter(id__in=ids).update(scanned_at=timezone.now())
        summary.scanned = len(rows)
        summary.flagged = len(findings)
        if findings:
            _lock_clusters()
            summary.clustered = clusters_update(
                finding_ids=Finding.objects.filter(
                    post_id__in=[f.post_id for f in findings]
                ).values_list("id", flat=True)
            )
    return summary


def posts_scan(
    *,
    size: int = 2000,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScanSummary:
    """Scan in-process, batch after batch, until nothing is left (or ``limit`` posts): the
    embedded default. Queue workers run :func:`posts_scan_batch` once per task."""
    detector = default_detector()
    total = ScanSummary()
    after_id = 0
    while limit is None or total.scanned < limit:
        batch_size = size if limit is None else min(size, limit - total.scanned)
        done = posts_scan_batch(size=batch_size, detector=detector, after_id=after_id)
        if not done.scanned:
            if after_id == 0:
                break
            after_id = 0  # one pass from the start: posts skipped while another held them
            continue
        after_id = done.last_id
        total.add(done)
        if progress:
            progress(total.scanned)
    clusters_refresh_pending()
    return total


def clusters_update(*, finding_ids: Iterable[int], window: timedelta = CLUSTER_WINDOW) -> int:
    """Cluster new findings with findings of the same message (or a near duplicate) from
    other posts within ``window``; returns how many findings joined a cluster.

    Exact copies (same content key) join a cluster of that content whose span, widened by
    ``window`` on both sides, holds them, or pair up with an unclustered copy posted within
    ``window``. Only clusters and unclustered findings are read, never the findings already
    in a cluster, so a batch costs the same however much has been scanned before. Findings
    left over are compared by word trigrams with the first posts of clusters, and with
    unclustered findings, active in the window.
    """
    new = [
        row
        for row in Finding.objects.filter(
            pk__in=list(finding_ids), cluster__isnull=True
        ).values_list("id", "post__content_key", "post__posted_at", "post__text", "post_id")
        if row[1] and row[2]
    ]
    if not new:
        return 0
    keys = {row[1] for row in new}
    low = min(row[2] for row in new) - window
    high = max(row[2] for row in new) + window
    plan = _ExactPlan(window)
    for cluster in Cluster.objects.filter(
        content_key__in=keys, last_posted_at__gte=low, first_posted_at__lte=high
    ).only("id", "content_key", "first_posted_at", "last_posted_at", "first_post_id", "size"):
        plan.clusters[cluster.content_key].append(cluster)
    waiting = (
        Finding.objects.filter(
            cluster__isnull=True,
            post__content_key__in=keys,
            post__posted_at__gte=low,
            post__posted_at__lte=high,
        )
        .exclude(pk__in=[row[0] for row in new])
        .values_list("id", "post__content_key", "post__posted_at", "post_id")
    )
    points = [(row[0], row[1], row[2], row[4]) for row in new]
    points.extend(waiting)
    points.sort(key=lambda point: (point[2], point[0]))
    for point in points:
        plan.place(*point)
    exact = plan.write()
    left = [row for row in new if row[0] not in exact]
    near: dict[int, int] = {}
    if left:
        _cluster_near_duplicates(left, window, near)
        _write_assignments(near)
        clusters_refresh(cluster_ids=set(near.values()))
    return len(exact) + len(near)


class _ExactPlan:
    """Exact copies placed in time order: each joins an active cluster of its content, or
    pairs with the previous unclustered copy within the window into a new cluster."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self.clusters: dict[str, list[Cluster]] = defaultdict(list)
        self.waiting: dict[str, tuple[int, datetime, int]] = {}
        self.assign: dict[int, Cluster] = {}
        self.touched: dict[int, Cluster] = {}  # id(cluster) -> cluster
        self.created: list[Cluster] = []

    def place(self, finding_id: int, key: str, posted_at: datetime, post_id: int) -> None:
        window = self.window
        for cluster in self.clusters[key]:
            assert cluster.first_posted_at is not None and cluster.last_posted_at is not None
            if cluster.first_posted_at - window <= posted_at <= cluster.last_posted_at + window:
                self._join(cluster, finding_id, posted_at, post_id)
                return
        pending = self.waiting.get(key)
        if pending is not None and posted_at - pending[1] <= window:
            other_id, other_at, other_post = pending
            cluster = Cluster(
                first_post_id=other_post,
                content_key=key,
                first_posted_at=other_at,
                last_posted_at=other_at,
                size=1,
                authors=1,
            )
            self.assign[other_id] = cluster
            self.created.append(cluster)
            self.clusters[key].append(cluster)
            del self.waiting[key]
            self._join(cluster, finding_id, posted_at, post_id)
            return
        self.waiting[key] = (finding_id, posted_at, post_id)

    def _join(self, cluster: Cluster, finding_id: int, posted_at: datetime, post_id: int) -> None:
        self.assign[finding_id] = cluster
        cluster.size += 1
        cluster.authors = cluster.size  # until clusters_refresh_pending counts them
        cluster.needs_refresh = True
        assert cluster.first_posted_at is not None and cluster.last_posted_at is not None
        if posted_at < cluster.first_posted_at:
            cluster.first_posted_at = posted_at
            cluster.first_post_id = post_id
        cluster.last_posted_at = max(cluster.last_posted_at, posted_at)
        self.touched[id(cluster)] = cluster

    def write(self) -> dict[int, int]:
        """Create and update the clusters, assign the findings; finding id -> cluster id."""
        if self.created:
            Cluster.objects.bulk_create(self.created, batch_size=1000)
            if any(cluster.pk is None for cluster in self.created):  # no RETURNING
                for cluster in self.created:  # pragma: no cover - old SQLite only
                    cluster.pk = Cluster.objects.filter(
                        content_key=cluster.content_key,
                        first_posted_at=cluster.first_posted_at,
                    ).values_list("pk", flat=True)[0]
        created = {id(cluster) for cluster in self.created}
        _update_rows(
            Cluster._meta.db_table,
            ["size", "authors", "first_posted_at", "last_posted_at", "first_post_id"],
            [
                (c.pk, c.size, c.authors, c.first_posted_at, c.last_posted_at, c.first_post_id)
                for key, c in self.touched.items()
                if key not in created
            ],
            flag="needs_refresh",
        )
        assign = {finding_id: cluster.pk for finding_id, cluster in self.assign.items()}
        _write_assignments(assign)
        return assign


def _write_assignments(assign: dict[int, int]) -> None:
    _update_rows(Finding._meta.db_table, ["cluster_id"], list(assign.items()))


def _update_rows(
    table: str, columns: list[str], rows: list[tuple[Any, ...]], *, flag: str = ""
) -> None:
    """UPDATE many rows by id with their own values: ``UPDATE ... FROM (VALUES ...)``, one
    statement per 1,000 rows (Django's bulk_update builds a CASE per column, quadratic in
    the rows of a statement). Each row is (id, *values); ``flag`` is a boolean column set
    to true on every row."""
    assignments = ", ".join(f"{column} = v.column{n + 2}" for n, column in enumerate(columns))
    if flag:
        assignments += f", {flag} = %s"
    width = len(columns) + 1
    placeholder = "(" + ", ".join(["%s"] * width) + ")"
    # In id order, so that two workers updating the same rows lock them in the same order.
    rows = sorted(rows, key=lambda row: row[0])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            values = ", ".join([placeholder] * len(chunk))
            params: list[Any] = [True] if flag else []
            params.extend(value for row in chunk for value in row)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v "
                f"WHERE {table}.id = v.column1",
                params,
            )


def clusters_refresh_pending() -> int:
    """Recount the clusters that findings joined since their last count; how many."""
    with transaction.atomic():
        _lock_clusters()
        ids = set(Cluster.objects.filter(needs_refresh=True).values_list("id", flat=True))
        for chunk in _chunks(sorted(ids), 5000):
            clusters_refresh(cluster_ids=set(chunk))
    return len(ids)


# pg_advisory_xact_lock key: "clusters" in ASCII.
CLUSTER_LOCK = 0x636C757374657273


def _lock_clusters() -> None:
    """Serialise cluster writes between workers until the transaction ends. Two workers
    would otherwise create the same cluster twice, or lock two clusters in opposite
    orders and deadlock. Detection, the bulk of a batch, still runs in parallel: the
    lock is taken only for the clustering at the end of the batch."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLUSTER_LOCK])


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


NEAR_CANDIDATES = 2000


def _cluster_near_duplicates(
    left: list[tuple[int, str, datetime, str, int]], window: timedelta, assign: dict[int, int]
) -> None:
    """``left``: (finding id, content key, posted at, text, post id) of new findings."""
    low = min(row[2] for row in left) - window
    high = max(row[2] for row in left) + window
    clusters = [
        (cluster_id, clustering.shingles(text), first - window, last + window)
        for cluster_id, text, first, last in Cluster.objects.filter(
            last_posted_at__gte=low, first_posted_at__lte=high
        ).values_list("id", "first_post__text", "first_posted_at", "last_posted_at")[
            :NEAR_CANDIDATES
        ]
    ]
    loose = [
        (fid, post_id, clustering.shingles(text), posted_at)
        for fid, post_id, text, posted_at in Finding.objects.filter(
            cluster__isnull=True, posted_at__gte=low, posted_at__lte=high
        ).values_list("id", "post_id", "post__text", "posted_at")[:NEAR_CANDIDATES]
    ]
    # Only candidates sharing enough word trigrams are compared (an inverted index).
    cluster_index = clustering.TrigramIndex(clusters, lambda c: c[1])
    loose_index = clustering.TrigramIndex(loose, lambda c: c[2])
    for fid, key, posted_at, text, own_post in left:
        mine = clustering.shingles(text)
        found = next(
            (
                cid
                for cid, theirs, start, end in cluster_index.candidates(mine)
                if start <= posted_at <= end and clustering.similar(mine, theirs)
            ),
            None,
        )
        if found is None:
            partner = next(
                (
                    (other, post_id, when)
                    for other, post_id, theirs, when in loose_index.candidates(mine)
                    if other != fid
                    and other not in assign
                    and abs(when - posted_at) <= window
                    and clustering.similar(mine, theirs)
                ),
                None,
            )
            if partner is None:
                continue
            other, post_id, when = partner
            first_post = post_id if when <= posted_at else own_post
            found = Cluster.objects.create(
                first_post_id=first_post,
                content_key=key,
                first_posted_at=min(when, posted_at),
                last_posted_at=max(when, posted_at),
            ).pk
            cluster_index.add((found, mine, posted_at - window, posted_at + window))
            assign[other] = found
        assign[fid] = found


def clusters_refresh(*, cluster_ids: set[int]) -> None:
    """Size, distinct authors, first and last post of clusters: two queries for any number."""
    if not cluster_ids:
        return
    stats = {
        row["cluster_id"]: row
        for row in Finding.objects.filter(cluster_id__in=cluster_ids)
        .values("cluster_id")
        .annotate(
            size=Count("id"),
            authors=Count(
                Coalesce(
                    Cast("post__employee_id", CharField()),
                    "post__author_phone",
                    "post__author_name",
                ),
                distinct=True,
            ),
            first=Min("post__posted_at"),
            last=Max("post__posted_at"),
        )
    }
    firsts: dict[int, int] = {}
    for cluster_id, post_id in (
        Finding.objects.filter(cluster_id__in=cluster_ids)
        .order_by("cluster_id", "post__posted_at", "post_id")
        .values_list("cluster_id", "post_id")
    ):
        firsts.setdefault(cluster_id, post_id)
    rows = [
        (
            cluster_id,
            row["size"],
            row["authors"],
            row["first"],
            row["last"],
            firsts[cluster_id],
            False,
        )
        for cluster_id, row in stats.items()
    ]
    _update_rows(
        Cluster._meta.db_table,
        ["size", "authors", "first_posted_at", "last_posted_at", "first_post_id", "needs_refresh"],
        rows,
    )


# ---------------------------------------------------------------------------- review


def _check_reviewer(actor: User) -> None:
    if actor.role not in REVIEW_ROLES:
        raise ReviewNotAllowed(_("Your role may not review findings."))


def post_snapshot(post: Post) -> dict[str, Any]:
    """The post as evidence: what was said, by whom, where and when, and which import."""
    return {
        "source": post.source,
        "external_id": post.external_id,
        "platform": post.platform,
        "group": post.group.name if post.group else "",
        "author_name": post.author_name,
        "author_handle": post.author_handle,
        "author_phone": post.author_phone,
        "employee_nip": post.employee.nip if post.employee else None,
        "text": post.text,
        "posted_at": post.posted_at.isoformat() if post.posted_at else None,
        "url": post.url,
        "action": post.action,
        "media": post.media,
        "import_file": post.batch.filename,
        "import_sha256": post.batch.sha256,
    }


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def finding_confirm(
    *,
    finding: Finding,
    actor: User,
    case: Any = None,
    stance: str = "",
    note: str = "",
) -> Finding:
    """Confirm a finding: it opens a case (or joins ``case``) with a hashed snapshot of the
    post as evidence. ``stance`` corrects the detector's when the reviewer disagrees."""
    from netralitas.cases.services import case_attach_finding, case_open_from_finding

    _check_reviewer(actor)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.NEW:
        raise FindingWrongState(_("This finding has already been reviewed."))
    if stance and stance not in ("support", "oppose"):
        raise MonitoringError(_("A confirmed finding supports or opposes a contestant."))
    post = Post.objects.select_related("group", "employee", "batch").get(pk=finding.post_id)
    finding.snapshot = post_snapshot(post)
    finding.snapshot_sha256 = snapshot_hash(finding.snapshot)
    finding.status = FindingStatus.CONFIRMED
    finding.reviewed_by = actor
    finding.reviewed_at = timezone.now()
    finding.reviewed_stance = stance if stance and stance != finding.stance else ""
    finding.review_note = note
    if case is None:
        finding.case = case_open_from_finding(finding=finding, post=post, actor=actor)
    else:
        case_attach_finding(case=case, finding=finding, actor=actor)
        finding.case = case
    finding.save()
    return finding


@transaction.atomic
def finding_dismiss(*, finding: Finding, actor: User, reason: str, note: str = "") -> Finding:
    _check_reviewer(actor)
    if reason not in DismissReason.values:
        raise MonitoringError(_("Choose a reason for dismissing."))
    if reason == DismissReason.OTHER and not note.strip():
        raise MonitoringError(_("Explain the reason in the note."))
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.NEW:
        raise FindingWrongState(_("This finding has already been reviewed."))
    finding.status = FindingStatus.DISMISSED
    finding.dismiss_reason = reason
    finding.review_note = note
    finding.reviewed_by = actor
    finding.reviewed_at = timezone.now()
    finding.save(
        update_fields=["status", "dismiss_reason", "review_note", "reviewed_by", "reviewed_at"]
    )
    return finding


@transaction.atomic
def post_set_author(*, post: Post, employee: Employee | None, actor: User) -> Post:
    """A reviewer's correction of who wrote a post (the match is then "manual")."""
    _check_reviewer(actor)
    post.employee = employee
    post.match_method = MatchMethod.MANUAL if employee else MatchMethod.NONE
    post.match_confidence = 1.0 if employee else None
    post.save(update_fields=["employee", "match_method", "match_confidence"])
    Finding.objects.filter(post=post, status=FindingStatus.NEW).update(
        agency=employee.agency if employee else None
    )
    return post
