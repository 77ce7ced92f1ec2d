"""/api/v1: thin endpoints that parse, call one service or selector, and render."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from netralitas.accounts.models import Role
from netralitas.api.auth import StaffToken
from netralitas.api.schemas import (
    CaseDetailOut,
    CaseOut,
    DetailOut,
    ErrorOut,
    GuidanceOut,
    ReportCreatedOut,
    ReportIn,
    ReportStatusOut,
    SelfCheckIn,
    SelfCheckOut,
    TransitionIn,
    ViolationTypeOut,
)
from netralitas.cases import selectors as case_selectors
from netralitas.cases.forms import action_form
from netralitas.cases.models import Case
from netralitas.cases.services import (
    ActionNotAllowed,
    CaseInputError,
    WrongState,
    case_action_check,
    case_transition,
)
from netralitas.core.ratelimit import hit
from netralitas.elections import guidance as guide
from netralitas.elections.selectors import active_violation_types
from netralitas.reports.forms import ReportForm, report_submission
from netralitas.reports.models import Channel
from netralitas.reports.selectors import report_public_status
from netralitas.reports.services import (
    EvidenceUpload,
    ReportInputError,
    report_submit,
)
from netralitas.selfcheck.services import SelfCheckError, self_check

api = NinjaAPI(
    title="Netralitas API",
    version="1",
    description="Public reports of civil servants' political partisanship, and staff case handling.",
    urls_namespace="api",
    docs_url=None,  # the bundled docs page loads assets from a CDN; intranets have none
    openapi_url="/openapi.json",
)

public = Router(tags=["public"])
staff = Router(tags=["staff"], auth=StaffToken())


def _errors(errors: dict[str, list[str]]):
    return Status(400, {"errors": errors})


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(loc) or "body", []).append(err.get("msg", "invalid"))
    return api.create_response(request, {"errors": errors}, status=400)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


def _rate_limited(request: HttpRequest, scope: str = "public") -> bool:
    return hit(request, scope=scope, limit=settings.PUBLIC_RATE_LIMIT_PER_MINUTE, period_seconds=60)


@public.get("/violation-types", response={200: list[ViolationTypeOut], 429: DetailOut})
def violation_types(request):
    if _rate_limited(request):
        return Status(429, {"detail": _("Too many requests; try again in a minute.")})
    return Status(200, list(active_violation_types()))


@public.post(
    "/self-check",
    response={200: SelfCheckOut, 400: ErrorOut, 429: DetailOut},
    summary="Check a draft post before publishing it",
)
def self_check_create(request, payload: SelfCheckIn):
    """Whether the draft may breach neutrality, the words that triggered it, the rules it
    would break and what to do. The text is not stored unless ``share`` is true."""
    limit = settings.SELF_CHECK_RATE_LIMIT_PER_MINUTE
    if hit(request, scope="self-check", limit=limit, period_seconds=60):
        return Status(429, {"detail": _("Too many requests; try again in a minute.")})
    try:
        result = self_check(text=payload.text, share=payload.share)
    except SelfCheckError as exc:
        return _errors({exc.field: [exc.message]})
    return Status(200, result.as_dict())


@public.get(
    "/guidance",
    response={200: GuidanceOut, 400: ErrorOut, 429: DetailOut},
    summary="Search what civil servants may and may not do in each election stage",
)
def guidance(request, q: str = "", stage: str = "", kind: str = ""):
    """The neutrality guide of the page /panduan-netralitas/, in the language asked for with
    Accept-Language (Bahasa Indonesia by default). ``stage`` is a stage kind
    (pre_nomination, nomination, campaign, quiet, voting, recap, post) and ``kind`` is
    ``allowed`` or ``not_allowed``; best matches first when ``q`` is given."""
    if _rate_limited(request):
        return Status(429, {"detail": _("Too many requests; try again in a minute.")})
    errors: dict[str, list[str]] = {}
    if stage and stage not in guide.STAGE_KINDS:
        errors["stage"] = [
            _("Unknown stage; expected one of: %(choices)s.")
            % {"choices": ", ".join(guide.STAGE_KINDS)}
        ]
    if kind and kind not in guide.VERDICTS:
        errors["kind"] = [
            _("Unknown kind; expected one of: %(choices)s.")
            % {"choices": ", ".join(guide.VERDICTS)}
        ]
    if errors:
        return _errors(errors)
    data = guide.default_guidance()
    language = "en" if (get_language() or "").startswith("en") else "id"
    items = guide.search(data, query=q, stage=stage or None, verdict=kind or None)
    out = [
        {
            "code": item.code,
            "verdict": item.verdict,
            "title": item.title.in_language(language),
            "explanation": item.explanation.in_language(language),
            "examples": [example.in_language(language) for example in item.examples],
            "stages": list(item.stages),
            "all_stages": item.all_stages,
            "violation_types": list(data.violation_types_for(item, stage or None)),
            "legal_basis": item.legal_basis.in_language(language),
            "confidence": item.confidence,
        }
        for item in items
    ]
    return Status(200, {"language": language, "count": len(out), "items": out})


# JSON fields the form reads as text. The form would turn 123 or {"a": 1} into the
# string "123" or "{'a': 1}", so a wrong JSON type is refused here, by name.
_TEXT_FIELDS = (
    "reported_name",
    "reported_agency",
    "incident_date",
    "incident_place",
    "violation_type",
    "description",
)
_REPORTER_FIELDS = ("name", "phone", "email")


def _parse_report_body(request: HttpRequest) -> tuple[dict, list[EvidenceUpload]]:
    """JSON or multipart into the form's flat fields; nested reporter becomes reporter_*."""
    content_type = request.content_type or ""
    try:
        if (
            content_type.startswith("multipart/")
            or content_type == "application/x-www-form-urlencoded"
        ):
            return _parse_form_body(request)
        raw = request.body
    except MultiPartParserError:
        # Django lets a malformed multipart body (no boundary, cut short) escape as a 500.
        raise ReportInputError({"body": [_("The multipart body cannot be read.")]}) from None
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        raise ReportInputError({"body": [_("The request is too large.")]}) from None
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ReportInputError({"body": [_("The body is not valid JSON.")]}) from None
    if not isinstance(body, dict):
        raise ReportInputError({"body": [_("The body must be a JSON object.")]})
    return _flatten_json(body), []


def _parse_form_body(request: HttpRequest) -> tuple[dict, list[EvidenceUpload]]:
    data = {k: request.POST.get(k) for k in request.POST}
    if "evidence_links" in request.POST:
        data["evidence_links"] = [v for v in request.POST.getlist("evidence_links") if v.strip()]
    files = [
        EvidenceUpload(name=f.name or "file", file=f) for f in request.FILES.getlist("evidence")
    ]
    return data, files


def _flatten_json(body: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    # The reporter comes nested only; flat reporter_* keys would skip the checks below.
    body = {k: v for k, v in body.items() if not k.startswith("reporter_")}
    not_text = [_("Must be a string.")]
    reporter = body.pop("reporter", None)
    if reporter is None:
        reporter = {}
    elif not isinstance(reporter, dict):
        errors["reporter"] = [_("Must be an object with name, phone and email.")]
        reporter = {}
    data = {k: v for k, v in body.items() if v is not None}
    for key in _TEXT_FIELDS:
        if key in data and not isinstance(data[key], str):
            errors[key] = not_text
    links = data.get("evidence_links")
    if links is not None and not (
        isinstance(links, list) and all(isinstance(x, str) for x in links)
    ):
        errors["evidence_links"] = [_("Give a list of links.")]
    for key in _REPORTER_FIELDS:
        value = reporter.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            data[f"reporter_{key}"] = value
        else:
            errors[f"reporter.{key}"] = not_text
    if errors:
        raise ReportInputError(errors)
    return data


def _inline_json_schema(model: type[Schema]) -> dict[str, Any]:
    """A model's JSON schema with nested models written in place.

    Ninja adds to ``components`` only the schemas of declared parameters and responses,
    so a ``$ref`` to a nested model inside ``openapi_extra`` would point at nothing.
    """
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


_NESTED = {
    "reporter_name": "reporter.name",
    "reporter_phone": "reporter.phone",
    "reporter_email": "reporter.email",
}


@public.post(
    "/reports",
    response={201: ReportCreatedOut, 400: ErrorOut, 429: DetailOut},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": _inline_json_schema(ReportIn)},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            **{
                                k: {"type": "string"}
                                for k in (
                                    "reported_name",
                                    "reported_agency",
                                    "incident_date",
                                    "incident_place",
                                    "violation_type",
                                    "description",
                                    "reporter_name",
                                    "reporter_phone",
                                    "reporter_email",
                                )
                            },
                            "evidence_links": {"type": "array", "items": {"type": "string"}},
                            "evidence": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            },
                        },
                        "required": [
                            "reported_name",
                            "incident_date",
                            "violation_type",
                            "description",
                        ],
                    }
                },
            },
            "required": True,
        }
    },
)
def report_create(request):
    if hit(
        request,
        scope="report",
        limit=settings.PUBLIC_REPORT_RATE_LIMIT_PER_HOUR,
        period_seconds=3600,
    ):
        return Status(429, {"detail": _("Too many reports from this address; try again later.")})
    try:
        data, files = _parse_report_body(request)
    except ReportInputError as exc:
        return _errors(exc.errors)
    form = ReportForm(data)
    if not form.is_valid():
        return _errors({_NESTED.get(k, k): [str(m) for m in v] for k, v in form.errors.items()})
    submission = report_submission(
        form,
        files=files,
        channel=Channel.API,
        idempotency_key=request.headers.get("Idempotency-Key") or "",
    )
    try:
        report, _created = report_submit(submission=submission)
    except ReportInputError as exc:
        return _errors(exc.errors)
    status = report_public_status(tracking_code=report.tracking_code)
    assert status is not None
    url = request.build_absolute_uri(reverse("api:report_status", args=[report.tracking_code]))
    return Status(
        201, {"tracking_code": report.tracking_code, "status": status.status, "status_url": url}
    )


@public.get(
    "/reports/{tracking_code}",
    response={200: ReportStatusOut, 404: DetailOut, 429: DetailOut},
    url_name="report_status",
)
def report_status(request, tracking_code: str):
    if _rate_limited(request):
        return Status(429, {"detail": _("Too many requests; try again in a minute.")})
    status = report_public_status(tracking_code=tracking_code[:40])
    if status is None:
        return Status(404, {"detail": _("No report with this tracking code.")})
    return Status(200, status)


def _case_out(case: Case) -> dict:
    return {
        "number": case.number,
        "status": case.status,
        "status_label": case.get_status_display(),
        "subject_name": case.subject_name,
        "agency": case.agency.name if case.agency else None,
        "incident_date": case.incident_date,
        "violation_type": case.violation_type.code,
        "reported_violation_type": case.reported_violation_type.code,
        "suggested_sanction_category": case.suggested_sanction_category,
        "recommended_sanction_kind": case.recommended_sanction_kind.code
        if case.recommended_sanction_kind
        else None,
        "forwarded_to": case.forwarded_to,
        "due_on": case.due_on,
        "overdue": case.is_overdue(),
        "opened_at": case.opened_at,
    }


def _case_detail(case: Case, user) -> dict:
    out = _case_out(case)
    out["reports"] = list(case.reports.values_list("tracking_code", flat=True))
    out["timeline"] = [
        {
            "at": e.at,
            "action": e.action,
            "actor": e.actor.get_full_name() or e.actor.username if e.actor else None,
            "actor_role": e.actor_role,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "note": e.note,
            "data": e.data,
        }
        for e in case.events.select_related("actor").order_by("at", "id")
    ]
    out["actions"] = [t.action for t in case_selectors.case_actions_for(case=case, user=user)]
    return out


class CaseFilters(Schema):
    status: str = ""
    agency: str = ""
    violation_type: str = ""
    overdue: bool = False
    q: str = ""


def _require_case_reader(request):
    if request.auth.role not in case_selectors.ALL_CASES_ROLES | {Role.PPK}:
        raise HttpError(403, _("Your role may not read cases."))


def _form_values(fields: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """JSON values as the text a form expects. Django's date fields call ``.strip()``
    on what they get, so a number or an object there would be a 500, not a 400."""
    data: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, bool):
            data[key] = "true" if value else "false"  # what CheckboxInput reads
        elif isinstance(value, str | int | float):
            data[key] = str(value)
        else:
            errors[key] = [_("Must be a string, a number or a boolean.")]
    return data, errors


@staff.get("/cases", response={200: list[CaseOut], 401: DetailOut, 403: DetailOut})
def case_list(request, filters: Query[CaseFilters]):
    _require_case_reader(request)
    qs = case_selectors.cases_filtered(
        user=request.auth,
        status=filters.status,
        agency_code=filters.agency,
        violation_code=filters.violation_type,
        overdue=filters.overdue,
        query=filters.q,
    ).select_related("recommended_sanction_kind", "reported_violation_type")[:500]
    return Status(200, [_case_out(c) for c in qs])


@staff.get(
    "/cases/{number}", response={200: CaseDetailOut, 401: DetailOut, 403: DetailOut, 404: DetailOut}
)
def case_detail(request, number: str):
    _require_case_reader(request)
    case = case_selectors.case_access(user=request.auth, number=number)
    if case is None:
        return Status(404, {"detail": _("No such case.")})
    return Status(200, _case_detail(case, request.auth))


@staff.post(
    "/cases/{number}/transitions",
    response={
        200: CaseDetailOut,
        400: ErrorOut,
        401: DetailOut,
        403: DetailOut,
        404: DetailOut,
        409: DetailOut,
    },
)
def case_transition_create(request, number: str, payload: TransitionIn):
    _require_case_reader(request)
    case = case_selectors.case_access(user=request.auth, number=number)
    if case is None:
        return Status(404, {"detail": _("No such case.")})
    try:
        # Refused steps are answered as refused (403/409) before their input is checked.
        case_action_check(case=case, action=payload.action, actor=request.auth)
        fields, errors = _form_values(payload.fields)
        if errors:
            return _errors(errors)
        form = action_form(
            payload.action,
            case=case,
            data={**fields, "note": payload.note, "public_message": payload.public_message},
        )
        if not form.is_valid():
            return _errors({k: [str(m) for m in v] for k, v in form.errors.items()})
        case = case_transition(
            case=case,
            action=payload.action,
            actor=request.auth,
            note=form.cleaned_data["note"],
            public_message=form.cleaned_data["public_message"],
            fields=form.fields_for_service(),
        )
    except ActionNotAllowed as exc:
        return Status(403, {"detail": str(exc)})
    except WrongState as exc:
        return Status(409, {"detail": str(exc)})
    except CaseInputError as exc:
        return _errors(exc.errors)
    return Status(200, _case_detail(case, request.auth))


api.add_router("/public", public)
api.add_router("", staff)
