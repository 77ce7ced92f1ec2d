"""Forms of the integrity-pact and socialisation pages (registry.views).

They parse and validate shapes only; what may be recorded (scope, duplicates, file
content, attendees belonging to the agency) is decided by registry.pacts.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from netralitas.elections.models import Election
from netralitas.registry.models import Agency, AgencyQuerySet, Employee

# "Standing" pacts are not tied to an election (IntegrityPact.election is empty).
STANDING = "tetap"
# Above this many employees a checkbox per person is unusable; the NIP list remains.
ATTENDEE_CHECKBOX_LIMIT = 300


def election_choices() -> list[tuple[str, str]]:
    elections = [(e.code, e.name) for e in Election.objects.order_by("-voting_date")]
    return elections + [(STANDING, str(_("Not tied to an election")))]


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        depth = obj.path.count("/") - 1
        return "\u2003" * depth + obj.name


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        return f"{obj.name} — {obj.position}" if obj.position else obj.name


class EmployeeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        return f"{obj.name} — {obj.position}" if obj.position else obj.name


class ProgressFilterForm(forms.Form):
    """The progress page's filters, kept in the query string."""

    pemilu = forms.ChoiceField(label=_("Election"), required=False)
    wilayah = AgencyChoiceField(
        label=_("Region"),
        required=False,
        to_field_name="code",
        queryset=Agency.objects.none(),
        empty_label=_("All"),
    )
    belum = forms.BooleanField(label=_("Only agencies whose head has not signed"), required=False)
    urut = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("", _("By agency")), ("progress", _("Lowest progress first"))],
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pemilu"].choices = election_choices()
        self.fields["wilayah"].queryset = regions


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (name or NIP)"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Pact"),
        required=False,
        choices=[("", _("All")), ("signed", _("Signed")), ("unsigned", _("Not signed yet"))],
    )


class PactUploadForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Date on the signed sheet"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    file = forms.FileField(
        label=_("Signed sheet (PDF or photo)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )


class AgencyHeadForm(forms.Form):
    head = EmployeeChoiceField(
        label=_("Agency head"),
        required=False,
        queryset=Employee.objects.none(),
        empty_label=_("— not recorded —"),
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        # Leaders of the subtree, and whoever is recorded now even if not flagged.
        candidates = Employee.objects.filter(
            is_active=True, agency__path__startswith=agency.path, holds_leadership_post=True
        )
        if agency.head_id:
            candidates = candidates | Employee.objects.filter(pk=agency.head_id)
        self.fields["head"].queryset = candidates.order_by("name")


class EventAgencyForm(forms.Form):
    """Step one of recording an event: which agency it was held for."""

    instansi = AgencyChoiceField(
        label=_("Agency"),
        to_field_name="code",
        queryset=Agency.objects.none(),
        empty_label=_("— choose —"),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = agencies


class SocialisationEventForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    organiser = forms.CharField(label=_("Organiser"), max_length=200, required=False)
    pemilu = forms.ChoiceField(label=_("Election"), required=False)
    attendees = EmployeeMultipleChoiceField(
        label=_("Attendees from the agency"),
        required=False,
        queryset=Employee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    attendee_nips = forms.CharField(
        label=_("NIPs of attendees (one per line)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    unlisted_attendee_count = forms.IntegerField(
        label=_("Other attendees not on the registry"), min_value=0, initial=0, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", str(_("By the date")))] + [
            c for c in election_choices() if c[0] != STANDING
        ]
        self.fields["pemilu"].choices = choices
        employees = Employee.objects.filter(is_active=True, agency__path__startswith=agency.path)
        if employees.count() <= ATTENDEE_CHECKBOX_LIMIT:
            self.fields["attendees"].queryset = employees.order_by("name")
        else:
            del self.fields["attendees"]

    def clean_attendee_nips(self) -> list[str]:
        raw = self.cleaned_data.get("attendee_nips") or ""
        return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]

    def clean_unlisted_attendee_count(self) -> int:
        return self.cleaned_data.get("unlisted_attendee_count") or 0


def event_agencies(agencies: AgencyQuerySet) -> AgencyQuerySet:
    """Agencies an event can be held for: any active node, a province-wide one included."""
    return agencies.filter(is_active=True).order_by("path")
