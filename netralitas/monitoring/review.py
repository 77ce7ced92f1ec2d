"""Review-queue reads for the monitoring team's pages (read-only; services write).

Built on :func:`selectors.findings_queue` and adding what the pages need: one row per
coordinated-sharing cluster, a cluster-only filter, sorting by cluster size, a free-text
search over author and group as well as the text, and the detail page's related rows.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from netralitas.cases.models import Case
from netralitas.monitoring.models import Finding, FindingStatus
from netralitas.monitoring.selectors import SORTS, findings_queue
from netralitas.registry.models import ChatGroup

QUEUE_SORTS = (*SORTS, "cluster")
# A cluster of fifty copies is listed in full on the detail page up to this many rows; its
# size is shown either way.
CLUSTER_ROWS = 200


def review_queue(
    *,
    status: str = FindingStatus.NEW,
    agency_path: str = "",
    platform: str = "",
    stance: str = "",
    stage_id: int | None = None,
    group_id: int | None = None,
    cluster_id: int | None = None,
    min_score: float | None = None,
    query: str = "",
    clustered_only: bool = False,
    collapse: bool = True,
    sort: str = "score",
) -> QuerySet[Finding]:
    """The queue as the page lists it: everything the row shows in one query.

    With ``collapse`` a cluster is one row: among the findings of the cluster that pass
    the filters, the one posted first (the others are counted in ``cluster_matching``).
    Filtering on one cluster lists all of its findings."""
    filtered = findings_queue(
        status=status,
        agency_path=agency_path,
        platform=platform,
        stance=stance,
        stage_id=stage_id,
        group_id=group_id,
        cluster_id=cluster_id,
        min_score=min_score,
        sort=sort if sort in SORTS else "score",
    )
    if query:
        filtered = filtered.filter(
            Q(post__text__icontains=query)
            | Q(post__author_name__icontains=query)
            | Q(post__author_handle__icontains=query)
            | Q(post__employee__name__icontains=query)
            | Q(post__employee__nip__startswith=query)
            | Q(post__group__name__icontains=query)
        )
    if clustered_only:
        filtered = filtered.filter(cluster__isnull=False)
    findings = filtered.select_related(
        "post__employee__agency", "cluster__first_post__employee"
    ).defer("snapshot")
    if collapse and not cluster_id:
        same_cluster = filtered.filter(cluster_id=OuterRef("cluster_id"))
        # Clustered findings always have a posting time (clusters_update skips the others).
        earlier = same_cluster.filter(
            Q(post__posted_at__lt=OuterRef("post__posted_at"))
            | Q(post__posted_at=OuterRef("post__posted_at"), id__lt=OuterRef("id"))
        )
        matching = (
            same_cluster.order_by().values("cluster_id").annotate(n=Count("id")).values("n")[:1]
        )
        findings = findings.filter(Q(cluster__isnull=True) | ~Exists(earlier)).annotate(
            cluster_matching=Subquery(matching, output_field=IntegerField())
        )
    if sort == "cluster":
        findings = findings.order_by(
            Coalesce("cluster__size", 1).desc(), "cluster_id", "-score", "-id"
        )
    return findings


def finding_for_review(*, pk: int) -> Finding | None:
    return (
        Finding.objects.select_related(
            "post__employee__agency",
            "post__group__agency",
            "agency",
            "stage__election",
            "cluster__first_post__employee",
            "case",
            "reviewed_by",
        )
        .filter(pk=pk)
        .first()
    )


def group_member_count(*, group: ChatGroup | None) -> int:
    return group.members.count() if group else 0


def cluster_findings(*, finding: Finding, limit: int = CLUSTER_ROWS) -> list[Finding]:
    """The other findings of ``finding``'s cluster in posting order (first poster first)."""
    if finding.cluster_id is None:
        return []
    return list(
        Finding.objects.filter(cluster_id=finding.cluster_id)
        .exclude(pk=finding.pk)
        .select_related("post__employee", "post__group", "case")
        .defer("snapshot", "evidence")
        .order_by("post__posted_at", "id")[:limit]
    )


def cluster_cases(*, finding: Finding) -> list[Case]:
    """Cases already opened from findings of the same cluster: where a further copy of the
    same message most likely belongs."""
    if finding.cluster_id is None:
        return []
    return list(
        Case.objects.filter(
            findings__cluster_id=finding.cluster_id, findings__status=FindingStatus.CONFIRMED
        )
        .distinct()
        .order_by("opened_at")
    )
