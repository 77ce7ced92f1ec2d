from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from netralitas.reports.models import Evidence, IdentityRevealLog, Report, ReporterIdentity
from netralitas.reports.selectors import report_public_status
from netralitas.reports.services import (
    EvidenceUpload,
    ReportInputError,
    report_dismiss,
    report_submit,
    reporter_identity_reveal,
)


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.django_db
def test_it_encrypts_the_reporter_identity_at_rest(submission_factory):
    report, created = report_submit(submission=submission_factory())
    assert created and not report.is_anonymous
    identity = ReporterIdentity.objects.get(report=report)
    raw = f"{identity.name_encrypted}{identity.phone_encrypted}{identity.email_encrypted}"
    assert "Siti" not in raw and "081234567890" not in raw and "example.org" not in raw
    assert identity.decrypted() == {
        "name": "Siti Aminah",
        "phone": "081234567890",
        "email": "siti@example.org",
    }


@pytest.mark.django_db
def test_it_files_anonymous_reports_without_an_identity_row(submission_factory):
    report, _ = report_submit(
        submission=submission_factory(reporter_name="", reporter_phone="", reporter_email="")
    )
    assert report.is_anonymous
    assert not ReporterIdentity.objects.filter(report=report).exists()


@pytest.mark.django_db
def test_it_reveals_identity_only_to_allowed_roles_and_logs_it(
    submission_factory, verifier, examiner, ppk, bawaslu, agency_head, admin_user, caplog
):
    report, _ = report_submit(submission=submission_factory())
    for user in (ppk, bawaslu, agency_head, admin_user):
        with pytest.raises(PermissionError):
            reporter_identity_reveal(report=report, user=user, reason="ingin tahu")
    assert IdentityRevealLog.objects.count() == 0
    with pytest.raises(ReportInputError):
        reporter_identity_reveal(report=report, user=verifier, reason=" ")
    with caplog.at_level(logging.INFO):
        identity = reporter_identity_reveal(
            report=report, user=verifier, reason="Konfirmasi kronologi"
        )
    assert identity["phone"] == "081234567890"
    # An examiner reaches the reporter only once the report is in a case.
    with pytest.raises(PermissionError):
        reporter_identity_reveal(report=report, user=examiner, reason="Undangan klarifikasi")
    from netralitas.cases.services import case_open_from_report

    case_open_from_report(report=report, actor=verifier)
    report.refresh_from_db()
    assert reporter_identity_reveal(report=report, user=examiner, reason="Undangan klarifikasi")
    logs = IdentityRevealLog.objects.filter(report=report)
    assert [log.user for log in logs.order_by("at")] == [verifier, examiner]
    assert "Siti" not in caplog.text and "081234567890" not in caplog.text


@pytest.mark.django_db
def test_it_never_shows_identity_in_the_public_status(submission_factory):
    report, _ = report_submit(submission=submission_factory())
    status = report_public_status(tracking_code=report.tracking_code)
    assert status.status == "received"
    assert "Siti" not in repr(status) and "0812" not in repr(status)


@pytest.mark.django_db
def test_it_finds_a_report_from_a_code_read_over_the_phone(submission_factory):
    report, _ = report_submit(submission=submission_factory())
    spoken = report.tracking_code.lower().replace("-", " ").replace("ntr ", "")
    assert report_public_status(tracking_code=spoken).tracking_code == report.tracking_code


@pytest.mark.django_db
def test_it_makes_one_report_of_a_double_submission(submission_factory):
    first, created = report_submit(submission=submission_factory(idempotency_key="abc123"))
    again, created_again = report_submit(submission=submission_factory(idempotency_key="abc123"))
    assert created and not created_again and first.pk == again.pk
    same_content, created3 = report_submit(submission=submission_factory())
    assert not created3 and same_content.pk == first.pk
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_it_stores_evidence_with_sniffed_type_size_and_hash(submission_factory):
    import hashlib

    data = png_bytes()
    report, _ = report_submit(
        submission=submission_factory(
            evidence_files=[EvidenceUpload(name="tangkapan layar.jpg", file=io.BytesIO(data))],
            evidence_links=["https://facebook.com/posts/1"],
        )
    )
    file_ev = Evidence.objects.get(report=report, kind="file")
    assert (file_ev.content_type, file_ev.size, file_ev.sha256) == (
        "image/png",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert file_ev.file.name.endswith(".png") and "tangkapan" not in file_ev.file.name
    assert file_ev.file.read() == data
    assert Evidence.objects.get(report=report, kind="link").url == "https://facebook.com/posts/1"


@pytest.mark.django_db
def test_it_keeps_nothing_when_one_file_is_rejected(submission_factory):
    with pytest.raises(ReportInputError) as exc:
        report_submit(
            submission=submission_factory(
                evidence_files=[
                    EvidenceUpload(name="ok.png", file=io.BytesIO(png_bytes())),
                    EvidenceUpload(
                        name="foto.jpg", file=io.BytesIO(b"<html><script>alert(1)</script></html>")
                    ),
                ]
            )
        )
    assert "evidence" in exc.value.errors
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0


@pytest.mark.django_db
def test_it_caps_the_number_of_files(submission_factory, settings):
    settings.EVIDENCE_MAX_FILES = 1
    with pytest.raises(ReportInputError):
        report_submit(
            submission=submission_factory(
                evidence_files=[
                    EvidenceUpload(name=f"{i}.png", file=io.BytesIO(png_bytes())) for i in range(2)
                ]
            )
        )


@pytest.mark.django_db
def test_it_derives_the_stage_from_the_incident_date(submission_factory):
    from datetime import date

    report, _ = report_submit(submission=submission_factory(incident_date=date(2024, 2, 12)))
    assert report.stage.kind == "quiet"
    report2, _ = report_submit(
        submission=submission_factory(
            incident_date=date(2024, 10, 1),
            description="Kampanye di grup WA kantor untuk paslon gubernur.",
        )
    )
    assert report2.stage.kind == "campaign" and report2.stage.election.kind == "pilkada"


@pytest.mark.django_db
def test_it_dismisses_only_new_reports_with_a_reason(new_report, verifier, examiner):
    with pytest.raises(PermissionError):
        report_dismiss(report=new_report, actor=examiner, reason="spam")
    with pytest.raises(ReportInputError):
        report_dismiss(report=new_report, actor=verifier, reason="")
    report_dismiss(report=new_report, actor=verifier, reason="Laporan ganda")
    assert report_public_status(tracking_code=new_report.tracking_code).status == "dismissed"
    with pytest.raises(ReportInputError):
        report_dismiss(report=new_report, actor=verifier, reason="lagi")


@pytest.mark.django_db
def test_it_never_returns_another_persons_report_for_a_reused_key(submission_factory):
    mine, _ = report_submit(submission=submission_factory(idempotency_key="1"))
    with pytest.raises(ReportInputError) as exc:
        report_submit(
            submission=submission_factory(
                idempotency_key="1",
                reported_name="Orang Lain",
                description="Laporan yang sama sekali berbeda dari orang lain di instansi lain.",
            )
        )
    assert "idempotency_key" in exc.value.errors
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_it_keeps_files_sent_with_a_repeated_submission(submission_factory):
    first, _ = report_submit(submission=submission_factory())
    png = png_bytes()
    again, created = report_submit(
        submission=submission_factory(
            evidence_files=[EvidenceUpload(name="bukti.png", file=io.BytesIO(png))],
            evidence_links=["https://x.com/status/1"],
        )
    )
    assert not created and again.pk == first.pk
    assert first.evidence.count() == 2
    # The same file once more adds nothing.
    report_submit(
        submission=submission_factory(
            evidence_files=[EvidenceUpload(name="bukti lagi.png", file=io.BytesIO(png))]
        )
    )
    assert first.evidence.count() == 2
