"""Drafts kept from the self-check, only when the civil servant agreed to it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SharedDraft(models.Model):
    """A draft its writer chose to share so that the detector can be improved. No name, no
    address, no account: the text and what the detector said of it."""

    text = models.TextField(_("text"))
    partisan = models.BooleanField(_("partisan"))
    stance = models.CharField(_("stance"), max_length=10)
    score = models.FloatField(_("score"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shared draft")
        verbose_name_plural = _("shared drafts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.stance} {self.score:.2f}"
