"""Staff pages: the role matrix, reporter protection and a full walk through a case."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from PIL import Image

from netralitas.cases.models import Case, CaseStatus
from netralitas.cases.services import case_open_from_report
from netralitas.core.timeutil import local_today
from netralitas.elections.models import SanctionKind
from netralitas.reports.models import Evidence, IdentityRevealLog, Report, ReportStatus
from netralitas.reports.services import EvidenceUpload, report_submit

pytestmark = pytest.mark.django_db

# The reporter of every report below (conftest.make_submission).
IDENTITY = ("Siti Aminah", "081234567890", "siti@example.org")


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids whatever the Indonesian catalogue says.
    client.cookies["django_language"] = "en"  # the language switch's cookie


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class World:
    new: Report  # a fresh report in the inbox
    case: Case  # a case in verification, in the provincial Dinas Pendidikan
    case_report: Report  # the report of that case, with a PNG and the reporter's identity
    evidence: Evidence


@pytest.fixture
def world(new_report, submission_factory, verifier, employee, disdik) -> World:
    report, _ = report_submit(
        submission=submission_factory(
            reported_agency=disdik.name,
            description="Foto bersama pasangan calon dengan pose jari, diunggah ke Instagram.",
            evidence_files=[EvidenceUpload(name="foto.png", file=io.BytesIO(png_bytes()))],
        )
    )
    case = case_open_from_report(report=report, actor=verifier, employee=employee)
    report.refresh_from_db()
    return World(
        new=new_report, case=case, case_report=report, evidence=report.evidence.get(kind="file")
    )


# --- the role matrix ----------------------------------------------------------------

PERSONAS = [
    "anonymous",
    "outsider",
    "verifier",
    "examiner",
    "ppk",
    "ppk_other",
    "bawaslu",
    "agency_head",
    "admin_user",
]
LOGIN = "login"  # 302 to the login page

# Expected status per page and persona, in PERSONAS order. ppk's scope is the province
# (the case is in it); ppk_other's is Kabupaten Belitung only, so the case does not exist
# for them (404). "comment" is open to every case role; "request_info" to the verifier only.
# fmt: off
MATRIX: dict[str, tuple] = {
    #                            anon   outs verif exam  ppk  ppk_o baws ahead admin
    "home":                     (LOGIN, 403, 302, 302, 302, 302, 302, 302, 302),
    "inbox":                    (LOGIN, 403, 200, 403, 403, 403, 403, 403, 403),
    "report_detail":            (LOGIN, 403, 200, 403, 403, 403, 403, 403, 403),
    "reveal_identity":          (LOGIN, 403, 200, 200, 403, 403, 403, 403, 403),
    "open_case":                (LOGIN, 403, 302, 403, 403, 403, 403, 403, 403),
    "attach":                   (LOGIN, 403, 302, 403, 403, 403, 403, 403, 403),
    "dismiss":                  (LOGIN, 403, 302, 403, 403, 403, 403, 403, 403),
    "evidence_download":        (LOGIN, 403, 200, 200, 200, 404, 200, 403, 403),
    "case_list":                (LOGIN, 403, 200, 200, 200, 200, 200, 403, 403),
    "case_detail":              (LOGIN, 403, 200, 200, 200, 404, 200, 403, 403),
    "case_action_comment":      (LOGIN, 403, 302, 302, 302, 404, 302, 403, 403),
    "case_action_request_info": (LOGIN, 403, 302, 403, 403, 404, 403, 403, 403),
    "agency_summary":           (LOGIN, 403, 403, 403, 403, 403, 403, 200, 403),
}
# fmt: on


def hit_page(client, page: str, w: World):
    code, number = w.new.tracking_code, w.case.number
    requests = {
        "home": lambda: client.get(reverse("staff:home")),
        "inbox": lambda: client.get(reverse("staff:inbox")),
        "report_detail": lambda: client.get(reverse("staff:report_detail", args=[code])),
        "reveal_identity": lambda: client.post(
            reverse("staff:reveal_identity", args=[w.case_report.tracking_code]),
            {"reason": "Perlu menghubungi pelapor untuk klarifikasi."},
        ),
        "open_case": lambda: client.post(reverse("staff:open_case", args=[code]), {"employee": ""}),
        "attach": lambda: client.post(
            reverse("staff:attach", args=[code]), {"case_number": number}
        ),
        "dismiss": lambda: client.post(reverse("staff:dismiss", args=[code]), {"reason": "Spam."}),
        "evidence_download": lambda: client.get(
            reverse("staff:evidence_download", args=[w.evidence.pk])
        ),
        "case_list": lambda: client.get(reverse("staff:case_list")),
        "case_detail": lambda: client.get(reverse("staff:case_detail", args=[number])),
        "case_action_comment": lambda: client.post(
            reverse("staff:case_action", args=[number, "comment"]), {"comment-note": "Catatan."}
        ),
        "case_action_request_info": lambda: client.post(
            reverse("staff:case_action", args=[number, "request_info"]),
            {"request_info-note": "Mohon kirim tautan unggahan."},
        ),
        "agency_summary": lambda: client.get(reverse("staff:agency_summary")),
    }
    return requests[page]()


def login_as(client, request, persona: str):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(MATRIX))
def test_it_enforces_the_role_matrix(client, request, world, page, persona):
    expected = MATRIX[page][PERSONAS.index(persona)]
    events_before = world.case.events.count()
    login_as(client, request, persona)

    response = hit_page(client, page, world)
    if response.streaming:
        # Consuming a download closes its file; the test client's wrapper does that
        # without firing close_old_connections (which would drop PostgreSQL's test
        # transaction). Never call response.close() directly in a test.
        b"".join(response.streaming_content)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == expected, (page, persona, response.status_code)
    if expected not in (200, 302):
        # A refused request changes nothing and reveals nothing.
        world.new.refresh_from_db()
        assert world.new.status == ReportStatus.NEW
        assert world.case.events.count() == events_before
        assert not IdentityRevealLog.objects.exists()
        if hasattr(response, "content"):
            assert not any(value in response.content.decode() for value in IDENTITY)


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("verifier", "/staf/laporan/"),
        ("examiner", "/staf/kasus/"),
        ("bawaslu", "/staf/kasus/"),
        ("ppk", "/staf/kasus/"),
        ("agency_head", "/staf/instansi/"),
        ("admin_user", "/admin/"),
    ],
)
def test_it_sends_each_role_to_its_start_page(client, request, persona, target):
    login_as(client, request, persona)
    assert client.get(reverse("staff:home"))["Location"] == target


# --- reporter protection --------------------------------------------------------------


@pytest.mark.parametrize("persona", ["agency_head", "bawaslu", "ppk"])
def test_it_never_shows_reporter_identity_to(client, request, world, persona):
    login_as(client, request, persona)
    pages = [
        reverse("staff:home"),
        reverse("staff:case_list"),
        reverse("staff:agency_summary"),
        reverse("staff:case_detail", args=[world.case.number]),
        reverse("staff:report_detail", args=[world.case_report.tracking_code]),
    ]
    responses = [client.get(url, follow=True) for url in pages]
    responses.append(
        client.post(
            reverse("staff:reveal_identity", args=[world.case_report.tracking_code]),
            {"reason": "Ingin tahu."},
        )
    )
    for response in responses:
        html = response.content.decode()
        for value in IDENTITY:
            assert value not in html
    assert not IdentityRevealLog.objects.exists()


def test_it_hides_the_identity_from_the_verifier_until_revealed(client, verifier, world):
    client.force_login(verifier)
    for url in (
        reverse("staff:report_detail", args=[world.case_report.tracking_code]),
        reverse("staff:case_detail", args=[world.case.number]),
    ):
        html = client.get(url).content.decode()
        assert "Siti Aminah" not in html
        assert reverse("staff:reveal_identity", args=[world.case_report.tracking_code]) in html


def test_it_reveals_the_identity_once_and_logs_it(client, verifier, world):
    client.force_login(verifier)
    url = reverse("staff:reveal_identity", args=[world.case_report.tracking_code])

    response = client.post(url, {"reason": "Perlu keterangan tambahan dari pelapor."})

    assert response.status_code == 200
    html = response.content.decode()
    assert all(value in html for value in IDENTITY)
    assert "no-store" in response["Cache-Control"]
    log = IdentityRevealLog.objects.get()
    assert (log.report, log.user, log.reason) == (
        world.case_report,
        verifier,
        "Perlu keterangan tambahan dari pelapor.",
    )
    # Not kept anywhere: the next page load and the session know nothing of it.
    again = client.get(reverse("staff:report_detail", args=[world.case_report.tracking_code]))
    assert "Siti Aminah" not in again.content.decode()
    assert "Siti Aminah" not in str(dict(client.session.items()))


def test_it_requires_a_reason_to_reveal(client, examiner, world):
    client.force_login(examiner)
    response = client.post(
        reverse("staff:reveal_identity", args=[world.case_report.tracking_code]), {"reason": "  "}
    )
    assert response.status_code == 400
    assert "Say why you need the reporter" in response.content.decode()
    assert "Siti Aminah" not in response.content.decode()
    assert not IdentityRevealLog.objects.exists()


def test_it_lets_examiners_reveal_only_through_a_case(client, examiner, world):
    client.force_login(examiner)
    response = client.post(
        reverse("staff:reveal_identity", args=[world.new.tracking_code]), {"reason": "Klarifikasi."}
    )
    assert response.status_code == 404
    assert not IdentityRevealLog.objects.exists()


def test_it_says_when_a_report_is_anonymous(client, verifier, submission_factory):
    report, _ = report_submit(
        submission=submission_factory(reporter_name="", reporter_phone="", reporter_email="")
    )
    client.force_login(verifier)
    html = client.get(reverse("staff:report_detail", args=[report.tracking_code])).content.decode()
    assert "Anonymous" in html
    assert reverse("staff:reveal_identity", args=[report.tracking_code]) not in html


# --- report page ----------------------------------------------------------------------


def test_it_lists_new_reports_oldest_first(client, verifier, new_report, submission_factory):
    later, _ = report_submit(
        submission=submission_factory(
            description="Laporan kedua: memasang spanduk calon di kantor kecamatan."
        )
    )
    client.force_login(verifier)
    html = client.get(reverse("staff:inbox")).content.decode()
    assert html.index(new_report.tracking_code) < html.index(later.tracking_code)
    assert "KE-02" in html


def test_it_shows_evidence_with_a_download_link(client, verifier, world):
    client.force_login(verifier)
    html = client.get(
        reverse("staff:report_detail", args=[world.case_report.tracking_code])
    ).content.decode()
    assert reverse("staff:evidence_download", args=[world.evidence.pk]) in html
    assert "image/png" in html
    assert world.evidence.sha256[:16] in html


def test_it_serves_evidence_as_a_sniffed_attachment(client, bawaslu, world):
    client.force_login(bawaslu)
    response = client.get(reverse("staff:evidence_download", args=[world.evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == png_bytes()


def test_it_keeps_evidence_of_inbox_reports_from_non_verifiers(
    client, examiner, submission_factory
):
    report, _ = report_submit(
        submission=submission_factory(
            evidence_files=[EvidenceUpload(name="x.png", file=io.BytesIO(png_bytes()))]
        )
    )
    client.force_login(examiner)
    evidence = report.evidence.get()
    assert client.get(reverse("staff:evidence_download", args=[evidence.pk])).status_code == 404


def test_it_opens_a_case_for_a_chosen_employee(client, verifier, new_report, employee):
    client.force_login(verifier)
    search = client.get(
        reverse("staff:report_detail", args=[new_report.tracking_code]), {"cari": employee.nip[:8]}
    )
    assert f'value="{employee.pk}"' in search.content.decode()

    response = client.post(
        reverse("staff:open_case", args=[new_report.tracking_code]), {"employee": str(employee.pk)}
    )

    case = Case.objects.get(reports=new_report)
    assert response["Location"] == reverse("staff:case_detail", args=[case.number])
    assert case.employee == employee
    # A second click finds the report already handled.
    again = client.post(
        reverse("staff:open_case", args=[new_report.tracking_code]), {"employee": ""}
    )
    assert again.status_code == 409
    assert Case.objects.count() == 1


def test_it_attaches_a_report_to_a_case(client, verifier, world):
    client.force_login(verifier)
    bad = client.post(
        reverse("staff:attach", args=[world.new.tracking_code]), {"case_number": "KASUS-1-1"}
    )
    assert bad.status_code == 400
    assert "There is no case with this number." in bad.content.decode()

    response = client.post(
        reverse("staff:attach", args=[world.new.tracking_code]), {"case_number": world.case.number}
    )
    assert response.status_code == 302
    world.new.refresh_from_db()
    assert world.new.case == world.case
    assert world.case.events.filter(action="attach_report").exists()


def test_it_dismisses_with_a_reason_only(client, verifier, new_report):
    client.force_login(verifier)
    url = reverse("staff:dismiss", args=[new_report.tracking_code])
    assert client.post(url, {"reason": ""}).status_code == 400
    new_report.refresh_from_db()
    assert new_report.status == ReportStatus.NEW

    assert client.post(url, {"reason": "Duplikat laporan lain."})["Location"] == reverse(
        "staff:inbox"
    )
    new_report.refresh_from_db()
    assert (new_report.status, new_report.dismissed_reason) == (
        ReportStatus.DISMISSED,
        "Duplikat laporan lain.",
    )


# --- case page and actions -------------------------------------------------------------


def action_names(html: str, number: str) -> set[str]:
    return set(re.findall(re.escape(f"/staf/kasus/{number}/aksi/") + r"([\w-]+)/", html))


ALLOWED_FORMS = {
    CaseStatus.VERIFICATION: {
        "verifier": {"request_info", "set_requirements", "register", "reject", "comment"},
        "examiner": {"comment"},
        "ppk": {"comment"},
        "bawaslu": {"comment"},
    },
    CaseStatus.EXAMINATION: {
        "verifier": {"comment"},
        "examiner": {"add_clarification", "conclude_proven", "conclude_not_proven", "comment"},
        "ppk": {"comment"},
        "bawaslu": {"comment"},
    },
    CaseStatus.FORWARDED: {
        "verifier": {"comment"},
        "examiner": {"comment"},
        "ppk": {"decide", "comment"},
        "bawaslu": {"comment"},
    },
    CaseStatus.CLOSED: {"verifier": set(), "examiner": set(), "ppk": set(), "bawaslu": set()},
}


@pytest.mark.parametrize("status", list(ALLOWED_FORMS))
def test_it_shows_only_the_allowed_action_forms(client, request, case_factory, status):
    case = case_factory(status)
    for persona, expected in ALLOWED_FORMS[status].items():
        client.force_login(request.getfixturevalue(persona))
        html = client.get(reverse("staff:case_detail", args=[case.number])).content.decode()
        assert action_names(html, case.number) == expected, persona


def test_it_walks_a_case_from_report_to_closed(
    client, verifier, examiner, ppk, new_report, employee
):
    def act(user, action, data=None):
        client.force_login(user)
        payload = {f"{action}-{k}": v for k, v in (data or {}).items()}
        response = client.post(reverse("staff:case_action", args=[case.number, action]), payload)
        assert response.status_code == 302, (action, response.content.decode()[-3000:])
        assert client.get(response["Location"]).status_code == 200

    client.force_login(verifier)
    response = client.post(
        reverse("staff:open_case", args=[new_report.tracking_code]), {"employee": str(employee.pk)}
    )
    assert response.status_code == 302
    case = Case.objects.get(reports=new_report)

    act(verifier, "set_requirements", {"formal_complete": "on", "material_complete": "on"})
    act(verifier, "register", {"public_message": "Laporan Anda kami tindak lanjuti."})
    act(examiner, "start_examination")
    act(
        examiner,
        "add_clarification",
        {
            "held_on": (local_today() - timedelta(days=1)).isoformat(),
            "person_heard": "Rahmat Hidayat",
            "capacity": "reported",
            "summary": "Mengakui mengunggah foto tersebut.",
        },
    )
    act(examiner, "conclude_proven", {"note": "Terbukti dari bukti dan klarifikasi."})
    case.refresh_from_db()
    sanction = SanctionKind.objects.filter(
        employee_kind=employee.kind, category=case.suggested_sanction_category
    ).first()
    assert sanction is not None
    act(examiner, "recommend", {"sanction_kind": sanction.code})
    act(examiner, "forward", {"target": "ppk"})
    act(
        ppk,
        "decide",
        {
            "decision_number": "800/45/BKPSDMD/2024",
            "decision_date": local_today().isoformat(),
            "sanction_kind": sanction.code,
        },
    )
    act(verifier, "close")

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.ppk_sanction_kind == sanction
    assert list(case.events.values_list("action", flat=True)) == [
        "open",
        "set_requirements",
        "register",
        "start_examination",
        "add_clarification",
        "conclude_proven",
        "recommend",
        "forward",
        "decide",
        "close",
    ]
    html = client.get(reverse("staff:case_detail", args=[case.number])).content.decode()
    for label in (
        "Case opened from a report",
        "Register the case",
        "Record the PPK decision",
        "Close the case",
        "Mengakui mengunggah foto tersebut.",
        "800/45/BKPSDMD/2024",
    ):
        assert label in html
    assert action_names(html, case.number) == set()
    # The reporter sees the end of it, and the message written for them.
    client.logout()  # which also drops the language cookie
    client.cookies["django_language"] = "en"
    public = client.get(
        reverse("public:track"), {"kode": new_report.tracking_code}
    ).content.decode()
    assert "Closed" in public and "Laporan Anda kami tindak lanjuti." in public


def test_it_rerenders_a_form_error_with_400(client, examiner, case_factory):
    case = case_factory(CaseStatus.EXAMINATION)
    client.force_login(examiner)
    response = client.post(
        reverse("staff:case_action", args=[case.number, "add_clarification"]),
        {
            "add_clarification-held_on": local_today().isoformat(),
            "add_clarification-summary": "Ringkasan yang sudah diketik.",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_add_clarification-person_heard_errors"' in html
    assert "This field is required." in html
    assert "Ringkasan yang sudah diketik." in html  # what was typed is kept
    assert case.clarifications.count() == 0


def test_it_rerenders_a_service_error_with_400(client, verifier, case_factory):
    case = case_factory(CaseStatus.VERIFICATION)
    client.force_login(verifier)
    response = client.post(
        reverse("staff:case_action", args=[case.number, "request_info"]), {"request_info-note": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_request_info-note_errors"' in html
    assert "Explain the reason for this step." in html
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFICATION


def test_it_answers_409_for_an_action_in_the_wrong_state(client, verifier, case_factory):
    case = case_factory(CaseStatus.REGISTERED)
    client.force_login(verifier)
    response = client.post(reverse("staff:case_action", args=[case.number, "register"]), {})
    assert response.status_code == 409
    assert "This action is not possible" in response.content.decode()


def test_it_answers_404_for_an_unknown_action(client, verifier, case_factory):
    case = case_factory(CaseStatus.VERIFICATION)
    client.force_login(verifier)
    assert (
        client.post(reverse("staff:case_action", args=[case.number, "explode"]), {}).status_code
        == 404
    )


# --- case list, overdue and the agency summary ----------------------------------------


def test_it_marks_overdue_cases(client, examiner, agency_head, case_factory):
    late = case_factory(CaseStatus.VERIFICATION)
    on_time = case_factory(CaseStatus.REGISTERED)
    Case.objects.filter(pk=late.pk).update(due_on=local_today() - timedelta(days=3))
    Case.objects.filter(pk=on_time.pk).update(due_on=local_today() + timedelta(days=3))
    client.force_login(examiner)

    html = client.get(reverse("staff:case_list")).content.decode()
    rows = {number: row for number, row in re.findall(r"(KASUS-\d+-\d+)</a>(.*?)</tr>", html, re.S)}
    assert "badge-overdue" in rows[late.number] and "Overdue" in rows[late.number]
    assert "badge-overdue" not in rows[on_time.number]

    only_late = client.get(reverse("staff:case_list"), {"overdue": "on"}).content.decode()
    assert late.number in only_late and on_time.number not in only_late
    assert (
        "badge-overdue"
        in client.get(reverse("staff:case_detail", args=[late.number])).content.decode()
    )

    client.force_login(agency_head)
    summary = client.get(reverse("staff:agency_summary"))
    assert summary.context["overdue"] == 1


def test_it_filters_the_case_list_in_the_url(client, ppk, case_factory):
    registered = case_factory(CaseStatus.REGISTERED)
    verification = case_factory(CaseStatus.VERIFICATION)
    client.force_login(ppk)
    html = client.get(
        reverse("staff:case_list"), {"status": "registered", "q": "Rahmat"}
    ).content.decode()
    assert registered.number in html and verification.number not in html
    assert '<option value="registered" selected>' in html
    assert 'value="Rahmat"' in html


def test_it_hides_other_regions_cases_from_a_ppk(client, ppk_other, case_factory):
    case = case_factory(CaseStatus.VERIFICATION)
    client.force_login(ppk_other)
    assert case.number not in client.get(reverse("staff:case_list")).content.decode()


def test_it_gives_agency_heads_counts_only(client, agency_head, case_factory):
    case_factory(CaseStatus.VERIFICATION)
    case = case_factory(CaseStatus.REGISTERED)
    client.force_login(agency_head)
    response = client.get(reverse("staff:agency_summary"))
    assert response.status_code == 200
    counts = {row["status"]: row["count"] for row in response.context["rows"]}
    assert counts == {"registered": 1, "verification": 1}
    html = response.content.decode()
    assert case.number not in html and case.subject_name not in html
    assert case.reports.get().tracking_code not in html


# --- login and logout -------------------------------------------------------------------


def test_it_logs_staff_in_and_out(client, verifier):
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(
        reverse("accounts:login"), {"username": "verifier", "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("staff:home")
    assert client.get(reverse("accounts:logout")).status_code == 405  # a link cannot log out
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("staff:inbox")).status_code == 302


def test_it_locks_out_after_repeated_failed_logins(client, verifier, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "verifier", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "verifier", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Login temporarily locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
