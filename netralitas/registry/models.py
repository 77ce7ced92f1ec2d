from __future__ import annotations

from django.db import models
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
