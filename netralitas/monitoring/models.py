"""Imported posts, the detector's findings, reviews and coordinated-sharing clusters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from netralitas.registry.models import Platform


class ImportFormat(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    X = "x", "X API v2"
    CSV = "csv", "CSV"
    JSONL = "jsonl", "JSON lines"


class ImportBatch(models.Model):
    """One imported file: what it was, who brought it, and what came of each line."""

    filename = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported = models.PositiveIntegerField(_("imported"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"line", "error"}], first 1,000
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class MatchMethod(models.TextChoices):
    PHONE = "phone", _("phone number")
    HANDLE = "handle", _("account handle")
    NAME = "name", _("exact name")
    FUZZY = "fuzzy", _("similar name")
    MANUAL = "manual", _("set by a reviewer")
    NONE = "", _("not matched")


class Post(models.Model):
    # sha256 of the source and external id, or of the content fingerprint: a re-import of
    # the same file (or an overlapping export) inserts nothing new. Unique through a
    # constraint (Meta), not unique=True, which would add a second, pattern-ops index on
    # PostgreSQL: every index is written for every imported and every scanned post.
    key = models.CharField(max_length=64)
    source = models.CharField(_("source"), max_length=10, choices=ImportFormat.choices)
    external_id = models.CharField(max_length=100, blank=True)
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    group = models.ForeignKey(
        "registry.ChatGroup",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    author_handle = models.CharField(max_length=100, blank=True)
    author_phone = models.CharField(max_length=20, blank=True)
    employee = models.ForeignKey(
        "registry.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        db_index=False,  # the (employee, posted_at) index serves lookups by employee
    )
    match_method = models.CharField(
        max_length=10, choices=MatchMethod.choices, default=MatchMethod.NONE, blank=True
    )
    match_confidence = models.FloatField(null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, db_index=True)
    url = models.CharField(max_length=500, blank=True)
    action = models.CharField(_("action"), max_length=10, default="post")
    forwarded = models.BooleanField(default=False)
    reply_to = models.CharField(max_length=100, blank=True)
    media = models.CharField(max_length=200, blank=True)
    # sha256 of the text with case, spacing, links, mentions and emoji removed: near
    # duplicates of a forwarded message share it (coordinated sharing).
    content_key = models.CharField(max_length=64, blank=True)  # indexed in Meta
    # Not indexed: only deleting a batch (rare, and refused while it has posts) looks up
    # posts by batch.
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="posts", db_index=False
    )
    # Null until the detector has seen the post; the partial index keeps "what is left to
    # scan" one small index scan however many posts there are.
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["key"], name="post_key_unique")]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(scanned_at__isnull=True), name="post_unscanned"
            ),
            models.Index(fields=["employee", "posted_at"]),
            # Copies of a message near a time: clustering looks them up by both.
            models.Index(fields=["content_key", "posted_at"], name="post_content_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.author_name or self.author_handle}"


class FindingStatus(models.TextChoices):
    NEW = "new", _("awaiting review")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class DismissReason(models.TextChoices):
    NOT_PARTISAN = "not_partisan", _("not partisan (detector error)")
    NOT_EMPLOYEE = "not_employee", _("the author is not a civil servant")
    WRONG_AUTHOR = "wrong_author", _("wrongly matched author")
    OUT_OF_PERIOD = "out_of_period", _("outside the supervised period")
    DUPLICATE = "duplicate", _("already handled")
    OTHER = "other", _("other")


class Cluster(models.Model):
    """The same partisan message (or a near duplicate) posted by several people within a
    window: the team reviews one cluster, not fifty findings."""

    first_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    size = models.PositiveIntegerField(default=1)
    authors = models.PositiveIntegerField(default=1)
    first_posted_at = models.DateTimeField(null=True, blank=True)
    last_posted_at = models.DateTimeField(null=True, blank=True)
    # The content key of its first post: exact copies find their cluster by it, without
    # reading the findings already in the cluster.
    content_key = models.CharField(max_length=64, db_index=True, blank=True)
    # Set when findings join; the distinct-author count is recomputed for flagged clusters
    # once per scan run (services.clusters_refresh_pending), not once per batch.
    needs_refresh = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordinated-sharing cluster")
        verbose_name_plural = _("coordinated-sharing clusters")
        ordering = ["-last_posted_at"]
        indexes = [models.Index(fields=["last_posted_at"], name="cluster_last_posted")]

    def __str__(self) -> str:
        return f"{self.size} × {self.first_post_id}"


class Finding(models.Model):
    """A post the detector flagged as partisan, and what the reviewer made of it."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="finding")
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.NEW
    )
    stance = models.CharField(_("stance"), max_length=10)
    score = models.FloatField(_("score"))
    targets = models.JSONField(default=list, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    detector_version = models.CharField(max_length=60, blank=True)
    agency = models.ForeignKey(
        "registry.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage = models.ForeignKey(
        "elections.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    # The post's time, copied: unclustered findings near a time are found from one index.
    posted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The reviewer's label when it differs from the detector's (for retraining).
    reviewed_stance = models.CharField(max_length=10, blank=True)
    dismiss_reason = models.CharField(max_length=20, choices=DismissReason.choices, blank=True)
    review_note = models.TextField(blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    # The post as it was when confirmed, and the sha256 of that JSON: the case's evidence
    # stays the same even if the post is re-imported, corrected or deleted later.
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-score"]
        indexes = [
            models.Index(fields=["status", "-score"]),
            models.Index(
                fields=["posted_at"],
                condition=models.Q(cluster__isnull=True),
                name="finding_unclustered_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.stance} {self.score:.2f}"
