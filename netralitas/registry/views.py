"""Integrity pacts and socialisation events: the staff pages and the employee's public
acknowledgement page.

Thin views, as in cases.views: parse, call one service or selector, render. Who reads
which agency is registry.selectors (PACT_READ_ROLES, agencies_visible_to); who may record
is checked again inside every service of registry.pacts. A role with no business on a
page gets 403; an agency, employee or event outside the user's scope gets 404 so that its
existence is not confirmed.
"""

from __future__ import annotations

import csv
import logging

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netralitas.cases.views import forbidden, not_found, role_required
from netralitas.core.ratelimit import client_address, hit
from netralitas.elections.models import Election
from netralitas.registry.forms import (
    STANDING,
    AgencyHeadForm,
    EmployeeFilterForm,
    EventAgencyForm,
    PactUploadForm,
    ProgressFilterForm,
    SocialisationEventForm,
    election_choices,
    event_agencies,
)
from netralitas.registry.models import Agency, AgencyKind, Employee, PactMethod
from netralitas.registry.pacts import (
    LINK_MAX_AGE,
    PACT_MAX_BYTES,
    PactInputError,
    PactLinkInvalid,
    PactNotAllowed,
    PactUpload,
    agency_head_set,
    pact_acknowledge_link,
    pact_for_link,
    pact_link_expires_on,
    pact_link_make,
    pact_link_read,
    pact_record_upload,
    pact_text,
    socialisation_record,
)
from netralitas.registry.selectors import (
    PACT_READ_ROLES,
    PACT_RECORD_ROLES,
    agencies_head_not_signed,
    agencies_head_unknown,
    agencies_visible_to,
    agency_access,
    election_default,
    employee_access,
    employee_pacts,
    employees_with_pact_status,
    integrity_may_record,
    integrity_root_for,
    pact_progress_by_agency,
    pact_progress_for_agency,
    pact_progress_summary,
    pact_visible,
    socialisation_events_visible_to,
    socialisation_totals_by_agency,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
REGION_KINDS = (AgencyKind.PROVINCE, AgencyKind.REGENCY, AgencyKind.CITY)


# --- shared helpers --------------------------------------------------------------------


def _no_scope(request: HttpRequest) -> HttpResponse:
    return forbidden(request, _("Your account is not linked to an agency yet."))


def _election_from(value: str) -> tuple[Election | None, str]:
    """The election of a ``pemilu`` parameter and its code for links; empty or unknown
    gives the default election, "tetap" the standing pacts (no election)."""
    if value == STANDING:
        return None, STANDING
    if value:
        election = Election.objects.filter(code=value).first()
        if election is not None:
            return election, election.code
    election = election_default()
    return election, election.code if election else STANDING


def _election_context(election: Election | None, code: str) -> dict:
    return {
        "election": election,
        "election_code": code,
        "election_label": election.name if election else _("Not tied to an election"),
    }


# --- progress per agency ---------------------------------------------------------------


@role_required(*PACT_READ_ROLES)
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    try:
        root = integrity_root_for(user=request.user)
    except PermissionError:
        return _no_scope(request)
    regions = agencies_visible_to(user=request.user).filter(kind__in=REGION_KINDS)
    filters = ProgressFilterForm(request.GET, regions=regions)
    filters.is_valid()  # an invalid filter is dropped, the others still apply
    cd = filters.cleaned_data
    election, code = _election_from(cd.get("pemilu") or "")
    rows = pact_progress_by_agency(root=root, election=election)
    not_signed = agencies_head_not_signed(root=root, election=election)
    unknown = agencies_head_unknown(root=root)
    region = cd.get("wilayah")
    if region is not None:
        # Agencies (OPD) hang directly under their province, regency or city.
        rows, not_signed, unknown = (qs.filter(parent=region) for qs in (rows, not_signed, unknown))
    if cd.get("belum"):
        rows = rows.filter(head__isnull=False, head_signed=False)
    if cd.get("urut") == "progress":
        rows = rows.order_by(F("percent").asc(nulls_last=True), "path")
    context = {
        "filters": filters,
        "show_regions": regions.count() > 1,
        "rows": list(rows),
        "summary": pact_progress_summary(rows=rows),
        "not_signed": list(not_signed),
        "unknown": list(unknown.order_by("path")),
        "root": root,
    } | _election_context(election, code)
    return render(request, "staff/integrity/progress.html", context)


# --- one agency ------------------------------------------------------------------------


def _agency_page(
    request: HttpRequest,
    agency: Agency,
    *,
    head_form: AgencyHeadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    election, code = _election_from(source.get("pemilu", ""))
    filters = EmployeeFilterForm(request.GET)
    filters.is_valid()
    cd = filters.cleaned_data
    totals = pact_progress_for_agency(agency=agency, election=election)
    # The nodes directly below: units of an agency, agencies and regencies of a region.
    parts = pact_progress_by_agency(
        root=agency, election=election, kinds=tuple(AgencyKind.values)
    ).filter(parent=agency)
    employees = employees_with_pact_status(
        agency=agency, election=election, status=cd.get("status") or "", query=cd.get("q") or ""
    )
    can_record = integrity_may_record(user=request.user, agency=agency)
    context = {
        "agency": agency,
        "totals": totals,
        "parts": list(parts),
        "filters": filters,
        "page": Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_record": can_record,
        "head_form": head_form
        or (
            AgencyHeadForm(initial={"head": agency.head_id}, agency=agency) if can_record else None
        ),
        "election_choices": election_choices(),
        "link_days": LINK_MAX_AGE.days,
    } | _election_context(election, code)
    return render(request, "staff/integrity/agency.html", context, status=status)


@role_required(*PACT_READ_ROLES)
@require_GET
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = agency_access(user=request.user, code=code)
    if agency is None:
        return not_found(request)
    return _agency_page(request, agency)


@role_required(*PACT_RECORD_ROLES)
@require_POST
def agency_head(request: HttpRequest, code: str) -> HttpResponse:
    agency = agency_access(user=request.user, code=code)
    if agency is None:
        return not_found(request)
    form = AgencyHeadForm(request.POST, agency=agency)
    if not form.is_valid():
        return _agency_page(request, agency, head_form=form, status=400)
    try:
        agency_head_set(agency=agency, employee=form.cleaned_data["head"], actor=request.user)
    except PactNotAllowed:
        return forbidden(request)
    except PactInputError as exc:
        for messages_ in exc.errors.values():
            form.add_error("head", messages_)
        return _agency_page(request, agency, head_form=form, status=400)
    messages.success(request, _("The agency head was saved."))
    return redirect(_agency_url(agency, request.POST.get("pemilu", "")))


def _agency_url(agency: Agency, election_code: str) -> str:
    url = reverse("integrity:agency", args=[agency.code])
    return f"{url}?pemilu={election_code}" if election_code else url


def _csv_cell(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@role_required(*PACT_RECORD_ROLES)
@require_POST
def agency_links(request: HttpRequest, code: str) -> HttpResponse:
    """Personal links for every active employee of the agency who has not signed yet,
    as a spreadsheet the agency passes on (one link per person, never a shared one)."""
    agency = agency_access(user=request.user, code=code)
    if agency is None:
        return not_found(request)
    if not integrity_may_record(user=request.user, agency=agency):
        return forbidden(request)
    election, election_code = _election_from(request.POST.get("pemilu", ""))
    unsigned = employees_with_pact_status(agency=agency, election=election, status="unsigned")
    expires = pact_link_expires_on()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="tautan-pakta-{agency.code}-{election_code}.csv"'
    )
    response.write("\ufeff")  # so that Excel reads UTF-8 names correctly
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("NIP"), _("Position"), _("Unit"), _("Link"), _("Valid until")])
    for employee in unsigned.iterator():
        token = pact_link_make(employee=employee, election=election, actor=request.user)
        link = request.build_absolute_uri(reverse("pact:acknowledge", args=[token]))
        writer.writerow(
            [
                _csv_cell(employee.name),
                employee.nip or "",
                _csv_cell(employee.position),
                _csv_cell(employee.agency.name),
                link,
                expires.isoformat(),
            ]
        )
    logger.info("pact links exported agency=%s user=%s", agency.pk, request.user.pk)
    add_never_cache_headers(response)
    return response


# --- one employee ----------------------------------------------------------------------


def _employee_page(
    request: HttpRequest,
    employee: Employee,
    *,
    upload_form: PactUploadForm | None = None,
    file_errors: list[str] | None = None,
    link: str = "",
    files_dropped: bool = False,
    status: int = 200,
) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    election, code = _election_from(source.get("pemilu", ""))
    pacts = list(employee_pacts(employee=employee))
    current = next(
        (p for p in pacts if (p.election_id == (election.pk if election else None))), None
    )
    can_record = integrity_may_record(user=request.user, agency=employee.agency)
    context = {
        "employee": employee,
        "pacts": pacts,
        "current": current,
        "can_record": can_record and employee.is_active,
        "upload_form": upload_form or PactUploadForm(),
        "file_errors": file_errors or [],
        "files_dropped": files_dropped,
        "link": link,
        "link_expires": pact_link_expires_on() if link else None,
        "election_choices": election_choices(),
        "max_mb": PACT_MAX_BYTES // (1024 * 1024),
    } | _election_context(election, code)
    return render(request, "staff/integrity/employee.html", context, status=status)


@role_required(*PACT_READ_ROLES)
@require_GET
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_access(user=request.user, pk=pk)
    if employee is None:
        return not_found(request)
    return _employee_page(request, employee)


@role_required(*PACT_RECORD_ROLES)
@require_POST
def pact_upload(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_access(user=request.user, pk=pk)
    if employee is None:
        return not_found(request)
    if not integrity_may_record(user=request.user, agency=employee.agency):
        return forbidden(request)
    election, code = _election_from(request.POST.get("pemilu", ""))
    form = PactUploadForm(request.POST, request.FILES)
    sent = request.FILES.get("file")
    # Browsers never re-send a file on a re-rendered form: say so whenever one was sent.
    dropped = sent is not None
    if not form.is_valid():
        return _employee_page(
            request, employee, upload_form=form, files_dropped=dropped, status=400
        )
    try:
        pact_record_upload(
            employee=employee,
            election=election,
            signed_on=form.cleaned_data["signed_on"],
            upload=PactUpload(name=sent.name or "file", file=sent),
            actor=request.user,
        )
    except PactNotAllowed:
        return forbidden(request)
    except PactInputError as exc:
        file_errors: list[str] = []
        for field, field_errors in exc.errors.items():
            if field == "file":
                file_errors.extend(str(e) for e in field_errors)
            else:
                form.add_error(field if field in form.fields else None, field_errors)
        return _employee_page(
            request,
            employee,
            upload_form=form,
            file_errors=file_errors,
            files_dropped=dropped,
            status=400,
        )
    messages.success(
        request, _("The signed pact of %(name)s was recorded.") % {"name": employee.name}
    )
    url = reverse("integrity:employee", args=[employee.pk])
    return redirect(f"{url}?pemilu={code}")


@role_required(*PACT_RECORD_ROLES)
@require_POST
def pact_link(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_access(user=request.user, pk=pk)
    if employee is None:
        return not_found(request)
    election, _code = _election_from(request.POST.get("pemilu", ""))
    try:
        token = pact_link_make(employee=employee, election=election, actor=request.user)
    except PactNotAllowed:
        return forbidden(request)
    except PactInputError as exc:
        messages.error(request, " ".join(str(m) for ms in exc.errors.values() for m in ms))
        return _employee_page(request, employee, status=400)
    link = request.build_absolute_uri(reverse("pact:acknowledge", args=[token]))
    # Shown in this response only (no redirect): the link is a credential, so it is
    # kept out of the session, the message store and the logs.
    return _employee_page(request, employee, link=link)


@role_required(*PACT_READ_ROLES)
@require_GET
def pact_file(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_visible(user=request.user, pk=pk)
    if pact is None or not pact.file:
        return not_found(request)
    try:
        handle = pact.file.open("rb")
    except FileNotFoundError:
        return not_found(request)
    # The type found by sniffing at upload; always a download, never rendered in the
    # staff member's session (as evidence downloads in cases.views).
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"pakta-{pact.employee.nip or pact.employee_id}.{pact.file_extension or 'bin'}",
        content_type=pact.file_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- socialisation events --------------------------------------------------------------


@role_required(*PACT_READ_ROLES)
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    try:
        integrity_root_for(user=request.user)
    except PermissionError:
        return _no_scope(request)
    visible = agencies_visible_to(user=request.user)
    agency_filter = EventAgencyForm(
        request.GET if request.GET.get("instansi") else None,
        agencies=event_agencies(visible),
    )
    agency = agency_filter.cleaned_data["instansi"] if agency_filter.is_valid() else None
    election = None
    code = request.GET.get("pemilu", "")
    if code:
        election = Election.objects.filter(code=code).first()
    rows = socialisation_events_visible_to(user=request.user, agency=agency, election=election)
    context = {
        "agency_filter": agency_filter,
        "agency": agency,
        "election": election,
        "election_code": election.code if election else "",
        "elections": Election.objects.order_by("-voting_date"),
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": socialisation_totals_by_agency(events=rows),
        "can_record": request.user.role in PACT_RECORD_ROLES,
    }
    return render(request, "staff/integrity/events.html", context)


@role_required(*PACT_RECORD_ROLES)
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    try:
        integrity_root_for(user=request.user)
    except PermissionError:
        return _no_scope(request)
    source = request.POST if request.method == "POST" else request.GET
    choices = event_agencies(agencies_visible_to(user=request.user))
    picker = EventAgencyForm(source if source.get("instansi") else None, agencies=choices)
    if not picker.is_valid():
        status = 400 if source.get("instansi") else 200
        context = {"picker": picker, "form": None}
        return render(request, "staff/integrity/event_form.html", context, status=status)
    agency = picker.cleaned_data["instansi"]
    if not integrity_may_record(user=request.user, agency=agency):
        return forbidden(request)
    if request.method == "GET":
        form = SocialisationEventForm(agency=agency)
        context = {"picker": picker, "agency": agency, "form": form}
        return render(request, "staff/integrity/event_form.html", context)
    form = SocialisationEventForm(request.POST, agency=agency)
    if form.is_valid():
        cd = form.cleaned_data
        election = Election.objects.filter(code=cd["pemilu"]).first() if cd["pemilu"] else None
        try:
            event = socialisation_record(
                agency=agency,
                held_on=cd["held_on"],
                title=cd["title"],
                place=cd["place"],
                organiser=cd["organiser"],
                attendees=cd.get("attendees") or [],
                attendee_nips=cd["attendee_nips"],
                unlisted_attendee_count=cd["unlisted_attendee_count"],
                notes=cd["notes"],
                election=election,
                actor=request.user,
            )
        except PactNotAllowed:
            return forbidden(request)
        except PactInputError as exc:
            for field, field_errors in exc.errors.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("The socialisation event was recorded."))
            return redirect("integrity:event", pk=event.pk)
    context = {"picker": picker, "agency": agency, "form": form}
    return render(request, "staff/integrity/event_form.html", context, status=400)


@role_required(*PACT_READ_ROLES)
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = socialisation_events_visible_to(user=request.user).filter(pk=pk).first()
    if event is None:
        return not_found(request)
    attendees = event.attendees.select_related("agency").order_by("name")
    context = {"event": event, "attendees": list(attendees)}
    return render(request, "staff/integrity/event_detail.html", context)


# --- the employee's acknowledgement (public, no login) ---------------------------------

LINK_STATUS = {"tampered": 400, "expired": 410, "gone": 410, "used": 410}


def _public(response: HttpResponse) -> HttpResponse:
    # A personal page behind a credential in the URL: never cached, never indexed.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _link_problem(request: HttpRequest, reason: str, pact=None) -> HttpResponse:
    context = {"reason": reason, "pact": pact}
    return _public(
        render(request, "public/pact_link_invalid.html", context, status=LINK_STATUS[reason])
    )


def _acknowledge_form(request: HttpRequest, link, *, error: str = "", status: int = 200):
    context = {
        "employee": link.employee,
        "election": link.election,
        "text": pact_text(),
        "error": error,
        "today": timezone.localdate(),
    }
    return _public(render(request, "public/pact_acknowledge.html", context, status=status))


def _rate_limited(request: HttpRequest) -> bool:
    return hit(
        request,
        scope="pact",
        limit=settings.PUBLIC_RATE_LIMIT_PER_MINUTE,
        period_seconds=60,
    )


@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    if _rate_limited(request):
        return _public(render(request, "public/rate_limited.html", status=429))
    if request.method == "POST" and request.POST.get("agree") == "1":
        try:
            pact_acknowledge_link(token=token, client_address=client_address(request))
        except PactLinkInvalid as exc:
            return _link_problem(request, exc.reason)
        except PactInputError:
            return _link_problem(request, "gone")
        # Post/Redirect/Get: reloading the confirmation cannot post again.
        return redirect("pact:done", token=token)
    try:
        link = pact_link_read(token)
    except PactLinkInvalid as exc:
        return _link_problem(request, exc.reason)
    existing = pact_for_link(link)
    if request.method == "POST":
        if existing is not None:
            return redirect("pact:done", token=token)
        error = _("Tick the box to confirm that you have read and agree to the pact.")
        return _acknowledge_form(request, link, error=error, status=400)
    if existing is not None:
        return _link_problem(request, "used", pact=existing)
    return _acknowledge_form(request, link)


@require_GET
def acknowledge_done(request: HttpRequest, token: str) -> HttpResponse:
    if _rate_limited(request):
        return _public(render(request, "public/rate_limited.html", status=429))
    try:
        # The confirmation stays readable after the link's expiry.
        link = pact_link_read(token, check_age=False)
    except PactLinkInvalid as exc:
        return _link_problem(request, exc.reason)
    pact = pact_for_link(link)
    if pact is None:
        return redirect("pact:acknowledge", token=token)
    context = {
        "employee": link.employee,
        "election": link.election,
        "pact": pact,
        "acknowledged": pact.method == PactMethod.ACKNOWLEDGEMENT,
    }
    return _public(render(request, "public/pact_done.html", context))
