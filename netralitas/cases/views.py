"""Staff pages: the verifier's inbox and report page, the case list and case page,
and the agency head's summary.

Thin views: each parses the request, checks the role, calls one service or selector
and renders. Who may do what to a case lives in cases.transitions/services; who may
read which case lives in cases.selectors. The view only adds the coarse role gate
(least privilege: a role with no business on a page gets 403, an object outside the
user's scope gets 404 so its existence is not confirmed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netralitas.accounts.models import Role, User
from netralitas.cases.export import case_file_export, case_file_json
from netralitas.cases.forms import ActionForm, action_form
from netralitas.cases.models import Case, CaseStatus
from netralitas.cases.selectors import (
    ALL_CASES_ROLES,
    agency_case_summary,
    agency_overdue_count,
    case_access,
    case_actions_for,
    cases_filtered,
    cases_visible_to,
)
from netralitas.cases.services import (
    ActionNotAllowed,
    CaseInputError,
    WrongState,
    case_action_check,
    case_attach_report,
    case_export_record,
    case_open_from_report,
    case_transition,
)
from netralitas.cases.transitions import TRANSITIONS
from netralitas.elections.selectors import active_violation_types, sanction_suggestion
from netralitas.registry.models import Agency, Employee
from netralitas.registry.selectors import employee_search
from netralitas.reports.models import Channel, Evidence, EvidenceKind, Report, ReportStatus
from netralitas.reports.selectors import reports_inbox
from netralitas.reports.services import (
    IDENTITY_ROLES,
    ReportInputError,
    report_dismiss,
    reporter_identity_reveal,
)
from netralitas.reports.tracking import normalize_tracking_code
from netralitas.reports.views import report_form_handle

CASE_ROLES = frozenset(ALL_CASES_ROLES | {Role.PPK})
EVIDENCE_ROLES = frozenset({Role.VERIFIER, Role.EXAMINER, Role.BAWASLU, Role.PPK})
PAGE_SIZE = 50

HOME_BY_ROLE = {
    Role.VERIFIER: "staff:inbox",
    Role.EXAMINER: "staff:case_list",
    Role.BAWASLU: "staff:case_list",
    Role.PPK: "staff:case_list",
    Role.AGENCY_HEAD: "staff:agency_summary",
    Role.ADMIN: "admin:index",
}

# Timeline events that are not transitions of the table.
EVENT_LABELS = {
    "open": gettext_lazy("Case opened from a report"),
    "attach_report": gettext_lazy("Report attached"),
    "open_from_finding": gettext_lazy("Case opened from a monitoring finding"),
    "attach_finding": gettext_lazy("Monitoring finding attached"),
    "export": gettext_lazy("Case file exported"),
}


# --- responses shared by every staff page -------------------------------------------


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "staff/forbidden.html", {"message": message}, status=403)


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/not_found.html", status=404)


def role_required(*roles: str) -> Callable:
    """Login first (anonymous → login page), then the role (wrong role → 403).

    Staff pages carry personal data, so no response may be cached anywhere."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.role not in allowed:
                response = forbidden(request)
            else:
                response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        return login_required(checked)

    return decorator


def _report_or_none(code: str) -> Report | None:
    canonical = normalize_tracking_code(code)
    if canonical is None:
        return None
    return (
        Report.objects.select_related("case", "agency", "stage", "reported_employee")
        .prefetch_related("violation_types", "evidence")
        .filter(tracking_code=canonical)
        .first()
    )


# --- home -----------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    target = HOME_BY_ROLE.get(request.user.role)
    if target is None:
        return forbidden(request, _("Your account has no role yet. Ask an administrator."))
    return redirect(target)


# --- verifier: inbox and report page --------------------------------------------------


@role_required(Role.VERIFIER)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(reports_inbox(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/inbox.html", {"page": page})


def _report_page(
    request: HttpRequest,
    report: Report,
    *,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    search = request.GET.get("cari", "")[:100]
    context = {
        "report": report,
        "violation_types": list(report.violation_types.all()),
        "evidence": list(report.evidence.all()),
        "employee_search": search,
        "employees": employee_search(search),
        "is_new": report.status == ReportStatus.NEW,
        "errors": errors or {},
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "staff/report_detail.html", context, status=status)


@role_required(Role.VERIFIER)
@require_GET
def report_detail(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_none(code)
    if report is None:
        return not_found(request)
    return _report_page(request, report)


@role_required(*IDENTITY_ROLES)
@require_POST
def reveal_identity(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_none(code)
    if report is None:
        return not_found(request)
    reason = request.POST.get("reason", "")
    try:
        identity = reporter_identity_reveal(report=report, user=request.user, reason=reason)
    except PermissionError:
        # An examiner asking for a report outside their cases: as if it did not exist.
        if request.user.role in IDENTITY_ROLES:
            return not_found(request)
        return forbidden(request)
    except ReportInputError as exc:
        context = {"report": report, "errors": exc.errors, "reason": reason}
        return render(request, "staff/identity.html", context, status=400)
    # Rendered once in this response only: never put into the session or a message.
    context = {"report": report, "identity": identity, "revealed": True, "reason": reason}
    return render(request, "staff/identity.html", context)


@role_required(Role.VERIFIER)
@require_POST
def open_case(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_none(code)
    if report is None:
        return not_found(request)
    employee = None
    employee_id = request.POST.get("employee", "").strip()
    if employee_id:
        employee = (
            Employee.objects.filter(pk=employee_id).first() if employee_id.isdigit() else None
        )
        if employee is None:
            return _report_page(
                request,
                report,
                status=400,
                errors={"open": [_("Choose an employee from the search results.")]},
            )
    try:
        case = case_open_from_report(report=report, actor=request.user, employee=employee)
    except ActionNotAllowed as exc:
        return forbidden(request, str(exc))
    except WrongState as exc:
        return _report_page(request, report, status=409, errors={"open": [str(exc)]})
    except CaseInputError as exc:
        return _report_page(
            request,
            report,
            status=400,
            errors={"open": [str(m) for ms in exc.errors.values() for m in ms]},
        )
    messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
    return redirect("staff:case_detail", number=case.number)


@role_required(Role.VERIFIER)
@require_POST
def attach(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_none(code)
    if report is None:
        return not_found(request)
    number = request.POST.get("case_number", "").strip()[:30]
    case = case_access(user=request.user, number=number) if number else None
    if case is None:
        return _report_page(
            request,
            report,
            status=400,
            errors={"attach": [_("There is no case with this number.")]},
        )
    try:
        case_attach_report(case=case, report=report, actor=request.user)
    except ActionNotAllowed as exc:
        return forbidden(request, str(exc))
    except WrongState as exc:
        return _report_page(request, report, status=409, errors={"attach": [str(exc)]})
    messages.success(
        request, _("The report was attached to case %(number)s.") % {"number": case.number}
    )
    return redirect("staff:case_detail", number=case.number)


@role_required(Role.VERIFIER)
@require_POST
def dismiss(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_none(code)
    if report is None:
        return not_found(request)
    try:
        report_dismiss(report=report, actor=request.user, reason=request.POST.get("reason", ""))
    except PermissionError:
        return forbidden(request)
    except ReportInputError as exc:
        # "report": already handled by someone else (a state conflict); "reason": input.
        status = 409 if "report" in exc.errors else 400
        return _report_page(
            request,
            report,
            status=status,
            errors={"dismiss": [str(m) for ms in exc.errors.values() for m in ms]},
        )
    messages.success(request, _("Report %(code)s was dismissed.") % {"code": report.tracking_code})
    return redirect("staff:inbox")


# --- evidence -------------------------------------------------------------------------


@role_required(*EVIDENCE_ROLES)
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = (
        Evidence.objects.select_related("report").filter(pk=pk, kind=EvidenceKind.FILE).first()
    )
    if evidence is None or not evidence.file:
        return not_found(request)
    if request.user.role != Role.VERIFIER:
        # Everyone but the verifier reaches evidence only through a case in their scope.
        case_id = evidence.report.case_id
        if case_id is None or not cases_visible_to(user=request.user).filter(pk=case_id).exists():
            return not_found(request)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        return not_found(request)
    # The type found by sniffing at upload, never the uploader's; always a download, so a
    # crafted file is never rendered in the staff member's browser session.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"bukti-{evidence.pk}.{evidence.extension or 'bin'}",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- cases ----------------------------------------------------------------------------


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        depth = obj.path.count("/") - 1
        return "\u2003" * depth + obj.name


class ViolationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} — {obj.name}"


class CaseFilterForm(forms.Form):
    """The case list's filters; all optional, kept in the query string."""

    q = forms.CharField(
        label=gettext_lazy("Search (number or name)"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All"))] + CaseStatus.choices,
    )
    agency = AgencyChoiceField(
        label=gettext_lazy("Agency"),
        required=False,
        to_field_name="code",
        queryset=Agency.objects.none(),
        empty_label=gettext_lazy("All"),
    )
    violation_type = ViolationChoiceField(
        label=gettext_lazy("Violation type"),
        required=False,
        to_field_name="code",
        queryset=active_violation_types(),
        empty_label=gettext_lazy("All"),
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).exclude(kind="unit")
        if user.role == Role.PPK:
            # A PPK filters within their own subtree only.
            agencies = agencies.subtree_of(user.agency) if user.agency else agencies.none()
        self.fields["agency"].queryset = agencies.order_by("path")


@role_required(*CASE_ROLES)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    filters = CaseFilterForm(request.GET, user=request.user)
    filters.is_valid()  # an invalid filter is dropped, the others still apply
    cd = filters.cleaned_data
    agency = cd.get("agency")
    violation_type = cd.get("violation_type")
    cases = cases_filtered(
        user=request.user,
        status=cd.get("status") or "",
        agency_code=agency.code if agency else "",
        violation_code=violation_type.code if violation_type else "",
        overdue=bool(cd.get("overdue")),
        query=cd.get("q") or "",
    ).order_by("-opened_at", "-id")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/case_list.html", {"filters": filters, "page": page})


def _data_text(value: object) -> str:
    """A timeline datum as plain text; nested dicts as "key: value, ..." (no repr quotes)."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_data_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_data_text(v) for v in value)
    return "—" if value in (None, "") else str(value)


def _timeline(case: Case) -> list[dict]:
    status_labels = dict(CaseStatus.choices)
    role_labels = dict(Role.choices)
    rows = []
    for event in case.events.select_related("actor").order_by("at", "id"):
        transition = TRANSITIONS.get(event.action)
        rows.append(
            {
                "event": event,
                "actor": (event.actor.get_full_name() or event.actor.username)
                if event.actor
                else "",
                "role": role_labels.get(event.actor_role, event.actor_role),
                "label": transition.label
                if transition
                else EVENT_LABELS.get(event.action, event.action),
                "from": status_labels.get(event.from_status, event.from_status),
                "to": status_labels.get(event.to_status, event.to_status),
                "changed": event.from_status != event.to_status,
                "data": [(key, _data_text(value)) for key, value in event.data.items()],
            }
        )
    return rows


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    bound: ActionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    action_forms = []
    for transition in case_actions_for(case=case, user=user):
        is_bound = bound is not None and bound.prefix == transition.action
        form = (
            bound
            if is_bound
            else action_form(transition.action, case=case, prefix=transition.action)
        )
        action_forms.append({"transition": transition, "form": form, "open": is_bound})
    suggestion = sanction_suggestion(
        violation_type=case.violation_type,
        employee_kind=case.employee.kind if case.employee else None,
    )
    context = {
        "case": case,
        "overdue": case.is_overdue(),
        "reports": list(case.reports.order_by("submitted_at")),
        "clarifications": list(case.clarifications.select_related("recorded_by")),
        "timeline": _timeline(case),
        "suggestion": suggestion,
        "action_forms": action_forms,
        "error": error,
        "is_verifier": user.role == Role.VERIFIER,
        "can_reveal": user.role in IDENTITY_ROLES,
    }
    return render(request, "staff/case_detail.html", context, status=status)


@role_required(*CASE_ROLES)
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = case_access(user=request.user, number=number)
    if case is None:
        return not_found(request)
    return _case_page(request, case)


@role_required(*CASE_ROLES)
@require_GET
def case_file_download(request: HttpRequest, number: str) -> HttpResponse:
    """The case file as JSON (docs/case-file.md), recorded on the timeline as an export."""
    case = case_access(user=request.user, number=number)
    if case is None:
        return not_found(request)
    body = case_file_json(case_file_export(case=case))
    case_export_record(case=case, actor=request.user, via="staff")
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.number}.json"'
    return response


def _add_errors(form: forms.Form, errors: dict[str, Iterable[str]]) -> None:
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, [str(e) for e in field_errors])


@role_required(*CASE_ROLES)
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    case = case_access(user=request.user, number=number)
    if case is None or action not in TRANSITIONS:
        return not_found(request)
    try:
        # A refused step is answered as refused before its input is checked.
        case_action_check(case=case, action=action, actor=request.user)
    except ActionNotAllowed as exc:
        return forbidden(request, str(exc))
    except WrongState as exc:
        return _case_page(request, case, error=str(exc), status=409)
    form = action_form(action, case=case, data=request.POST, prefix=action)
    if not form.is_valid():
        return _case_page(request, case, bound=form, status=400)
    try:
        case = case_transition(
            case=case,
            action=action,
            actor=request.user,
            note=form.cleaned_data["note"],
            public_message=form.cleaned_data["public_message"],
            fields=form.fields_for_service(),
        )
    except ActionNotAllowed as exc:
        return forbidden(request, str(exc))
    except WrongState as exc:
        return _case_page(request, case, error=str(exc), status=409)
    except CaseInputError as exc:
        _add_errors(form, exc.errors)
        return _case_page(request, case, bound=form, status=400)
    messages.success(request, _("Done: %(action)s.") % {"action": TRANSITIONS[action].label})
    return redirect("staff:case_detail", number=case.number)


@role_required(Role.BAWASLU)
@require_http_methods(["GET", "POST"])
def bawaslu_report_create(request: HttpRequest) -> HttpResponse:
    # UU 7/2017 Pasal 455: Bawaslu forwards ASN-neutrality matters to the competent body.
    return report_form_handle(request, channel=Channel.BAWASLU, staff_entry=True)


# --- agency head ----------------------------------------------------------------------


@role_required(Role.AGENCY_HEAD)
@require_GET
def agency_summary(request: HttpRequest) -> HttpResponse:
    # Counts only: an agency head never sees names, case details or reporters.
    agency = request.user.agency
    if agency is None:
        return forbidden(request, _("Your account is not linked to an agency yet."))
    rows = agency_case_summary(agency=agency)
    context = {
        "agency": agency,
        "rows": rows,
        "total": sum(r["count"] for r in rows),
        "overdue": agency_overdue_count(agency=agency),
    }
    return render(request, "staff/agency_summary.html", context)
