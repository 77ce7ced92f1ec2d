from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.registry.nip import validate_nip


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency")
    CITY = "city", _("City")
    AGENCY = "agency", _("Agency (OPD)")
    UNIT = "unit", _("Unit")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def subtree_of(self, agency: Agency) -> AgencyQuerySet:
        return self.filter(path__startswith=agency.path)


class Agency(models.Model):
    """One node of the government tree: province → regency/city → agency (OPD) → unit.

    ``path`` is the materialised chain of codes ("19/19.71/19.71.DISDIK/") so that a
    whole subtree is one indexed prefix query, which every scoped selector needs.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=500, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # The head of the agency (kepala dinas/badan, camat...). Explicit rather than derived
    # from Employee.holds_leadership_post: that flag is also true for every head of a
    # division, section or village office, so it cannot say who *the* head is, and
    # "agencies whose head has not signed the integrity pact" must be exact. Null means
    # not recorded yet, which the pact pages show apart from "not signed".
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("agency head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.head_id and self.path and not self.head.agency.path.startswith(self.path):
            raise ValidationError({"head": _("The head must be an employee of this agency.")})

    @property
    def region(self) -> Agency | None:
        """The nearest province, regency or city at or above this node."""
        node: Agency | None = self
        while node is not None and node.kind not in {
            AgencyKind.PROVINCE,
            AgencyKind.REGENCY,
            AgencyKind.CITY,
        }:
            node = node.parent
        return node


class EmployeeKind(models.TextChoices):
    PNS = "PNS", _("Civil servant (PNS)")
    PPPK = "PPPK", _("Contract civil servant (PPPK)")
    NON_ASN = "NON_ASN", _("Non-ASN contract staff")


class Employee(models.Model):
    # Non-ASN contract staff have no NIP, hence nullable; unique where present.
    nip = models.CharField(_("NIP"), max_length=18, null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("employee kind"), max_length=10, choices=EmployeeKind.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    rank = models.CharField(_("rank/grade"), max_length=60, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="employees"
    )
    holds_leadership_post = models.BooleanField(_("holds a leadership post"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})" if self.nip else self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind in {EmployeeKind.PNS, EmployeeKind.PPPK}:
            if not self.nip:
                raise ValidationError({"nip": _("A PNS or PPPK must have a NIP.")})
            try:
                validate_nip(self.nip, kind=self.kind)
            except ValidationError as exc:
                raise ValidationError({"nip": exc.messages}) from exc


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"


class SocialAccount(models.Model):
    """An employee's account on a platform. ``handle`` and ``phone`` are stored normalised
    (lower case without "@"; digits in international form) because authors are matched on
    them exactly."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="accounts"
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=100, blank=True)
    url = models.URLField(_("profile URL"), max_length=300, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=~models.Q(handle=""),
                name="account_unique_handle",
            ),
            models.UniqueConstraint(
                fields=["platform", "phone"],
                condition=~models.Q(phone=""),
                name="account_unique_phone",
            ),
        ]
        indexes = [models.Index(fields=["phone"])]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.handle or self.phone or self.url}"


class ChatGroup(models.Model):
    """A group chat or channel the team monitors (WhatsApp, Telegram), with its members."""

    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=200)
    # The platform's id where the export has one (Telegram); the name otherwise.
    external_id = models.CharField(max_length=100)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_groups",
    )
    members = models.ManyToManyField(Employee, blank=True, related_name="chat_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group chat")
        verbose_name_plural = _("group chats")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "external_id"], name="chat_group_unique_id")
        ]

    def __str__(self) -> str:
        return self.name


# --- Integrity pacts and socialisation ------------------------------------------------


class PactMethod(models.TextChoices):
    UPLOAD = "upload", _("Signed sheet uploaded")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledged in the app")


def pact_upload_to(instance: IntegrityPact, filename: str) -> str:
    # Content-addressed, never the uploader's file name: the same scanned sheet uploaded
    # for several employees (a collective signing list) is stored once.
    return f"pacts/{instance.file_sha256}.{instance.file_extension}"


class IntegrityPact(models.Model):
    """An employee's signed neutrality integrity pact (pakta integritas netralitas ASN) for
    one election period, or a standing one when ``election`` is empty.

    Signed on paper and uploaded by staff, or acknowledged by the employee through a
    personal link (civil servants have no login). The agency is kept as it was at signing,
    since employees move; progress pages count employees by their current agency."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="integrity_pacts",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency at signing"),
        on_delete=models.PROTECT,
        related_name="integrity_pacts",
    )
    election = models.ForeignKey(
        "elections.Election",
        verbose_name=_("election"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrity_pacts",
    )
    method = models.CharField(_("method"), max_length=20, choices=PactMethod.choices)
    signed_at = models.DateTimeField(_("signed at"))
    # Which edition of the pact text the employee acknowledged (registry/data).
    text_version = models.CharField(_("pact text version"), max_length=20, blank=True)
    file = models.FileField(_("signed sheet"), upload_to=pact_upload_to, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    file_content_type = models.CharField(max_length=100, blank=True)
    file_extension = models.CharField(max_length=10, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    # Who typed it in (uploads); empty for the employee's own acknowledgement.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who sent the personal acknowledgement link.
    link_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("link sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A keyed hash of the address the acknowledgement came from: enough to notice one
    # device acknowledging for a whole office, useless for finding the person.
    client_hash = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("integrity pact")
        verbose_name_plural = _("integrity pacts")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "election"], name="pact_one_per_employee_election"
            ),
            # NULLs are distinct in a unique index: the standing pact needs its own.
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(election__isnull=True),
                name="pact_one_standing_per_employee",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(method="upload") & ~models.Q(file="") & ~models.Q(file_sha256="")
                )
                | (models.Q(method="acknowledgement") & models.Q(file="")),
                name="pact_file_matches_method",
            ),
        ]
        indexes = [models.Index(fields=["election", "employee"])]

    def __str__(self) -> str:
        return f"{self.employee} ({self.election or '-'})"


class SocialisationEvent(models.Model):
    """A neutrality socialisation (sosialisasi netralitas ASN) held for an agency."""

    held_on = models.DateField(_("date"), db_index=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="socialisation_events",
    )
    election = models.ForeignKey(
        "elections.Election",
        verbose_name=_("election"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="socialisation_events",
    )
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        Employee,
        verbose_name=_("attendees from the registry"),
        blank=True,
        related_name="socialisation_events",
    )
    # People not on the registry (Bawaslu staff, village officials, contract staff not
    # registered yet): counted, not named.
    unlisted_attendee_count = models.PositiveIntegerField(
        _("attendees not on the registry"), default=0
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("socialisation event")
        verbose_name_plural = _("socialisation events")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["agency", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"
