from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.core.crypto import decrypt_text


class Channel(models.TextChoices):
    PUBLIC_FORM = "public_form", _("Public form")
    API = "api", _("API")
    MONITORING = "monitoring", _("Monitoring finding")
    BAWASLU = "bawaslu", _("Forwarded by Bawaslu")


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_CASE = "in_case", _("Handled in a case")
    DISMISSED = "dismissed", _("Dismissed (spam or duplicate)")


class Report(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=24, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    reported_name = models.CharField(_("reported person"), max_length=200)
    reported_employee = models.ForeignKey(
        "registry.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reported_agency_text = models.CharField(
        _("reported agency (as written)"), max_length=200, blank=True
    )
    agency = models.ForeignKey(
        "registry.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    incident_date = models.DateField(_("incident date"))
    incident_place = models.CharField(_("incident place"), max_length=300, blank=True)
    violation_types = models.ManyToManyField(
        "elections.ViolationType", related_name="reports", verbose_name=_("violation types")
    )
    description = models.TextField(_("description"))
    # Derived from the incident date at intake (elections.selectors.stage_on).
    stage = models.ForeignKey(
        "elections.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A double-submitted form or retried API call carries the same key: one report.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # Same content from the same sender within a short window is also one report.
    content_fingerprint = models.CharField(max_length=64, db_index=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    dismissed_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return self.tracking_code


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # Stored under the content hash, never the reporter's file name.
    now = timezone.now()
    return f"evidence/{now:%Y/%m}/{instance.sha256}.{instance.extension}"


class Evidence(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=5, choices=EvidenceKind.choices)
    file = models.FileField(upload_to=evidence_upload_to, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    extension = models.CharField(max_length=10, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.url


class ReporterIdentity(models.Model):
    """Who filed a report, encrypted at rest; read it only through reports.services."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="reporter")
    name_encrypted = models.TextField(blank=True)
    phone_encrypted = models.TextField(blank=True)
    email_encrypted = models.TextField(blank=True)

    class Meta:
        verbose_name = _("reporter identity")
        verbose_name_plural = _("reporter identities")

    def __str__(self) -> str:
        return f"reporter of {self.report_id}"

    def decrypted(self) -> dict[str, str]:
        return {
            "name": decrypt_text(self.name_encrypted),
            "phone": decrypt_text(self.phone_encrypted),
            "email": decrypt_text(self.email_encrypted),
        }


class IdentityRevealLog(models.Model):
    """Every time a staff member sees a reporter's identity."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="identity_reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("identity reveal")
        verbose_name_plural = _("identity reveals")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} → {self.report_id}"
