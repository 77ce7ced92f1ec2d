"""Shared fixtures: the packaged reference data, and one persona per role.

Personas (as in Healthchecks' tests): ``verifier``, ``examiner``, ``ppk`` (PPK of the
provincial government, scope: the whole province), ``ppk_other`` (PPK of Kabupaten
Belitung only), ``bawaslu``, ``agency_head`` (head of Dinas Pendidikan), ``admin_user``,
and ``outsider`` (a logged-in account with no role).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

# Django imports stay inside the fixtures so that pure-library tests (config loaders,
# the detector) also run with ``-p no:django``.


@pytest.fixture(autouse=True)
def _isolated_django_state(request, tmp_path):
    """Uploads go to a per-test folder and rate-limit counters start at zero."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield  # a pure-library run (-p no:django)
        return
    from django.core.cache import cache

    request.getfixturevalue("settings").MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data (agencies, elections, rule table, deadlines) once per test database.
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


def _agency(code: str):
    from netralitas.registry.models import Agency

    return Agency.objects.get(code=code)


def _user(username: str, role: str, agency_code: str | None = None):
    from netralitas.accounts.models import User

    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        role=role,
        first_name=username.capitalize(),
        agency=_agency(agency_code) if agency_code else None,
    )
    return user


PROVINCE = "19"


@pytest.fixture
def province():
    return _agency(PROVINCE)


@pytest.fixture
def disdik():
    """Dinas Pendidikan of the province: a real provincial agency of the reference data."""
    from netralitas.registry.models import Agency

    return (
        Agency.objects.filter(kind="agency", path__startswith="19/", name__icontains="Pendidikan")
        .order_by("path")
        .first()
    )


@pytest.fixture
def verifier(db):
    return _user("verifier", "verifier")


@pytest.fixture
def examiner(db):
    return _user("examiner", "examiner")


@pytest.fixture
def ppk(db):
    return _user("ppk", "ppk", PROVINCE)


@pytest.fixture
def ppk_other(db):
    return _user("ppkbelitung", "ppk", "19.02")


@pytest.fixture
def bawaslu(db):
    return _user("bawaslu", "bawaslu")


@pytest.fixture
def agency_head(db, disdik):
    user = _user("kadis", "agency_head")
    user.agency = disdik
    user.save(update_fields=["agency"])
    return user


@pytest.fixture
def admin_user(db):
    user = _user("admin", "admin")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def outsider(db):
    return _user("outsider", "")


@pytest.fixture
def employee(db, disdik):
    from netralitas.registry.models import Employee

    return Employee.objects.create(
        nip="198507142010011001",
        name="Rahmat Hidayat",
        kind="PNS",
        position="Kepala Seksi Kurikulum",
        rank="III/d",
        agency=disdik,
    )


def make_submission(**overrides):
    from netralitas.elections.models import ViolationType
    from netralitas.reports.services import ReportSubmission

    values = dict(
        reported_name="Rahmat Hidayat",
        reported_agency="",
        incident_date=date(2024, 10, 15),
        violation_type=ViolationType.objects.get(code="KE-02"),
        description="Mengunggah foto kampanye pasangan calon gubernur di Facebook dengan ajakan memilih.",
        reporter_name="Siti Aminah",
        reporter_phone="081234567890",
        reporter_email="siti@example.org",
    )
    values.update(overrides)
    return ReportSubmission(**values)


@pytest.fixture
def submission_factory(db):
    return make_submission


@pytest.fixture
def new_report(db, disdik):
    from netralitas.reports.services import report_submit

    report, _ = report_submit(submission=make_submission(reported_agency=disdik.name))
    return report


@pytest.fixture
def case_factory(db, verifier, examiner, ppk, employee, disdik):
    """``case_factory(status)`` walks a fresh case through the real services to ``status``."""
    from netralitas.cases.models import CaseStatus
    from netralitas.cases.services import case_open_from_report, case_transition
    from netralitas.core.timeutil import local_today
    from netralitas.elections.models import SanctionKind
    from netralitas.reports.services import report_submit

    counter = {"n": 0}

    def make(status: str = CaseStatus.VERIFICATION):
        counter["n"] += 1
        report, _ = report_submit(
            submission=make_submission(
                reported_agency=disdik.name,
                description=f"Laporan nomor {counter['n']}: unggahan dukungan pasangan calon di media sosial.",
            )
        )
        case = case_open_from_report(report=report, actor=verifier, employee=employee)
        path = {
            CaseStatus.VERIFICATION: [],
            CaseStatus.AWAITING_INFO: [("request_info", verifier, {})],
            CaseStatus.NOT_REGISTERED: [("reject", verifier, {})],
            CaseStatus.REGISTERED: [
                (
                    "set_requirements",
                    verifier,
                    {"formal_complete": True, "material_complete": True},
                ),
                ("register", verifier, {}),
            ],
        }
        steps = path.get(status)
        if steps is None:
            steps = path[CaseStatus.REGISTERED] + [("start_examination", examiner, {})]
            if status != CaseStatus.EXAMINATION:
                if status == CaseStatus.NOT_PROVEN:
                    steps += [("conclude_not_proven", examiner, {})]
                else:
                    steps += [
                        (
                            "add_clarification",
                            examiner,
                            {
                                "held_on": local_today() - timedelta(days=1),
                                "person_heard": "Rahmat Hidayat",
                                "capacity": "reported",
                                "summary": "Mengakui mengunggah foto tersebut.",
                            },
                        ),
                        ("conclude_proven", examiner, {}),
                    ]
                    later = [
                        (
                            CaseStatus.RECOMMENDED,
                            "recommend",
                            examiner,
                            lambda c: {
                                "sanction_kind": SanctionKind.objects.filter(
                                    employee_kind="PNS", category=c.suggested_sanction_category
                                ).first()
                            },
                        ),
                        (CaseStatus.FORWARDED, "forward", examiner, lambda c: {"target": "ppk"}),
                        (
                            CaseStatus.DECIDED,
                            "decide",
                            ppk,
                            lambda c: {
                                "decision_number": "800/123/BKPSDMD/2024",
                                "decision_date": local_today(),
                                "sanction_kind": c.recommended_sanction_kind,
                            },
                        ),
                        (CaseStatus.CLOSED, "close", verifier, lambda c: {}),
                    ]
                    for target, action, actor, fields in later:
                        if status == CaseStatus.PROVEN:
                            break
                        steps.append((action, actor, fields))
                        if status == target:
                            break
            if status == CaseStatus.CLOSED and steps[-1][0] == "conclude_not_proven":
                steps.append(("close", verifier, {}))
        for action, actor, fields in steps:
            case.refresh_from_db()
            resolved = fields(case) if callable(fields) else fields
            case = case_transition(
                case=case, action=action, actor=actor, note="Catatan uji.", fields=resolved
            )
        case.refresh_from_db()
        assert case.status == status, (case.status, status)
        return case

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    # PBKDF2 costs ~0.2 s per persona; tests only check that logins work, not hash strength.
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher"
        ]


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """A transactional test starts from the database the previous one flushed; give it
    the reference data that every other test gets from django_db_setup."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction", False):
        return
    from django.core.management import call_command

    request.getfixturevalue("transactional_db")
    call_command("load_reference_data", verbosity=0)
