"""Public pages: what this is, the report form, the done page and the tracking page.

Thin views: parse, call one service or selector, render (see reports.services).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from netralitas.core.ratelimit import hit
from netralitas.reports.forms import ReportForm, report_submission
from netralitas.reports.models import Channel
from netralitas.reports.selectors import report_public_status
from netralitas.reports.services import (
    EvidenceUpload,
    ReportInputError,
    report_submit,
)
from netralitas.reports.tracking import normalize_tracking_code

# Longest tracking-code input worth looking at (normalize rejects longer anyway).
MAX_CODE_INPUT = 40


def _form_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context |= {
        "max_files": settings.EVIDENCE_MAX_FILES,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "public/report_form.html", context, status=status)


def _rate_limited_page(request: HttpRequest) -> HttpResponse:
    return render(request, "public/rate_limited.html", status=429)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    return report_form_handle(request, channel=Channel.PUBLIC_FORM)


def report_form_handle(
    request: HttpRequest, *, channel: str, staff_entry: bool = False
) -> HttpResponse:
    """The report form, for the public and for staff recording a forwarded report."""
    context = {"form_action": request.path, "staff_entry": staff_entry}
    if request.method != "POST":
        form = ReportForm(initial={"idempotency_key": uuid.uuid4().hex})
        return _form_page(request, context | {"form": form})

    if hit(
        request,
        scope="report",  # one budget with the API per address
        limit=settings.PUBLIC_REPORT_RATE_LIMIT_PER_HOUR,
        period_seconds=3600,
    ):
        return _rate_limited_page(request)

    form = ReportForm(request.POST)
    uploads = request.FILES.getlist("evidence")
    files = [EvidenceUpload(name=f.name or "file", file=f) for f in uploads]
    evidence_errors: list[str] = []
    if form.is_valid():
        submitted_by = request.user if staff_entry else None
        try:
            report, _created = report_submit(
                submission=report_submission(
                    form,
                    files=files,
                    channel=channel,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                ),
                submitted_by=submitted_by,
            )
        except ReportInputError as exc:
            for field, messages in exc.errors.items():
                if field in form.fields:
                    form.add_error(field, messages)
                elif field == "evidence":
                    evidence_errors.extend(str(m) for m in messages)
                else:
                    form.add_error(None, messages)
        else:
            # Post/Redirect/Get: a reload of the done page cannot file a second report.
            return redirect("public:report_done", code=report.tracking_code)
    context |= {
        "form": form,
        "evidence_errors": evidence_errors,
        # Browsers never re-send a file on a re-rendered form: tell the reporter.
        "files_dropped": len(uploads),
    }
    return _form_page(request, context, status=400)


@require_GET
def report_done(request: HttpRequest, code: str) -> HttpResponse:
    # Only the shape of the code is checked, not whether it exists: this page must
    # not become an oracle for guessing codes without the tracking page's rate limit.
    canonical = normalize_tracking_code(code)
    if canonical is None:
        raise Http404
    return render(request, "public/report_done.html", {"code": canonical})


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("kode", "").strip()[:MAX_CODE_INPUT]
    if not code:
        return render(request, "public/track.html", {"code": ""})
    if hit(request, scope="public", limit=settings.PUBLIC_RATE_LIMIT_PER_MINUTE, period_seconds=60):
        return _rate_limited_page(request)
    status = report_public_status(tracking_code=code)
    if status is None:
        return render(request, "public/track.html", {"code": code, "not_found": True}, status=404)
    return render(request, "public/track.html", {"code": status.tracking_code, "status": status})
