"""The monitoring team's review queue: the list of findings and one finding's page.

Thin views, as in cases.views: parse, call one service or selector, render. Who may review
is the services' REVIEW_ROLES (checked again inside every service); opening or joining a
case is further limited by the case service, whose refusal is shown on the page. Reporter
identities never appear here: findings come from imported posts, not from reports.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from netralitas.cases.selectors import case_access
from netralitas.cases.services import ActionNotAllowed, WrongState
from netralitas.cases.transitions import TRANSITIONS
from netralitas.cases.views import AgencyChoiceField, not_found, role_required
from netralitas.core.evidence import evidence_spans, highlighted_text
from netralitas.elections.models import Stage
from netralitas.monitoring.models import DismissReason, Finding, FindingStatus, Post
from netralitas.monitoring.review import (
    QUEUE_SORTS,
    cluster_cases,
    cluster_findings,
    finding_for_review,
    group_member_count,
    review_queue,
)
from netralitas.monitoring.services import (
    REVIEW_ROLES,
    FindingWrongState,
    MonitoringError,
    ReviewNotAllowed,
    finding_confirm,
    finding_dismiss,
    post_set_author,
)
from netralitas.registry.models import Agency, Employee, Platform
from netralitas.registry.selectors import employee_search

PAGE_SIZE = 50
# Only the verifier opens or joins cases (cases.transitions "register"); examiners and
# administrators review too (dismiss, correct authors) but cannot confirm.
CASE_OPEN_ROLES = TRANSITIONS["register"].roles

STANCE_LABELS = {
    "support": gettext_lazy("supports a contestant"),
    "oppose": gettext_lazy("opposes a contestant"),
}
ACTION_LABELS = {
    "post": gettext_lazy("post"),
    "share": gettext_lazy("share or forward"),
    "comment": gettext_lazy("comment"),
    "like": gettext_lazy("like"),
    "message": gettext_lazy("chat message"),
}
SORT_LABELS = {
    "score": gettext_lazy("Highest score"),
    "newest": gettext_lazy("Newest first"),
    "oldest": gettext_lazy("Oldest first"),
    "cluster": gettext_lazy("Largest cluster"),
}
ALL_STATUSES = "all"


# --- forms ----------------------------------------------------------------------------


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.election.name}: {obj.name}"


class QueueFilterForm(forms.Form):
    """The queue's filters; all optional, kept in the query string."""

    q = forms.CharField(
        label=gettext_lazy("Search (text, author, NIP or group)"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        # First is the default: an absent status means "awaiting review".
        choices=FindingStatus.choices + [(ALL_STATUSES, gettext_lazy("All"))],
    )
    platform = forms.ChoiceField(
        label=gettext_lazy("Platform"),
        required=False,
        choices=[("", gettext_lazy("All"))] + Platform.choices,
    )
    agency = AgencyChoiceField(
        label=gettext_lazy("Agency"),
        required=False,
        to_field_name="code",
        queryset=Agency.objects.none(),
        empty_label=gettext_lazy("All"),
    )
    stage = StageChoiceField(
        label=gettext_lazy("Election stage"),
        required=False,
        queryset=Stage.objects.none(),
        empty_label=gettext_lazy("All"),
    )
    stance = forms.ChoiceField(
        label=gettext_lazy("Stance"),
        required=False,
        choices=[("", gettext_lazy("All"))] + list(STANCE_LABELS.items()),
    )
    min_score = forms.FloatField(
        label=gettext_lazy("Minimum score"),
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"), required=False, choices=list(SORT_LABELS.items())
    )
    clustered = forms.BooleanField(label=gettext_lazy("Coordinated sharing only"), required=False)
    expand = forms.BooleanField(label=gettext_lazy("Every post of a cluster"), required=False)
    # Set by links (a cluster's "show all", a group's "all findings"), kept on resubmit.
    cluster = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    group = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.filter(is_active=True).exclude(kind="unit").order_by("path")
        )
        self.fields["stage"].queryset = Stage.objects.select_related("election").order_by(
            "start", "id"
        )


# The query-string keys of the queue a detail page may send the reviewer back to.
QUEUE_KEYS = tuple(QueueFilterForm.base_fields) + ("page",)


class ConfirmForm(forms.Form):
    stance = forms.ChoiceField(
        label=gettext_lazy("Stance"),
        required=False,
        choices=[("", gettext_lazy("As detected"))] + list(STANCE_LABELS.items()),
    )
    case_number = forms.CharField(
        label=gettext_lazy("Join an existing case (number)"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("Leave empty to open a new case."),
        widget=forms.TextInput(attrs={"placeholder": "KASUS-2024-00001"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DismissForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[("", gettext_lazy("Choose a reason"))] + DismissReason.choices,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Required when the reason is “other”."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- the post text with the detector's evidence ----------------------------------------


def _back_query(raw: str) -> str:
    """The queue's query string a reviewer came from, reduced to the queue's own keys (the
    redirect goes to the queue's path whatever was sent)."""
    given = QueryDict(raw[:2000])
    kept = QueryDict(mutable=True)
    for key in QUEUE_KEYS:
        values = [v[:100] for v in given.getlist(key)[:1]]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


def _queue_url(back: str) -> str:
    query = _back_query(back)
    return reverse("monitoring:queue") + (f"?{query}" if query else "")


def _detail_url(finding: Finding, back: str) -> str:
    query = _back_query(back)
    url = reverse("monitoring:finding_detail", args=[finding.pk])
    return url + ("?" + _encode({"back": query}) if query else "")


def _encode(values: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query.update(values)
    return query.urlencode()


def _author_label(post: Post) -> str:
    if post.employee_id:
        return post.employee.name
    return post.author_name or post.author_handle or post.author_phone or "?"


# --- the queue ------------------------------------------------------------------------


@role_required(*REVIEW_ROLES)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    filters = QueueFilterForm(request.GET)
    filters.is_valid()  # an invalid filter is dropped, the others still apply
    cd = filters.cleaned_data
    status = cd.get("status") or FindingStatus.NEW
    agency = cd.get("agency")
    stage = cd.get("stage")
    cluster_id = cd.get("cluster")
    findings = review_queue(
        status="" if status == ALL_STATUSES else status,
        agency_path=agency.path if agency else "",
        platform=cd.get("platform") or "",
        stance=cd.get("stance") or "",
        stage_id=stage.pk if stage else None,
        group_id=cd.get("group"),
        cluster_id=cluster_id,
        min_score=cd.get("min_score"),
        query=(cd.get("q") or "").strip(),
        clustered_only=bool(cd.get("clustered")),
        collapse=not cd.get("expand"),
        sort=cd.get("sort") or "score",
    )
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    for finding in page.object_list:
        finding.stance_label = STANCE_LABELS.get(finding.stance, finding.stance)
        if finding.cluster_id:
            finding.first_author = _author_label(finding.cluster.first_post)
    context = {
        "filters": filters,
        "page": page,
        "collapsed": not cd.get("expand") and not cluster_id,
        "cluster_id": cluster_id,
        "group_id": cd.get("group"),
        "sort": cd.get("sort") or "score",
        "sorts": QUEUE_SORTS,
        "back": _encode({"back": request.GET.urlencode()}) if request.GET else "",
    }
    return render(request, "staff/monitoring/queue.html", context)


# --- one finding ----------------------------------------------------------------------


def _finding_page(
    request: HttpRequest,
    finding: Finding,
    *,
    confirm_form: ConfirmForm | None = None,
    dismiss_form: DismissForm | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    post = finding.post
    back = _back_query(request.POST.get("back", "") or request.GET.get("back", ""))
    search = request.GET.get("cari", "")[:100]
    others = cluster_findings(finding=finding)
    for other in others:
        other.author_label = _author_label(other.post)
    context = {
        "finding": finding,
        "post": post,
        "stance_label": STANCE_LABELS.get(finding.stance, finding.stance),
        "action_label": ACTION_LABELS.get(post.action, post.action),
        "reviewed_stance_label": STANCE_LABELS.get(
            finding.reviewed_stance, finding.reviewed_stance
        ),
        "text_html": highlighted_text(post.text, finding.evidence or []),
        "evidence": [
            {"text": post.text[s:e], "why": w}
            for s, e, w in evidence_spans(post.text, finding.evidence or [])
        ],
        "group_members": group_member_count(group=post.group),
        "first_author": _author_label(finding.cluster.first_post) if finding.cluster else "",
        "is_first": finding.cluster is not None and finding.cluster.first_post_id == post.pk,
        "others": others,
        "cluster_cases": cluster_cases(finding=finding),
        "is_new": finding.status == FindingStatus.NEW,
        "can_open_cases": request.user.role in CASE_OPEN_ROLES,
        "confirm_form": confirm_form or ConfirmForm(prefix="confirm"),
        "dismiss_form": dismiss_form or DismissForm(prefix="dismiss"),
        "employee_search": search,
        "employees": employee_search(search),
        "errors": errors or {},
        "back": back,
        "queue_url": _queue_url(back),
    }
    return render(request, "staff/monitoring/finding_detail.html", context, status=status)


@role_required(*REVIEW_ROLES)
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_for_review(pk=pk)
    if finding is None:
        return not_found(request)
    return _finding_page(request, finding)


def _form_error(form: forms.Form, message: str) -> None:
    form.add_error(None, message)


@role_required(*REVIEW_ROLES)
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_for_review(pk=pk)
    if finding is None:
        return not_found(request)
    form = ConfirmForm(request.POST, prefix="confirm")
    if not form.is_valid():
        return _finding_page(request, finding, confirm_form=form, status=400)
    number = form.cleaned_data["case_number"].strip()
    case = case_access(user=request.user, number=number) if number else None
    if number and case is None:
        form.add_error("case_number", _("There is no case with this number."))
        return _finding_page(request, finding, confirm_form=form, status=400)
    try:
        finding = finding_confirm(
            finding=finding,
            actor=request.user,
            case=case,
            stance=form.cleaned_data["stance"],
            note=form.cleaned_data["note"],
        )
    except (ReviewNotAllowed, ActionNotAllowed) as exc:
        _form_error(form, str(exc))
        return _finding_page(request, finding, confirm_form=form, status=403)
    except (FindingWrongState, WrongState) as exc:
        _form_error(form, str(exc))
        return _finding_page(request, finding, confirm_form=form, status=409)
    except MonitoringError as exc:
        _form_error(form, str(exc))
        return _finding_page(request, finding, confirm_form=form, status=400)
    if case is None:
        text = _("Finding confirmed: case %(number)s was opened.")
    else:
        text = _("Finding confirmed and attached to case %(number)s.")
    messages.success(request, text % {"number": finding.case.number})
    return redirect(_queue_url(request.POST.get("back", "")))


@role_required(*REVIEW_ROLES)
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_for_review(pk=pk)
    if finding is None:
        return not_found(request)
    form = DismissForm(request.POST, prefix="dismiss")
    if not form.is_valid():
        return _finding_page(request, finding, dismiss_form=form, status=400)
    try:
        finding_dismiss(
            finding=finding,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ReviewNotAllowed as exc:
        _form_error(form, str(exc))
        return _finding_page(request, finding, dismiss_form=form, status=403)
    except FindingWrongState as exc:
        _form_error(form, str(exc))
        return _finding_page(request, finding, dismiss_form=form, status=409)
    except MonitoringError as exc:
        _form_error(form, str(exc))
        return _finding_page(request, finding, dismiss_form=form, status=400)
    messages.success(request, _("Finding dismissed."))
    return redirect(_queue_url(request.POST.get("back", "")))


@role_required(*REVIEW_ROLES)
@require_POST
def set_author(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_for_review(pk=pk)
    if finding is None:
        return not_found(request)
    if "employee" not in request.POST:
        return _finding_page(
            request,
            finding,
            errors={"author": [_("Choose an employee from the search results.")]},
            status=400,
        )
    raw = request.POST["employee"].strip()
    employee = None
    if raw:
        employee = Employee.objects.filter(pk=raw).first() if raw.isdigit() else None
        if employee is None:
            return _finding_page(
                request,
                finding,
                errors={"author": [_("Choose an employee from the search results.")]},
                status=400,
            )
    try:
        post_set_author(post=finding.post, employee=employee, actor=request.user)
    except MonitoringError as exc:
        return _finding_page(request, finding, errors={"author": [str(exc)]}, status=403)
    if employee is None:
        messages.success(request, _("The post is no longer linked to an employee."))
    else:
        messages.success(request, _("The author was set to %(name)s.") % {"name": employee.name})
    return redirect(_detail_url(finding, request.POST.get("back", "")))
