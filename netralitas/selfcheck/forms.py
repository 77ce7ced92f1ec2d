from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from netralitas.selfcheck.services import MAX_LENGTH


class SelfCheckForm(forms.Form):
    text = forms.CharField(
        label=_("Your draft"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The post, comment or message you are about to send."),
    )
    share = forms.BooleanField(
        label=_("Share this draft (without your name) to help improve the check"),
        required=False,
    )
