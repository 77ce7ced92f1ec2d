from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ElectionKind(models.TextChoices):
    PEMILU = "pemilu", _("General election (Pemilu)")
    PILKADA = "pilkada", _("Regional election (Pilkada)")


class StageKind(models.TextChoices):
    PRE_NOMINATION = "pre_nomination", _("Before nomination")
    NOMINATION = "nomination", _("Nomination")
    CAMPAIGN = "campaign", _("Campaign")
    QUIET = "quiet", _("Quiet period")
    VOTING = "voting", _("Voting")
    RECAP = "recap", _("Counting and recapitulation")
    POST = "post", _("After the election")


class Election(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ElectionKind.choices)
    voting_date = models.DateField(_("voting date"))
    config_version = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-voting_date"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stages")
    code = models.SlugField(max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=StageKind.choices)
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("election stage")
        verbose_name_plural = _("election stages")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="stage_code_unique"),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="stage_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self) -> str:
        return f"{self.election.name}: {self.name}"


class Party(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    number = models.PositiveSmallIntegerField(_("ballot number"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    abbreviations = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("political party")
        verbose_name_plural = _("political parties")
        ordering = ["number", "code"]

    def __str__(self) -> str:
        return self.name


class Contest(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    office = models.CharField(_("office"), max_length=30)
    area = models.ForeignKey(
        "registry.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="contests"
    )
    # SKB 2022: before this date the contestants are prospective candidates (ethics
    # rows KE-*), from this date on they are candidates (discipline rows DS-*).
    candidates_set_on = models.DateField(_("candidates set on"))
    parties = models.ManyToManyField(Party, blank=True, related_name="contests")

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["election", "code"]

    def __str__(self) -> str:
        return self.name


class CandidatePair(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="pairs")
    number = models.PositiveSmallIntegerField(_("ballot number"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=200)
    names = models.JSONField(default=list)
    parties = models.ManyToManyField(Party, blank=True, related_name="pairs")
    is_empty_column = models.BooleanField(_("empty column (kotak kosong)"), default=False)

    class Meta:
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")
        ordering = ["contest", "number"]

    def __str__(self) -> str:
        return f"{self.number or '-'}. {self.label}"


class ViolationCategory(models.TextChoices):
    ETHICS = "ethics", _("Code of ethics")
    DISCIPLINE = "discipline", _("Discipline")


class SanctionCategory(models.TextChoices):
    MORAL = "moral", _("Moral sanction")
    RINGAN = "ringan", _("Light discipline")
    SEDANG = "sedang", _("Moderate discipline")
    BERAT = "berat", _("Heavy discipline")
    PTDH = "ptdh", _("Dismissal without honour (PTDH)")
    SATGAS = "satgas", _("Decided by the Satgas")


class ViolationTiming(models.TextChoices):
    BEFORE_CANDIDATES = "before_candidates", _("Before candidates are set")
    AFTER_CANDIDATES = "after_candidates", _("After candidates are set")
    ANY = "any", _("Any time")


class ViolationType(models.Model):
    """A row of the SKB 2022 rule table; reference data an administrator may edit."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    category = models.CharField(_("category"), max_length=12, choices=ViolationCategory.choices)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    sanction_category = models.CharField(
        _("sanction category"), max_length=10, choices=SanctionCategory.choices
    )
    timing = models.CharField(_("timing"), max_length=20, choices=ViolationTiming.choices)
    # The row for the same act on the other side of the candidate-setting date.
    counterpart = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confidence = models.CharField(_("source confidence"), max_length=5, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SanctionKind(models.Model):
    """One sanction of a catalogue; the employee kind selects the catalogue."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    employee_kind = models.CharField(_("employee kind"), max_length=10)
    category = models.CharField(_("category"), max_length=10, choices=SanctionCategory.choices)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    confidence = models.CharField(max_length=5, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("sanction kind")
        verbose_name_plural = _("sanction kinds")
        ordering = ["employee_kind", "order"]

    def __str__(self) -> str:
        return self.name
