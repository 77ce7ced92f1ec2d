from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.elections.models import SanctionCategory


class CaseStatus(models.TextChoices):
    VERIFICATION = "verification", _("Verification")
    AWAITING_INFO = "awaiting_info", _("Awaiting information from the reporter")
    REGISTERED = "registered", _("Registered")
    NOT_REGISTERED = "not_registered", _("Not registered")
    EXAMINATION = "examination", _("Examination")
    PROVEN = "proven", _("Violation proven")
    NOT_PROVEN = "not_proven", _("Violation not proven")
    RECOMMENDED = "recommended", _("Sanction recommended")
    FORWARDED = "forwarded", _("Forwarded")
    DECIDED = "decided", _("Decided by the PPK")
    CLOSED = "closed", _("Closed")


class Conclusion(models.TextChoices):
    PROVEN = "proven", _("Proven")
    NOT_PROVEN = "not_proven", _("Not proven")


class ForwardTarget(models.TextChoices):
    PPK = "ppk", _("Staffing official (PPK)")
    RECEIVING_BODY = "receiving_body", _("KASN/BKN (by date)")
    BAWASLU = "bawaslu", _("Bawaslu")
    OTHER_AGENCY = "other_agency", _("Another agency")


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.VERIFICATION
    )
    subject_name = models.CharField(_("reported person"), max_length=200)
    employee = models.ForeignKey(
        "registry.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    agency = models.ForeignKey(
        "registry.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    incident_date = models.DateField(_("incident date"))
    # As reported, and as it applies on the incident date (ethics vs discipline).
    reported_violation_type = models.ForeignKey(
        "elections.ViolationType", on_delete=models.PROTECT, related_name="+"
    )
    violation_type = models.ForeignKey(
        "elections.ViolationType", on_delete=models.PROTECT, related_name="cases"
    )
    contest = models.ForeignKey(
        "elections.Contest", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    stage = models.ForeignKey(
        "elections.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    formal_complete = models.BooleanField(_("formal requirements complete"), default=False)
    material_complete = models.BooleanField(_("material requirements complete"), default=False)
    conclusion = models.CharField(max_length=12, choices=Conclusion.choices, blank=True)
    suggested_sanction_category = models.CharField(
        max_length=10, choices=SanctionCategory.choices, blank=True
    )
    recommended_sanction_category = models.CharField(
        max_length=10, choices=SanctionCategory.choices, blank=True
    )
    recommended_sanction_kind = models.ForeignKey(
        "elections.SanctionKind", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommendation_override_reason = models.TextField(blank=True)
    forwarded_to = models.CharField(max_length=20, choices=ForwardTarget.choices, blank=True)
    forwarded_to_name = models.CharField(max_length=200, blank=True)
    ppk_decision_number = models.CharField(_("PPK decision number"), max_length=100, blank=True)
    ppk_decision_date = models.DateField(_("PPK decision date"), null=True, blank=True)
    ppk_sanction_kind = models.ForeignKey(
        "elections.SanctionKind", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ppk_override_reason = models.TextField(blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # The legal deadline of the current step; null when no clock runs. Indexed so the
    # overdue list is one range query (as Healthchecks stores its next alert time).
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.number

    def is_overdue(self, today=None) -> bool:
        from netralitas.core.timeutil import local_today

        return self.due_on is not None and self.due_on < (today or local_today())


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyModel(models.Model):
    """Rows that are written once: the record of what happened is never rewritten."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class CaseEvent(AppendOnlyModel):
    """The case timeline: who did what, when and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    # What the reporter may read through the tracking code; never internal notes.
    public_note = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class PersonCapacity(models.TextChoices):
    REPORTED = "reported", _("Reported person")
    REPORTER = "reporter", _("Reporter")
    WITNESS = "witness", _("Witness")
    SUPERIOR = "superior", _("Direct superior")
    EXPERT = "expert", _("Expert")


class Clarification(AppendOnlyModel):
    """A clarification record (berita acara klarifikasi) made during examination."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="clarifications")
    held_on = models.DateField(_("held on"))
    person_heard = models.CharField(_("person heard"), max_length=200)
    capacity = models.CharField(_("capacity"), max_length=12, choices=PersonCapacity.choices)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("clarification record")
        verbose_name_plural = _("clarification records")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.person_heard}"


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


class DeadlineRule(models.Model):
    """How long a case may stay in a status (domain.md §6); editable reference data."""

    step = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, unique=True)
    name = models.CharField(_("name"), max_length=200)
    days = models.PositiveSmallIntegerField(_("days"))
    day_kind = models.CharField(_("day kind"), max_length=10, choices=DayKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("confirmed by a regulation"), default=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.step}: {self.days} {self.day_kind}"


class Holiday(models.Model):
    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(max_length=20, default="national")

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ReceivingBody(models.Model):
    """The body that receives forwarded cases: KASN until 23 Aug 2024, BKN after."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("receiving body")
        verbose_name_plural = _("receiving bodies")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name


class CaseCounter(models.Model):
    """Last case number issued per year; locked row so numbers never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
