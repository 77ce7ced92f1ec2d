"""Import, author matching, scanning, clustering and review, against the database."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netralitas.cases.models import CaseStatus
from netralitas.monitoring.importers import ImportFormatError
from netralitas.monitoring.models import (
    Cluster,
    Finding,
    FindingStatus,
    ImportBatch,
    MatchMethod,
    Post,
)
from netralitas.monitoring.selectors import finding_export_rows, findings_queue, review_labels
from netralitas.monitoring.services import (
    FindingWrongState,
    MonitoringError,
    ReviewNotAllowed,
    finding_confirm,
    finding_dismiss,
    post_set_author,
    posts_import,
    posts_scan,
    snapshot_hash,
)
from netralitas.registry.models import ChatGroup, Employee, SocialAccount

FIXTURES = Path(__file__).parent / "fixtures"
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def staff(db, disdik):
    """Employees of the register with their accounts."""
    budi = Employee.objects.create(
        nip="198001012005011001", name="Drs. Budi Santoso", kind="PNS", agency=disdik
    )
    siti = Employee.objects.create(
        nip="198502022010012002", name="Siti Aminah", kind="PNS", agency=disdik
    )
    rudi = Employee.objects.create(name="Rudi Hartono", kind="NON_ASN", agency=disdik)
    SocialAccount.objects.create(employee=rudi, platform="whatsapp", phone="6281270010002")
    SocialAccount.objects.create(employee=rudi, platform="x", handle="rudi.h")
    SocialAccount.objects.create(employee=budi, platform="instagram", handle="budi.santoso")
    return {"budi": budi, "siti": siti, "rudi": rudi}


def import_fixture(name: str, **kwargs):
    return posts_import(path=FIXTURES / name, **kwargs)


def test_it_imports_a_whatsapp_export_and_matches_authors(staff):
    summary = import_fixture("wa_android_id.txt", group="Guru SDN 3")
    assert (summary.imported, summary.duplicates, summary.rejected) == (5, 0, 1)
    assert summary.errors == [
        {"line": 13, "error": "invalid date or time (day is out of range for month)"}
    ]
    posts = list(Post.objects.order_by("posted_at", "id"))
    matches = [(p.employee_id, p.match_method) for p in posts]
    assert matches == [
        (staff["budi"].pk, MatchMethod.NAME),  # "Budi Santoso" = "Drs. Budi Santoso"
        (staff["rudi"].pk, MatchMethod.PHONE),
        (staff["siti"].pk, MatchMethod.NAME),
        (staff["siti"].pk, MatchMethod.NAME),  # "Ibu Siti Aminah S.Pd": titles dropped
        (staff["rudi"].pk, MatchMethod.PHONE),
    ]
    group = ChatGroup.objects.get()
    assert group.name == "Guru SDN 3" and group.platform == "whatsapp"
    assert set(group.members.all()) == {staff["budi"], staff["siti"], staff["rudi"]}
    batch = ImportBatch.objects.get()
    assert batch.imported == 5 and batch.rejected == 1 and len(batch.sha256) == 64


def test_a_reimport_adds_nothing(staff):
    import_fixture("wa_android_id.txt", group="Guru SDN 3")
    again = import_fixture("wa_android_id.txt", group="Guru SDN 3")
    assert (again.imported, again.duplicates) == (0, 5)
    assert Post.objects.count() == 5
    telegram = import_fixture("telegram_chat.json")
    telegram_again = import_fixture("telegram_full.json")  # the same chat inside a full export
    assert telegram.imported == 4
    assert (telegram_again.imported, telegram_again.duplicates) == (1, 4)


def test_identical_messages_in_the_same_minute_are_both_kept(staff):
    summary = import_fixture("wa_ios_en.txt", group="Guru SDN 3")
    assert summary.imported == 4
    assert Post.objects.filter(text="Good evening").count() == 2
    assert import_fixture("wa_ios_en.txt", group="Guru SDN 3").imported == 0


def test_a_file_in_the_wrong_format_imports_nothing(staff, tmp_path):
    broken = tmp_path / "result.json"
    broken.write_text('{"name": "x", "messages": [{"id": 1,,}]}', encoding="utf-8")
    with pytest.raises(ImportFormatError):
        posts_import(path=broken, fmt="telegram")
    with pytest.raises(ImportFormatError):
        posts_import(path=FIXTURES / "posts.csv", fmt="telegram")
    assert Post.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_failure_midway_leaves_no_partial_import(staff, monkeypatch):
    from netralitas.monitoring import services

    calls = {"n": 0}
    real_store = services._store

    def store_then_fail(posts, summary):
        calls["n"] += 1
        real_store(posts, summary)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_store", store_then_fail)
    with pytest.raises(RuntimeError):
        import_fixture("posts.csv")
    assert calls["n"] == 1
    assert Post.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_handles_match_exactly_and_names_fuzzily_with_a_confidence(staff):
    import_fixture("x_search.json")
    by_handle = {p.author_handle: p for p in Post.objects.all()}
    assert by_handle["rudi.h"].employee == staff["rudi"]
    assert by_handle["rudi.h"].match_method == MatchMethod.HANDLE
    # "Budi Santoso" has no registered X account: exact name match
    assert by_handle["Budi_S"].employee == staff["budi"]
    assert by_handle["siti_a"].employee is None  # "Siti" alone names too many people
    Employee.objects.create(name="Sitti Aminah", kind="NON_ASN", agency=staff["siti"].agency)
    import_fixture("posts.jsonl")
    # "Rudi Hartono" on TikTok: exact name; "Budi" alone is too short to guess
    rows = {p.platform: p for p in Post.objects.filter(source="jsonl")}
    assert rows["tiktok"].employee == staff["rudi"]
    assert rows["youtube"].employee is None


def test_a_fuzzy_match_carries_its_confidence(staff, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"platform": "facebook", "author": "Budi Santosa", "text": "halo semua"}) + "\n",
        encoding="utf-8",
    )
    posts_import(path=path)
    post = Post.objects.get()
    assert post.employee == staff["budi"] and post.match_method == MatchMethod.FUZZY
    assert 0.88 <= post.match_confidence < 1.0


def test_namesakes_are_not_guessed(staff, disdik, tmp_path):
    Employee.objects.create(name="Siti Aminah", kind="NON_ASN", agency=disdik)
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"platform": "facebook", "author": "Siti Aminah", "text": "halo"}) + "\n",
        encoding="utf-8",
    )
    posts_import(path=path)
    assert Post.objects.get().employee is None


def scan_fixture(staff):
    import_fixture("wa_android_id.txt", group="Guru SDN 3")
    return posts_scan()


def test_scanning_flags_partisan_posts_once(staff):
    summary = scan_fixture(staff)
    assert summary.scanned == 5
    flagged = list(Finding.objects.select_related("post"))
    assert {f.post.text[:20] for f in flagged} == {"*Diteruskan*\nAyo bap", "Ayo bapak ibu, tgl 1"}
    finding = flagged[0]
    assert finding.stance == "support" and finding.score >= 0.5
    assert finding.targets[0]["name"] == "Prabowo–Gibran"
    assert any(e["why"] for e in finding.evidence)
    assert finding.agency == staff["rudi"].agency
    assert finding.stage is not None and finding.stage.kind == "campaign"
    assert finding.posted_at == finding.post.posted_at
    assert posts_scan().scanned == 0  # nothing left
    assert Post.objects.filter(scanned_at__isnull=True).count() == 0


def test_the_same_message_from_several_people_is_one_cluster(staff):
    scan_fixture(staff)
    findings = list(Finding.objects.select_related("post", "cluster"))
    assert len(findings) == 2
    cluster = findings[0].cluster
    assert cluster is not None and all(f.cluster == cluster for f in findings)
    cluster.refresh_from_db()
    assert cluster.size == 2 and cluster.authors == 2
    first = min(findings, key=lambda f: f.post.posted_at)
    assert cluster.first_post_id == first.post_id  # who posted first


def test_posts_far_apart_in_time_are_not_clustered(staff):
    scan_fixture(staff)
    Cluster.objects.all().delete()  # findings keep no cluster (SET_NULL)
    later = Post.objects.get(author_phone="6281270010002", text__startswith="Ayo")
    moved = later.posted_at + timedelta(days=30)
    Post.objects.filter(pk=later.pk).update(posted_at=moved)
    Finding.objects.filter(post=later).update(posted_at=moved)  # the finding keeps a copy
    from netralitas.monitoring.services import clusters_update

    assert clusters_update(finding_ids=Finding.objects.values_list("id", flat=True)) == 0


def test_confirming_opens_a_case_with_a_hashed_snapshot(staff, verifier):
    scan_fixture(staff)
    finding = Finding.objects.select_related("post").order_by("post__posted_at").first()
    confirmed = finding_confirm(finding=finding, actor=verifier)
    assert confirmed.status == FindingStatus.CONFIRMED
    case = confirmed.case
    assert case.status == CaseStatus.VERIFICATION
    assert case.employee == staff["siti"]
    assert case.violation_type.code in ("DS-06", "KE-04")
    assert confirmed.snapshot["text"] == finding.post.text
    assert confirmed.snapshot_sha256 == snapshot_hash(confirmed.snapshot)
    event = case.events.get()
    assert event.action == "open_from_finding"
    assert event.data["snapshot_sha256"] == confirmed.snapshot_sha256
    # the second finding joins the same case
    other = Finding.objects.exclude(pk=finding.pk).get()
    finding_confirm(finding=other, actor=verifier, case=case, stance="support")
    assert case.events.filter(action="attach_finding").count() == 1
    with pytest.raises(FindingWrongState):
        finding_confirm(finding=other, actor=verifier)


def test_dismissing_needs_a_reason_and_a_reviewer(staff, verifier, ppk):
    scan_fixture(staff)
    finding = Finding.objects.first()
    with pytest.raises(ReviewNotAllowed):
        finding_dismiss(finding=finding, actor=ppk, reason="not_partisan")
    with pytest.raises(MonitoringError):
        finding_dismiss(finding=finding, actor=verifier, reason="bosan")
    with pytest.raises(MonitoringError):
        finding_dismiss(finding=finding, actor=verifier, reason="other", note=" ")
    finding_dismiss(finding=finding, actor=verifier, reason="not_partisan")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISMISSED and finding.reviewed_by == verifier
    assert finding.case is None


def test_reviewer_decisions_export_as_labels(staff, verifier):
    scan_fixture(staff)
    first, second = Finding.objects.order_by("id")
    finding_confirm(finding=first, actor=verifier, stance="oppose")
    finding_dismiss(finding=second, actor=verifier, reason="not_partisan")
    labels = {row["id"]: row for row in review_labels()}
    assert labels[f"review-{first.pk}"]["stance"] == "oppose"
    assert labels[f"review-{second.pk}"]["stance"] == "none"
    assert labels[f"review-{second.pk}"]["partisan"] is False


def test_exported_findings_follow_the_documented_shape(staff):
    scan_fixture(staff)
    rows = list(finding_export_rows())
    assert len(rows) == 2
    assert set(rows[0]) == {"finding_id", "status", "stance", "score", "targets", "post"}
    assert set(rows[0]["post"]) == {"source", "external_id", "author", "text", "posted_at", "group"}
    assert rows[0]["post"]["group"] == "Guru SDN 3"
    assert rows[0]["post"]["author"] in {"Siti Aminah", "Rudi Hartono"}


def test_the_queue_filters_and_sorts(staff):
    scan_fixture(staff)
    assert findings_queue().count() == 2
    assert findings_queue(platform="x").count() == 0
    assert findings_queue(query="diteruskan").count() == 1
    newest = findings_queue(sort="newest").first()
    assert newest.post.posted_at == datetime(2024, 1, 15, 21, 10, tzinfo=WIB)


def test_a_reviewer_can_correct_the_author(staff, verifier):
    scan_fixture(staff)
    post = Post.objects.get(author_name="Siti Aminah", finding__isnull=False)
    post_set_author(post=post, employee=staff["budi"], actor=verifier)
    post.refresh_from_db()
    assert post.employee == staff["budi"] and post.match_method == MatchMethod.MANUAL


def test_near_duplicates_cluster_too(staff, tmp_path):
    rows = [
        (
            "Budi Santoso",
            "2024-01-20T08:00:00+07:00",
            "Bapak ibu guru, tgl 14 Feb coblos Prabowo-Gibran nomor 2, lanjutkan pembangunan!",
        ),
        (
            "Siti Aminah",
            "2024-01-20T09:30:00+07:00",
            "Selamat pagi. Bapak ibu guru, tgl 14 Feb coblos Prabowo-Gibran nomor 2, lanjutkan "
            "pembangunan!! sebarkan",
        ),
    ]
    path = tmp_path / "p.jsonl"
    path.write_text(
        "".join(
            json.dumps({"platform": "facebook", "author": a, "posted_at": t, "text": x}) + "\n"
            for a, t, x in rows
        ),
        encoding="utf-8",
    )
    posts_import(path=path)
    assert len(set(Post.objects.values_list("content_key", flat=True))) == 2  # not exact copies
    summary = posts_scan()
    assert summary.flagged == 2 and summary.clustered == 2
    cluster = Cluster.objects.get()
    assert cluster.size == 2 and cluster.first_post.author_name == "Budi Santoso"


def test_namesakes_are_told_apart_by_the_group_they_post_in(staff, disdik, tmp_path):
    other_siti = Employee.objects.create(name="Siti Aminah", kind="NON_ASN", agency=disdik)
    first = ChatGroup.objects.create(platform="whatsapp", name="Guru", external_id="Guru")
    first.members.add(staff["siti"])
    second = ChatGroup.objects.create(platform="whatsapp", name="Honorer", external_id="Honorer")
    second.members.add(other_siti)
    path = tmp_path / "p.jsonl"
    path.write_text(
        "".join(
            json.dumps({"platform": "whatsapp", "author": "Siti Aminah", "text": t, "group": g})
            + "\n"
            for t, g in [("rapat jam 8", "Guru"), ("rapat jam 9", "Honorer")]
        ),
        encoding="utf-8",
    )
    posts_import(path=path)
    by_group = {p.group.name: p for p in Post.objects.select_related("group")}
    assert by_group["Guru"].employee == staff["siti"]
    assert by_group["Honorer"].employee == other_siti


def test_copies_scanned_in_separate_batches_grow_one_cluster(staff, tmp_path):
    message = "Bapak ibu, tgl 14 coblos Prabowo-Gibran nomor 2 ya! lanjutkan"
    rows = [
        ("Rudi Hartono", "2024-01-20T10:00:00+07:00"),
        ("Budi Santoso", "2024-01-20T08:00:00+07:00"),  # the first poster, listed second
        ("Siti Aminah", "2024-01-21T09:00:00+07:00"),
        ("Budi Santoso", "2024-01-22T07:00:00+07:00"),  # same author again
        ("Rudi Hartono", "2024-02-10T07:00:00+07:00"),  # weeks later: a cluster of its own
    ]
    path = tmp_path / "p.jsonl"
    path.write_text(
        "".join(
            json.dumps({"platform": "facebook", "author": a, "posted_at": t, "text": message})
            + "\n"
            for a, t in rows
        ),
        encoding="utf-8",
    )
    posts_import(path=path)
    summary = posts_scan(size=1)  # one post per batch: every copy meets the cluster as it is
    assert summary.flagged == 5
    cluster = Cluster.objects.get()
    assert cluster.size == 4
    assert cluster.authors == 3  # recounted once the run is over
    assert cluster.first_post.author_name == "Budi Santoso"
    assert cluster.first_posted_at == datetime(2024, 1, 20, 8, tzinfo=WIB)
    assert cluster.last_posted_at == datetime(2024, 1, 22, 7, tzinfo=WIB)
    assert not cluster.needs_refresh
    late = Finding.objects.get(post__posted_at=datetime(2024, 2, 10, 7, tzinfo=WIB))
    assert late.cluster is None


def test_the_register_is_matched_as_the_personnel_office_wrote_it(db, disdik, tmp_path):
    lurah = Employee.objects.create(name="Agus Salim, S.Sos.", kind="PNS", agency=disdik)
    camat = Employee.objects.create(name="Rizal Effendi, S.STP., M.Si.", kind="PNS", agency=disdik)
    guru = Employee.objects.create(name="Hendri Saputra, S.Pd.", kind="PNS", agency=disdik)
    # Phones and handles as a spreadsheet holds them, not in the exports' normal form.
    SocialAccount.objects.create(employee=guru, platform="whatsapp", phone="0813-6770-2215")
    SocialAccount.objects.create(employee=camat, platform="x", handle="@Rizal_Effendi")
    path = tmp_path / "p.jsonl"
    rows = [
        {"platform": "whatsapp", "author_phone": "+62 813-6770-2215", "text": "siap"},
        {"platform": "whatsapp", "author": "Agus Salim", "text": "data DPT sudah diserahkan"},
        {"platform": "x", "author": "Pak Camat", "author_handle": "rizal_effendi", "text": "ok"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    posts_import(path=path)
    matched = {p.text: (p.employee, p.match_method) for p in Post.objects.all()}
    assert matched["siap"] == (guru, MatchMethod.PHONE)
    assert matched["data DPT sudah diserahkan"] == (lurah, MatchMethod.NAME)
    assert matched["ok"] == (camat, MatchMethod.HANDLE)
