"""The case file export: the schema, reporter protection, the timeline, evidence hashes, the
command and the staff download with its role matrix."""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from PIL import Image

from netralitas.accounts.models import User
from netralitas.cases.export import (
    SCHEMA_PATH,
    case_file_export,
    case_file_json,
    case_file_schema,
)
from netralitas.cases.models import Case, CaseEvent, CaseStatus
from netralitas.cases.services import case_attach_report, case_transition
from netralitas.cases.transitions import TRANSITIONS
from netralitas.cases.views import EVENT_LABELS
from netralitas.core.timeutil import local_today
from netralitas.elections.models import SanctionKind
from netralitas.monitoring.models import Finding, ImportBatch, Post
from netralitas.monitoring.services import finding_confirm, snapshot_hash
from netralitas.reports.models import Evidence, ReporterIdentity
from netralitas.reports.services import EvidenceUpload, report_submit

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[3] / "docs" / "case-file.md"
WIB = ZoneInfo("Asia/Jakarta")
# Distinctive usernames and first names for the verifier, examiner and PPK personas: none of
# them may reach the file.
STAFF = {
    "verifier": ("vera.verifikator", "Veronika"),
    "examiner": ("edo.pemeriksa", "Edoardo"),
    "ppk": ("pak.ppk", "Pranoto"),
}
STAFF_NAMES = [name for pair in STAFF.values() for name in pair]


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"  # the file's labels are Indonesian regardless


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class World:
    case: Case  # closed after the whole walk, with two reports, a finding, two hearings
    evidence: Evidence  # the PNG of the second report
    finding: Finding


def _step(case: Case, action: str, actor: User, **fields) -> Case:
    return case_transition(
        case=case, action=action, actor=actor, note=f"Catatan {action}.", fields=fields
    )


@pytest.fixture
def world(case_factory, submission_factory, verifier, examiner, ppk, disdik, employee) -> World:
    for user in (verifier, examiner, ppk):
        username, first_name = STAFF[user.role]
        User.objects.filter(pk=user.pk).update(username=username, first_name=first_name)
    case = case_factory(CaseStatus.EXAMINATION)
    yesterday = local_today() - timedelta(days=1)
    # The reporter heard as such: the record exists, the name must not travel.
    case = _step(
        case,
        "add_clarification",
        examiner,
        held_on=yesterday,
        person_heard="Siti Aminah",
        capacity="reporter",
        summary="Pelapor menunjukkan tangkapan layar unggahan.",
    )
    case = _step(
        case,
        "add_clarification",
        examiner,
        held_on=yesterday,
        person_heard="Rahmat Hidayat",
        capacity="reported",
        summary="Terlapor mengakui unggahan tersebut.",
    )
    second, _ = report_submit(
        submission=submission_factory(
            reported_agency=disdik.name,
            description="Unggahan yang sama dibagikan ulang di grup WhatsApp kantor.",
            evidence_files=[
                EvidenceUpload(name="Siti Aminah 081234567890.png", file=io.BytesIO(png_bytes()))
            ],
            evidence_links=["https://www.facebook.com/rahmat.hidayat/posts/123"],
            reporter_name="Budi Pelapor",
            reporter_phone="081298765432",
            reporter_email="budi.pelapor@example.org",
        )
    )
    case_attach_report(case=case, report=second, actor=verifier)
    finding = _finding(employee)
    finding_confirm(finding=finding, actor=verifier, case=case, note="Sesuai laporan.")
    case = _step(case, "conclude_proven", examiner)
    kind = SanctionKind.objects.filter(
        employee_kind="PNS", category=case.suggested_sanction_category
    ).first()
    case = _step(case, "recommend", examiner, sanction_kind=kind)
    case = _step(case, "forward", examiner, target="ppk")
    case = _step(
        case,
        "decide",
        ppk,
        decision_number="800/123/BKPSDMD/2024",
        decision_date=local_today(),
        sanction_kind=kind,
    )
    case = _step(case, "close", verifier)
    finding.refresh_from_db()
    return World(case=case, evidence=second.evidence.get(kind="file"), finding=finding)


def _finding(employee) -> Finding:
    batch = ImportBatch.objects.create(filename="fb.jsonl", format="jsonl", sha256="1" * 64)
    post = Post.objects.create(
        key="export-test-1",
        source="jsonl",
        platform="facebook",
        author_name=employee.name,
        employee=employee,
        text="Ayo coblos nomor 2, pilihan terbaik untuk Babel!",
        posted_at=datetime(2024, 10, 14, 20, 15, tzinfo=WIB),
        batch=batch,
    )
    return Finding.objects.create(
        post=post,
        stance="support",
        score=0.91,
        targets=[{"kind": "candidate", "contest": "GUB", "ballot_number": 2, "name": "Pair 2"}],
        evidence=[{"start": 0, "end": 19, "text": "Ayo coblos nomor 2,", "why": "call to vote"}],
        detector_version="test-1",
        agency=employee.agency,
        posted_at=post.posted_at,
    )


def _validate(document: dict) -> None:
    validator = Draft202012Validator(case_file_schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def _download(client, user: User, number: str):
    client.force_login(user)
    return client.get(reverse("staff:case_file", args=[number]))


def _command(*args: str) -> str:
    out = StringIO()
    call_command("export_case", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _without_export_time(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


# --- the document -----------------------------------------------------------------------


def test_it_validates_a_whole_case_against_the_schema(world):
    document = case_file_export(case=world.case)
    _validate(document)
    assert (document["format"], document["version"]) == ("netralitas.case-file", 1)
    case = document["case"]
    assert case["status"] == {"code": "closed", "label": "Ditutup"}
    assert case["subject"]["employee"]["nip"] == "198507142010011001"
    assert case["subject"]["agency"]["code"] == world.case.agency.code
    assert case["ppk_decision"]["number"] == "800/123/BKPSDMD/2024"
    assert case["forwarding"]["target"]["code"] == "ppk"
    assert (
        case["sanction"]["recommended"]["kind"]["code"] == world.case.recommended_sanction_kind.code
    )
    assert case["violation_type"]["applied"]["code"] == world.case.violation_type.code


def test_it_validates_a_fresh_case_with_its_empty_fields_as_null(case_factory):
    document = case_file_export(case=case_factory(CaseStatus.VERIFICATION))
    _validate(document)
    case = document["case"]
    assert case["conclusion"] is None and case["forwarding"] is None
    assert case["ppk_decision"] is None and case["sanction"]["recommended"] is None
    assert document["clarifications"] == [] and document["findings"] == []


def test_it_writes_datetimes_with_the_offset_and_dates_as_plain_days(world):
    document = case_file_export(
        case=world.case, now=datetime(2024, 11, 1, 3, 0, tzinfo=ZoneInfo("UTC"))
    )
    assert document["exported_at"] == "2024-11-01T10:00:00+07:00"
    assert all(e["at"].endswith("+07:00") for e in document["timeline"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", document["case"]["incident_date"])


def test_it_never_exports_the_reporter_identity(world):
    text = case_file_json(case_file_export(case=world.case))
    identities = [
        identity.decrypted()
        for identity in ReporterIdentity.objects.filter(report__case=world.case)
    ]
    assert len(identities) == 2
    for identity in identities:
        for value in identity.values():
            assert value and value not in text, value
    for raw in ("Siti Aminah", "081234567890", "Budi Pelapor", "081298765432"):
        assert raw not in text, raw  # the phone as typed, whatever the stored form
    document = json.loads(text)
    reporter_heard = [c for c in document["clarifications"] if c["capacity"]["code"] == "reporter"]
    assert reporter_heard and reporter_heard[0]["person_heard"] is None
    assert [r["reporter_anonymous"] for r in document["reports"]] == [False, False]


def test_it_names_no_staff_account(world):
    text = case_file_json(case_file_export(case=world.case))
    for name in STAFF_NAMES:
        assert name not in text, name
    refs = {e["actor"]["ref"] for e in json.loads(text)["timeline"]}
    assert refs == {"staff-1", "staff-2", "staff-3"}  # verifier, examiner, PPK


def test_it_exports_the_whole_timeline_in_order(world, client, examiner):
    assert _download(client, examiner, world.case.number).status_code == 200  # an export
    document = case_file_export(case=world.case)
    events = list(
        CaseEvent.objects.filter(case=world.case).exclude(action="export").order_by("at", "id")
    )
    assert [(e["action"], e["at"]) for e in document["timeline"]] == [
        (event.action, event.at.astimezone(WIB).isoformat()) for event in events
    ]
    actions = [e["action"] for e in document["timeline"]]
    assert actions[0] == "open" and actions[-1] == "close"
    assert {"add_clarification", "attach_report", "attach_finding", "decide"} <= set(actions)
    times = [datetime.fromisoformat(e["at"]) for e in document["timeline"]]
    assert times == sorted(times)
    # One person, one pseudonym: every step of the examiner carries the same one.
    examiner_refs = {
        e["actor"]["ref"] for e in document["timeline"] if e["actor"]["role"] == "examiner"
    }
    assert len(examiner_refs) == 1
    decide = next(e for e in document["timeline"] if e["action"] == "decide")
    assert (decide["from_status"], decide["to_status"]) == ("forwarded", "decided")


def test_it_lists_evidence_by_hash_without_file_bytes_or_names(world):
    document = case_file_export(case=world.case)
    evidence = [item for report in document["reports"] for item in report["evidence"]]
    files = [item for item in evidence if item["kind"] == "file"]
    links = [item for item in evidence if item["kind"] == "link"]
    assert [f["sha256"] for f in files] == [hashlib.sha256(png_bytes()).hexdigest()]
    assert files[0]["sha256"] == world.evidence.sha256 and files[0]["extension"] == "png"
    assert links == [
        {
            "kind": "link",
            "sha256": None,
            "size": None,
            "content_type": None,
            "extension": None,
            "url": "https://www.facebook.com/rahmat.hidayat/posts/123",
            "added_at": links[0]["added_at"],
        }
    ]
    assert "original_name" not in case_file_json(document)


def test_it_keeps_the_finding_snapshot_verifiable(world):
    (finding,) = case_file_export(case=world.case)["findings"]
    assert finding["id"] == world.finding.pk
    assert finding["snapshot_sha256"] == snapshot_hash(finding["snapshot"])
    assert finding["review"]["status"]["code"] == "confirmed"
    assert finding["detector"]["evidence"][0]["why"] == "call to vote"


def test_it_reads_a_case_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        case_file_export(case=world.case)


# --- the command ------------------------------------------------------------------------


def test_it_writes_the_same_file_from_the_command_and_the_download(
    world, client, verifier, tmp_path
):
    response = _download(client, verifier, world.case.number)
    from_view = json.loads(response.content)
    target = tmp_path / "case.json"
    _command(world.case.number.lower(), "-o", str(target))
    from_file = json.loads(target.read_text(encoding="utf-8"))
    from_stdout = json.loads(_command(world.case.number))
    assert _without_export_time(from_view) == _without_export_time(from_file)
    assert _without_export_time(from_file) == _without_export_time(from_stdout)
    via = list(world.case.events.filter(action="export").values_list("data__via", flat=True))
    assert via == ["staff", "command", "command"]


def test_it_refuses_an_unknown_number_with_exit_1(db):
    with pytest.raises(CommandError) as failure:
        _command("KASUS-1999-99999")
    assert failure.value.returncode == 1
    assert "KASUS-1999-99999" in str(failure.value)


def test_it_reports_an_unknown_number_in_one_line_without_a_traceback(db, monkeypatch, capsys):
    from django.core.management import load_command_class

    # run_from_argv closes every connection afterwards, which would end the test's
    # transaction; the database is not what this test is about.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    command = load_command_class("netralitas.cases", "export_case")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["netralitas", "export_case", "KASUS-1999-99999"])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "KASUS-1999-99999" in captured.err and "Traceback" not in captured.err


# --- the download -----------------------------------------------------------------------

# fmt: off
DOWNLOAD = {
    "anonymous": "login", "outsider": 403, "verifier": 200, "examiner": 200, "ppk": 200,
    "ppk_other": 404, "bawaslu": 200, "agency_head": 403, "admin_user": 403,
}
# fmt: on


@pytest.mark.parametrize(("persona", "expected"), list(DOWNLOAD.items()))
def test_it_enforces_the_role_matrix_on_the_download(
    client, request, case_factory, persona, expected
):
    case = case_factory(CaseStatus.REGISTERED)
    events_before = case.events.count()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("staff:case_file", args=[case.number]))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, response.status_code
    if expected == 200:
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{case.number}.json"'
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert json.loads(response.content)["case"]["number"] == case.number
        assert case.events.count() == events_before + 1
    else:
        assert case.events.count() == events_before  # nothing recorded, nothing sent
        assert b"netralitas.case-file" not in response.content


def test_it_answers_404_to_a_ppk_outside_the_case_agency(client, ppk_other, case_factory):
    case = case_factory(CaseStatus.FORWARDED)
    response = _download(client, ppk_other, case.number)
    assert response.status_code == 404
    assert b'"format"' not in response.content


def test_it_answers_404_for_an_unknown_number(client, verifier):
    assert _download(client, verifier, "KASUS-1999-99999").status_code == 404


def test_it_records_the_download_without_changing_the_case(client, bawaslu, case_factory):
    case = case_factory(CaseStatus.EXAMINATION)
    before = Case.objects.values("status", "due_on", "status_changed_at").get(pk=case.pk)
    assert _download(client, bawaslu, case.number).status_code == 200
    assert Case.objects.values("status", "due_on", "status_changed_at").get(pk=case.pk) == before
    event = case.events.order_by("-at", "-id").first()
    assert (event.action, event.actor, event.actor_role) == ("export", bawaslu, "bawaslu")
    assert event.from_status == event.to_status == CaseStatus.EXAMINATION
    page = client.get(reverse("staff:case_detail", args=[case.number])).content.decode()
    assert "Case file exported" in page
    assert reverse("staff:case_file", args=[case.number]) in page


# --- schema and documentation agree -----------------------------------------------------


def _property_names(node: object) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_it_documents_every_field_status_and_action():
    docs = DOCS.read_text(encoding="utf-8")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    documented = set(re.findall(r"`([a-z0-9_]+)`", docs))
    assert _property_names(schema) - documented == set()
    assert set(CaseStatus.values) - documented == set()
    assert (set(TRANSITIONS) | set(EVENT_LABELS)) - documented == set()
