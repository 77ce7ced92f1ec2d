from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

from django import forms
from django.utils.translation import gettext_lazy as _

from netralitas.core.timeutil import local_today
from netralitas.elections.models import ViolationType
from netralitas.reports.services import ReportSubmission

MAX_LINKS = 10
EARLIEST_INCIDENT = date(2014, 1, 1)
PHONE_RE = re.compile(r"^(\+62|62|0)8[0-9]{7,12}$")


def clean_links(raw) -> list[str]:
    """Links arrive as a JSON list (API) or one per line (form)."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        items = [line.strip() for line in raw.splitlines() if line.strip()]
    elif isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        items = [x.strip() for x in raw if x.strip()]
    else:
        raise forms.ValidationError(_("Give a list of links."))
    if len(items) > MAX_LINKS:
        raise forms.ValidationError(_("At most %(n)d links.") % {"n": MAX_LINKS})
    for url in items:
        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc or len(url) > 1000:
            raise forms.ValidationError(_("Not a valid http(s) link: %(url)s") % {"url": url[:100]})
    return items


class ReportForm(forms.Form):
    """The fields of a public report, shared by the web form and the API."""

    reported_name = forms.CharField(label=_("Name of the civil servant reported"), max_length=200)
    reported_agency = forms.CharField(label=_("Agency / workplace"), max_length=200, required=False)
    incident_date = forms.DateField(
        label=_("Date of the incident"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    incident_place = forms.CharField(label=_("Place or platform"), max_length=300, required=False)
    violation_type = forms.ModelChoiceField(
        label=_("Type of violation"),
        queryset=ViolationType.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=_("— choose —"),
    )
    description = forms.CharField(
        label=_("What happened"),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    evidence_links = forms.CharField(
        label=_("Links to the evidence (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://"}),
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_phone = forms.CharField(label=_("Phone / WhatsApp"), max_length=20, required=False)
    reporter_email = forms.EmailField(label=_("Email"), required=False)
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation_type"].label_from_instance = lambda vt: f"{vt.code} — {vt.name}"

    def clean_incident_date(self) -> date:
        day = self.cleaned_data["incident_date"]
        if day > local_today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day < EARLIEST_INCIDENT:
            raise forms.ValidationError(_("The date is too far in the past."))
        return day

    def clean_evidence_links(self) -> list[str]:
        return clean_links(
            self.data.get("evidence_links")
            if isinstance(self.data.get("evidence_links"), list)
            else self.cleaned_data.get("evidence_links")
        )

    def clean_reporter_phone(self) -> str:
        phone = re.sub(r"[\s\-().]", "", self.cleaned_data.get("reporter_phone", ""))
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Enter an Indonesian mobile number, e.g. 0812xxxxxxx."))
        return phone


def report_submission(
    form: ReportForm, *, files: list, channel: str, idempotency_key: str = ""
) -> ReportSubmission:
    """The service's input from a validated form (web page and API alike)."""
    cd = form.cleaned_data
    return ReportSubmission(
        reported_name=cd["reported_name"],
        reported_agency=cd["reported_agency"],
        incident_date=cd["incident_date"],
        incident_place=cd["incident_place"],
        violation_type=cd["violation_type"],
        description=cd["description"],
        evidence_links=cd["evidence_links"],
        evidence_files=files,
        reporter_name=cd["reporter_name"],
        reporter_phone=cd["reporter_phone"],
        reporter_email=cd["reporter_email"],
        channel=channel,
        idempotency_key=idempotency_key[:64],
    )
