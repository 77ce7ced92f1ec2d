"""One form per case action, shared by the staff pages and the staff API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from netralitas.cases.models import Case, ForwardTarget, PersonCapacity
from netralitas.elections.models import SanctionKind


class ActionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    public_message = forms.CharField(
        label=_("Message to the reporter (shown with the tracking code)"),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def fields_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"note", "public_message"}}


class RequirementsForm(ActionForm):
    formal_complete = forms.BooleanField(label=_("Formal requirements complete"), required=False)
    material_complete = forms.BooleanField(
        label=_("Material requirements complete"), required=False
    )


def _catalogue(case: Case):
    kind = case.employee.kind if case.employee else "PNS"
    return SanctionKind.objects.filter(employee_kind=kind)


class SanctionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SanctionKind) -> str:
        return f"[{obj.get_category_display()}] {obj.name}"


class RecommendForm(ActionForm):
    sanction_kind = SanctionChoiceField(
        label=_("Sanction"), queryset=SanctionKind.objects.none(), to_field_name="code"
    )
    override_reason = forms.CharField(
        label=_("Reason if it differs from the rule table"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["sanction_kind"].queryset = _catalogue(case)


class ForwardForm(ActionForm):
    target = forms.ChoiceField(label=_("Forward to"), choices=ForwardTarget.choices)
    target_name = forms.CharField(
        label=_("Name of the official or agency"), required=False, max_length=200
    )


class DecideForm(ActionForm):
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    decision_date = forms.DateField(
        label=_("Decision date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sanction_kind = SanctionChoiceField(
        label=_("Sanction decided"), queryset=SanctionKind.objects.none(), to_field_name="code"
    )
    override_reason = forms.CharField(
        label=_("Reason if it differs from the recommendation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["sanction_kind"].queryset = _catalogue(case)


class ClarificationForm(ActionForm):
    held_on = forms.DateField(
        label=_("Date"), input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"})
    )
    person_heard = forms.CharField(label=_("Person heard"), max_length=200)
    capacity = forms.ChoiceField(label=_("Capacity"), choices=PersonCapacity.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "set_requirements": RequirementsForm,
    "recommend": RecommendForm,
    "forward": ForwardForm,
    "decide": DecideForm,
    "add_clarification": ClarificationForm,
}


def action_form(action: str, *, case: Case, data=None, prefix: str | None = None) -> ActionForm:
    return ACTION_FORMS.get(action, ActionForm)(data, case=case, prefix=prefix)
