"""Monitoring reads: what is left to scan, the review queue, exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from netralitas.monitoring.models import Finding, FindingStatus, Post

SORTS = {
    "score": ("-score", "-id"),
    "newest": ("-post__posted_at", "-id"),
    "oldest": ("post__posted_at", "id"),
}


def posts_unscanned_count() -> int:
    return Post.objects.filter(scanned_at__isnull=True).count()


def findings_queue(
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
    sort: str = "score",
) -> QuerySet[Finding]:
    findings = Finding.objects.select_related(
        "post", "post__employee", "post__group", "agency", "stage", "cluster"
    )
    if status:
        findings = findings.filter(status=status)
    if agency_path:
        findings = findings.filter(agency__path__startswith=agency_path)
    if platform:
        findings = findings.filter(post__platform=platform)
    if stance:
        findings = findings.filter(stance=stance)
    if stage_id:
        findings = findings.filter(stage_id=stage_id)
    if group_id:
        findings = findings.filter(post__group_id=group_id)
    if cluster_id:
        findings = findings.filter(cluster_id=cluster_id)
    if min_score is not None:
        findings = findings.filter(score__gte=min_score)
    if query:
        findings = findings.filter(post__text__icontains=query)
    return findings.order_by(*SORTS.get(sort, SORTS["score"]))


def finding_export_rows(*, status: str = "") -> Iterator[dict[str, Any]]:
    """The ``export-findings`` records, in id order, streamed."""
    findings = Finding.objects.select_related("post", "post__group", "post__employee")
    if status:
        findings = findings.filter(status=status)
    for finding in findings.order_by("id").iterator(chunk_size=2000):
        post = finding.post
        yield {
            "finding_id": finding.pk,
            "status": finding.status,
            "stance": finding.reviewed_stance or finding.stance,
            "score": finding.score,
            "targets": finding.targets,
            "post": {
                "source": post.source,
                "external_id": post.external_id or None,
                "author": post.employee.name
                if post.employee
                else (post.author_name or post.author_handle or post.author_phone),
                "text": post.text,
                "posted_at": post.posted_at.isoformat() if post.posted_at else None,
                "group": post.group.name if post.group else None,
            },
        }


def review_labels() -> Iterator[dict[str, Any]]:
    """Reviewer decisions as labelled corpus lines (``evaluate-detector`` reads them; the
    corpus format of detection/data/corpus): confirmed findings with the reviewer's stance,
    dismissed "not partisan" ones as none. Other dismissals say nothing about the text."""
    findings = (
        Finding.objects.filter(status__in=[FindingStatus.CONFIRMED, FindingStatus.DISMISSED])
        .exclude(status=FindingStatus.DISMISSED, dismiss_reason__in=_NOT_ABOUT_TEXT)
        .select_related("post")
        .order_by("id")
    )
    for finding in findings.iterator(chunk_size=2000):
        post = finding.post
        confirmed = finding.status == FindingStatus.CONFIRMED
        stance = (finding.reviewed_stance or finding.stance) if confirmed else "none"
        yield {
            "id": f"review-{finding.pk}",
            "text": post.text,
            "stance": stance,
            "partisan": stance != "none",
            "targets": finding.targets if confirmed and not finding.reviewed_stance else [],
            "hard": False,
            "pattern": "review",
            "platform": post.platform,
            "action": post.action,
            "posted_at": post.posted_at.date().isoformat() if post.posted_at else None,
            "augmented": False,
        }


_NOT_ABOUT_TEXT = ("not_employee", "wrong_author", "out_of_period", "duplicate", "other")
