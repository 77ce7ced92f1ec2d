"""The demo seed: every status, valid NIPs, a believable timeline, and idempotence."""

from __future__ import annotations

import io
import time
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from netralitas.accounts.models import Role, User
from netralitas.cases.models import Case, CaseEvent, CaseStatus, Clarification
from netralitas.cases.selectors import cases_overdue
from netralitas.core.demo import DEMO_PASSWORD, MARKER_USERNAME, demo_seed
from netralitas.core.timeutil import local_today
from netralitas.registry.models import Employee, EmployeeKind
from netralitas.registry.nip import PPPK_MONTH, parse_nip
from netralitas.reports.models import Channel, Evidence, EvidenceKind, Report, ReportStatus

# The brief for `netralitas demo`: seeding must stay quick on SQLite.
MAX_SEED_SECONDS = 10


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for the module inside a transaction that is rolled back at the end.

    Each test's own transaction nests inside it as a savepoint, so the tests see the
    seeded rows and nothing leaks into other modules (whose personas share usernames
    such as "bawaslu" and "admin").
    """
    media = tmp_path_factory.mktemp("demo-media")
    # The same fast hasher as conftest's autouse fixture, or logins could not be checked.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        with transaction.atomic():
            started = time.perf_counter()
            summary = demo_seed()
            elapsed = time.perf_counter() - started
            print(f"\ndemo_seed took {elapsed:.2f} s")
            yield summary, elapsed, media
            transaction.set_rollback(True)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label.startswith(
            ("accounts.", "registry.", "reports.", "cases.", "monitoring.")
        )
    }


def _run(*args: str) -> str:
    out = io.StringIO()
    # The output is translated; the assertions read the English source text.
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


# The command tests come first: once a test has used the module-scoped ``seeded``
# fixture, the rest of the module runs inside its transaction. They hold either way.


@pytest.mark.django_db
def test_demo_command_prepares_everything_twice_without_serving():
    out = _run("demo", "--no-serve", "--port", "8765")
    counts = _row_counts()
    assert counts["cases.Case"] > 0
    assert "http://127.0.0.1:8765/staf/" in out
    assert "http://127.0.0.1:8765/api/v1/openapi.json" in out
    assert DEMO_PASSWORD in out
    assert "verifikator" in out

    out = _run("demo", "--no-serve", "--port", "8765")
    assert _row_counts() == counts
    assert "already present" in out


@pytest.mark.django_db
def test_demo_command_refuses_in_production(settings):
    settings.PRODUCTION = True
    before = _row_counts()
    with pytest.raises(CommandError):
        call_command("demo", "--no-serve", stdout=io.StringIO())
    assert _row_counts() == before


@pytest.mark.django_db
def test_seed_demo_command_seeds_once():
    _run("seed_demo")
    counts = _row_counts()
    assert counts["cases.Case"] > 0
    assert "already present" in _run("seed_demo")
    assert _row_counts() == counts


@pytest.mark.django_db
def test_it_creates_cases_in_every_status(seeded):
    summary, _, _ = seeded
    counts = {s: Case.objects.filter(status=s).count() for s in CaseStatus}
    assert all(n >= 2 for n in counts.values()), counts
    assert summary.case_counts == {s.value: n for s, n in counts.items()}


@pytest.mark.django_db
def test_it_creates_a_user_for_every_role(seeded):
    summary, _, _ = seeded
    roles = set(
        User.objects.filter(username__in=[a.username for a in summary.accounts]).values_list(
            "role", flat=True
        )
    )
    assert roles == set(Role.values)
    verifier = User.objects.get(username=MARKER_USERNAME)
    assert verifier.check_password(DEMO_PASSWORD)
    admin = User.objects.get(role=Role.ADMIN)
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="ppk.belitung").agency.code == "19.02"
    assert User.objects.get(username="ppk.provinsi").agency.code == "19"


@pytest.mark.django_db
def test_it_leaves_some_cases_overdue_and_some_in_time(seeded):
    overdue = cases_overdue(Case.objects.all())
    in_time = Case.objects.filter(due_on__gte=local_today()).exclude(status=CaseStatus.CLOSED)
    assert overdue.count() >= 3
    assert in_time.count() >= 3
    for status in (CaseStatus.VERIFICATION, CaseStatus.EXAMINATION, CaseStatus.FORWARDED):
        assert overdue.filter(status=status).exists(), status
    # Working-day clocks skip holidays, so these stay in time even in the Lebaran leave week.
    for status in (CaseStatus.EXAMINATION, CaseStatus.FORWARDED):
        assert in_time.filter(status=status).exists(), status


@pytest.mark.django_db
def test_it_gives_every_employee_a_valid_nip(seeded):
    today = local_today()
    employees = list(Employee.objects.all())
    assert len(employees) >= 75
    for employee in employees:
        if employee.kind == EmployeeKind.NON_ASN:
            assert employee.nip is None, employee
            continue
        info = parse_nip(employee.nip, kind=employee.kind, today=today)
        assert 1965 <= info.birth_date.year <= 1998, employee
        if employee.kind == EmployeeKind.PPPK:
            assert employee.nip[12:14] == str(PPPK_MONTH)
            assert 2022 <= info.appointed_year <= 2024
    kinds = [e.kind for e in employees]
    assert 0.08 <= kinds.count(EmployeeKind.PPPK) / len(kinds) <= 0.25
    assert 0.05 <= kinds.count(EmployeeKind.NON_ASN) / len(kinds) <= 0.15
    assert any(e.holds_leadership_post for e in employees)


@pytest.mark.django_db
def test_it_never_records_anything_in_the_future(seeded):
    now, today = timezone.now(), local_today()
    assert not CaseEvent.objects.filter(at__gt=now).exists()
    assert not Report.objects.filter(submitted_at__gt=now).exists()
    assert not Report.objects.filter(incident_date__gt=today).exists()
    assert not Case.objects.filter(opened_at__gt=now).exists()
    assert not Case.objects.filter(status_changed_at__gt=now).exists()
    assert not Case.objects.filter(ppk_decision_date__gt=today).exists()
    assert not Clarification.objects.filter(held_on__gt=today).exists()


@pytest.mark.django_db
def test_it_keeps_each_case_timeline_in_order(seeded):
    events = defaultdict(list)
    for event in CaseEvent.objects.order_by("id"):
        events[event.case_id].append(event)
    for case in Case.objects.prefetch_related("reports"):
        timeline = events[case.pk]
        # Opened from a report, or from a confirmed monitoring finding (no report).
        assert timeline[0].action in ("open", "open_from_finding"), case
        assert timeline[0].at == case.opened_at, case
        times = [e.at for e in timeline]
        assert times == sorted(times), case
        # Days apart, as a case really moves, not all in one afternoon.
        if len(timeline) >= 6:
            assert times[-1] - times[0] >= timezone.timedelta(days=3), case
        assert all(r.submitted_at <= case.opened_at for r in case.reports.all()), case
        if timeline[0].action == "open":
            first_report = case.reports.first()
            assert first_report.incident_date <= timezone.localdate(case.opened_at), case
        status_changes = [e for e in timeline if e.to_status != e.from_status]
        assert status_changes[-1].to_status == case.status, case
        assert status_changes[-1].at == case.status_changed_at, case


@pytest.mark.django_db
def test_it_fills_the_inbox_with_varied_reports(seeded, settings):
    settings.MEDIA_ROOT = seeded[2]
    assert Report.objects.count() >= 55
    assert Report.objects.filter(status=ReportStatus.NEW).count() >= 3
    assert Report.objects.filter(status=ReportStatus.DISMISSED).count() >= 2
    recent = timezone.now() - timezone.timedelta(days=21)
    assert Report.objects.filter(status=ReportStatus.NEW, submitted_at__gte=recent).exists()
    assert set(Report.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert Report.objects.filter(is_anonymous=True).exists()
    assert Report.objects.filter(is_anonymous=False, reporter__isnull=False).exists()
    assert Evidence.objects.filter(kind=EvidenceKind.LINK).exists()
    screenshot = Evidence.objects.filter(kind=EvidenceKind.FILE).first()
    assert screenshot.content_type == "image/png"
    with screenshot.file.open("rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    # Many voices, not one template.
    descriptions = list(Report.objects.values_list("description", flat=True))
    assert len(set(descriptions)) == len(descriptions)
    assert len({d.split()[0] for d in descriptions}) >= 20


@pytest.mark.django_db
def test_it_records_overrides_decisions_and_both_forward_targets(seeded):
    assert Case.objects.exclude(recommendation_override_reason="").exists()
    assert Case.objects.exclude(ppk_override_reason="").exists()
    decided = Case.objects.exclude(ppk_decision_number="")
    assert decided.count() >= 5
    assert all(
        n.startswith("800.1.6.4/") for n in decided.values_list("ppk_decision_number", flat=True)
    )
    assert {"ppk", "receiving_body"} <= set(Case.objects.values_list("forwarded_to", flat=True))
    assert Clarification.objects.count() >= 20
    # SKB 2022: an ethics row reported after the candidates were set became discipline.
    assert CaseEvent.objects.filter(action="open", data__has_key="violation_type_changed").exists()


@pytest.mark.django_db
def test_it_imports_monitored_groups_with_findings_in_every_state(seeded):
    from netralitas.monitoring.models import Cluster, Finding, FindingStatus, Post
    from netralitas.registry.models import ChatGroup

    groups = set(ChatGroup.objects.filter(posts__isnull=False).values_list("name", flat=True))
    assert len(groups) >= 2
    assert Post.objects.filter(source="whatsapp").exists()
    assert Post.objects.filter(employee__isnull=False).count() >= Post.objects.count() - 2
    statuses = set(Finding.objects.values_list("status", flat=True))
    assert statuses == set(FindingStatus.values)
    confirmed = Finding.objects.filter(status=FindingStatus.CONFIRMED)
    assert all(f.case_id and f.snapshot_sha256 for f in confirmed)
    dismissed = Finding.objects.get(status=FindingStatus.DISMISSED)
    assert dismissed.dismiss_reason and dismissed.post.employee is None
    cluster = Cluster.objects.get()
    assert cluster.size >= 3 and cluster.authors >= 3
    assert cluster.first_post.posted_at == cluster.first_posted_at


# Marked so that pytest-django keeps it with the other database tests, before any
# transactional test has flushed the reference data.
@pytest.mark.django_db
def test_a_second_run_adds_nothing(seeded):
    first, _, _ = seeded
    before = _row_counts()
    again = demo_seed()
    assert _row_counts() == before
    assert not again.created
    assert again.case_counts == first.case_counts


@pytest.mark.django_db
def test_it_is_fast(seeded):
    _, elapsed, _ = seeded
    assert elapsed < MAX_SEED_SECONDS
