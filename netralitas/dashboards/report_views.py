"""The period report on the web: a small GET form, and the file itself.

``GET /staf/laporan-periode/?from=…&to=…&agency=…`` shows the form filled from the query
string (the dashboard links here with its own filters). Submitting adds ``download=1``:
a valid request answers the PDF or XLSX as an attachment, an invalid one the form again
with its errors and status 400. The reader's scope applies as on the dashboard: a PPK or
agency head gets numbers for their own subtree only, and choosing an agency outside it is
an error (400), not a report that silently says "nothing happened".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from netralitas.accounts.models import User
from netralitas.cases.views import role_required
from netralitas.core.timeutil import local_today
from netralitas.dashboards.forms import agency_choices, iso_date_field
from netralitas.dashboards.pdf import period_report_pdf
from netralitas.dashboards.period import PeriodReportError, period_report_build
from netralitas.dashboards.selectors import DASHBOARD_ROLES
from netralitas.dashboards.xlsx import period_report_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# period_report_build's argument → the form field (and query-string key) it comes from.
FIELDS = {"date_from": "from", "date_to": "to", "agency_code": "agency"}


class PeriodReportForm(forms.Form):
    """``from`` and ``to`` are Python keywords, so they are added below the class under
    the names the query string uses."""

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF (to print or send)")), ("xlsx", _("XLSX (spreadsheet)"))],
        initial="pdf",
        widget=forms.RadioSelect,
    )
    agency = forms.ChoiceField(
        label=_("Agency or region"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Choose an agency from the list: this one does not exist or is outside the "
                "agencies you supervise."
            )
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The same choices as the dashboard's filter: a PPK sees their subtree only.
        self.fields["agency"].choices = agency_choices(user)


PeriodReportForm.base_fields = {
    "from": iso_date_field(_("From"), required=True),
    "to": iso_date_field(_("To"), required=True),
    **PeriodReportForm.base_fields,
}


def _page(request: HttpRequest, form: PeriodReportForm, *, status: int = 200) -> HttpResponse:
    return render(request, "staff/dashboards/period_report.html", {"form": form}, status=status)


@role_required(*DASHBOARD_ROLES)
@require_GET
def period_report(request: HttpRequest) -> HttpResponse:
    if request.GET.get("download") != "1":
        today = local_today()
        initial = {"from": today.replace(month=1, day=1), "to": today, "format": "pdf"}
        for key in ("from", "to", "agency", "format"):
            if request.GET.get(key):
                initial[key] = request.GET[key]
        return _page(request, PeriodReportForm(initial=initial, user=request.user))

    form = PeriodReportForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        report = period_report_build(
            date_from=data["from"],
            date_to=data["to"],
            agency_code=data["agency"],
            user=request.user,
        )
    except PeriodReportError as exc:
        form.add_error(FIELDS[exc.field], exc.message)
        return _page(request, form, status=400)
    fmt = data["format"]
    content = period_report_pdf(report) if fmt == "pdf" else period_report_xlsx(report)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report.filename(fmt)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # role_required marks every staff response never-cache
