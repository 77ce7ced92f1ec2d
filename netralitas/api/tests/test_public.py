"""The public API: filing a report (JSON and multipart), tracking it, and refusing
everything else with a 400 that names the field - never a 5xx."""

from __future__ import annotations

import hashlib
import io
import json
import random
import types
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from netralitas.core import ratelimit
from netralitas.core.timeutil import local_today
from netralitas.reports.models import Channel, Evidence, EvidenceKind, Report, ReporterIdentity
from netralitas.reports.tracking import new_tracking_code

URL = "/api/v1/public/reports"
TYPES_URL = "/api/v1/public/violation-types"
REQUIRED = ("reported_name", "incident_date", "violation_type", "description")

REPORTER = {"name": "Siti Aminah", "phone": "0812-3456-7890", "email": "siti.aminah@example.org"}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Limits get their own tests below; everywhere else they would only add noise.
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 0
    settings.PUBLIC_REPORT_RATE_LIMIT_PER_HOUR = 0


def _valid(**overrides) -> dict:
    body = {
        "reported_name": "Rahmat Hidayat",
        "reported_agency": "Dinas Pendidikan",
        "incident_date": "2024-10-15",
        "incident_place": "Facebook",
        "violation_type": "KE-02",
        "description": "Mengunggah foto kampanye pasangan calon gubernur dengan ajakan memilih.",
        "evidence_links": ["https://www.facebook.com/rahmat.hidayat/posts/123"],
        "reporter": dict(REPORTER),
    }
    body.update(overrides)
    return body


def _without(field: str) -> dict:
    body = _valid()
    del body[field]
    return body


def _post_json(client, body, **headers):
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL, data=raw, content_type="application/json", headers=headers)


def _form_fields(**overrides) -> dict:
    """The multipart flavour: flat reporter_* fields, links repeated."""
    body = _valid()
    reporter = body.pop("reporter")
    body.update({f"reporter_{k}": v for k, v in reporter.items()})
    body.update(overrides)
    return body


def _png(width: int = 32, height: int = 24) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- violation types --------------------------------------------------------


def test_it_lists_the_violation_types(client, db):
    response = client.get(TYPES_URL)
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert {"KE-01", "KE-07", "DS-01", "DS-13"} <= set(rows)
    assert set(rows["KE-02"]) >= {"code", "name", "legal_basis", "sanction_category", "category"}
    assert all(row["name"] and row["legal_basis"] for row in rows.values())


# --- filing -----------------------------------------------------------------


def test_it_files_a_json_report(client, db):
    response = _post_json(client, _valid())
    assert response.status_code == 201, response.content
    out = response.json()
    assert set(out) == {"tracking_code", "status", "status_url"}
    assert out["status"] == "received"
    assert out["status_url"].endswith(f"/api/v1/public/reports/{out['tracking_code']}")
    report = Report.objects.get(tracking_code=out["tracking_code"])
    assert report.channel == Channel.API
    assert report.reported_name == "Rahmat Hidayat"
    assert list(report.violation_types.values_list("code", flat=True)) == ["KE-02"]
    assert report.evidence.get().url == "https://www.facebook.com/rahmat.hidayat/posts/123"
    assert not report.is_anonymous
    assert ReporterIdentity.objects.filter(report=report).exists()


def test_it_files_an_anonymous_report_with_only_the_required_fields(client, db):
    body = {k: _valid()[k] for k in REQUIRED}
    response = _post_json(client, body)
    assert response.status_code == 201, response.content
    report = Report.objects.get(tracking_code=response.json()["tracking_code"])
    assert report.is_anonymous
    assert not ReporterIdentity.objects.filter(report=report).exists()


def test_it_treats_nulls_in_optional_fields_as_absent(client, db):
    body = _valid(reported_agency=None, incident_place=None, evidence_links=None, reporter=None)
    assert _post_json(client, body).status_code == 201


def test_it_files_a_multipart_report_with_a_photo(client, db):
    png = _png()
    fields = _form_fields(evidence=_upload("bukti.jpg", png, "image/jpeg"))
    response = client.post(URL, data=fields)  # the test client encodes it as multipart
    assert response.status_code == 201, response.content
    report = Report.objects.get(tracking_code=response.json()["tracking_code"])
    evidence = Evidence.objects.get(report=report, kind=EvidenceKind.FILE)
    # The browser said JPEG and the name says .jpg: the bytes say PNG, and win.
    assert evidence.content_type == "image/png"
    assert evidence.extension == "png"
    assert evidence.size == len(png)
    assert evidence.sha256 == hashlib.sha256(png).hexdigest()
    assert evidence.original_name == "bukti.jpg"
    with evidence.file.open("rb") as stored:
        assert stored.read() == png
    assert Evidence.objects.filter(report=report, kind=EvidenceKind.LINK).count() == 1
    assert not report.is_anonymous


def test_it_takes_several_files_and_links_in_one_multipart_report(client, db):
    files = [_upload(f"foto{i}.png", _png(10 + i, 10)) for i in range(3)]
    links = ["https://x.com/a/status/1", "https://www.instagram.com/p/abc/"]
    response = client.post(URL, data=_form_fields(evidence=files, evidence_links=links))
    assert response.status_code == 201, response.content
    report = Report.objects.get(tracking_code=response.json()["tracking_code"])
    assert report.evidence.filter(kind=EvidenceKind.FILE).count() == 3
    assert sorted(
        report.evidence.filter(kind=EvidenceKind.LINK).values_list("url", flat=True)
    ) == sorted(links)


def test_it_returns_the_same_report_for_a_retry_with_the_same_idempotency_key(client, db):
    first = _post_json(client, _valid(), **{"Idempotency-Key": "retry-7f3a"})
    retry = _post_json(client, _valid(), **{"Idempotency-Key": "retry-7f3a"})
    assert first.status_code == 201 and retry.status_code == 201
    assert retry.json()["tracking_code"] == first.json()["tracking_code"]
    assert Report.objects.count() == 1


def test_it_refuses_a_key_reused_for_other_content(client, db):
    first = _post_json(client, _valid(), **{"Idempotency-Key": "retry-7f3a"})
    other = _post_json(
        client,
        _valid(description="Isi yang berbeda dari orang lain yang kebetulan memakai kunci sama."),
        **{"Idempotency-Key": "retry-7f3a"},
    )
    assert other.status_code == 400 and "idempotency_key" in other.json()["errors"]
    assert first.json()["tracking_code"] not in other.content.decode()
    assert Report.objects.count() == 1


def test_it_files_two_reports_under_two_keys(client, db):
    first = _post_json(client, _valid(), **{"Idempotency-Key": "key-one"})
    second = _post_json(
        client,
        _valid(description="Laporan kedua tentang unggahan lain yang berisi ajakan memilih."),
        **{"Idempotency-Key": "key-two"},
    )
    assert first.json()["tracking_code"] != second.json()["tracking_code"]
    assert Report.objects.count() == 2


def test_it_makes_one_report_of_an_identical_resubmission_without_a_key(client, db):
    first = _post_json(client, _valid())
    second = _post_json(client, _valid())
    assert second.status_code == 201
    assert second.json()["tracking_code"] == first.json()["tracking_code"]
    assert Report.objects.count() == 1


# --- tracking ---------------------------------------------------------------


def test_it_shows_the_status_of_a_report(client, db):
    created = _post_json(client, _valid()).json()
    response = client.get(f"{URL}/{created['tracking_code']}")
    assert response.status_code == 200
    out = response.json()
    assert set(out) == {"tracking_code", "status", "status_label", "submitted_at", "timeline"}
    assert out["tracking_code"] == created["tracking_code"]
    assert out["status"] == "received"
    assert out["status_label"]
    assert isinstance(out["timeline"], list) and out["timeline"]
    for entry in out["timeline"]:
        assert set(entry) == {"at", "status", "note"}


def test_it_finds_a_report_from_a_code_typed_sloppily(client, db):
    code = _post_json(client, _valid()).json()["tracking_code"]
    sloppy = code.lower().replace("-", " ").replace("ntr ", "")
    response = client.get(f"{URL}/{sloppy}")
    assert response.status_code == 200
    assert response.json()["tracking_code"] == code


def test_it_never_shows_the_reporter_in_the_status(client, db):
    code = _post_json(client, _valid()).json()["tracking_code"]
    response = client.get(f"{URL}/{code}")
    text = response.content.decode()
    for value in ("Siti", "Aminah", "0812", "3456", "7890", "siti.aminah", "example.org"):
        assert value not in text
    assert "reporter" not in text


def test_it_reports_the_case_status_once_a_case_is_opened(client, case_factory):
    case = case_factory("registered")
    code = case.reports.get().tracking_code
    out = client.get(f"{URL}/{code}").json()
    assert out["status"] == "examination"
    assert len(out["timeline"]) >= 2
    assert "Siti" not in json.dumps(out)


def test_it_answers_404_for_an_unknown_code(client, db):
    response = client.get(f"{URL}/{new_tracking_code()}")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "code",
    ["NTR-0000-0000-0001", "hello", "x" * 300, "NTR-ABCD", "%00", "'; DROP TABLE x;--", "ÄÖÜ"],
)
def test_it_answers_404_for_a_malformed_code(client, db, code):
    response = client.get(f"{URL}/{code}")
    assert response.status_code == 404


# --- bad input --------------------------------------------------------------


def _future() -> dict:
    return _valid(incident_date=(local_today() + timedelta(days=1)).isoformat())


# (case, body as dict/bytes/str or a callable making one, field key expected in errors)
BAD_JSON = [
    *[(f"missing {f}", lambda f=f: _without(f), f) for f in REQUIRED],
    *[(f"null {f}", lambda f=f: _valid(**{f: None}), f) for f in REQUIRED],
    *[(f"empty {f}", lambda f=f: _valid(**{f: ""}), f) for f in REQUIRED],
    ("incident date in the future", _future, "incident_date"),
    ("incident date as dd/mm/yyyy", _valid(incident_date="15/10/2024"), "incident_date"),
    ("incident date not a date", _valid(incident_date="2024-02-30"), "incident_date"),
    ("incident date with a time", _valid(incident_date="2024-10-15T10:00:00"), "incident_date"),
    ("incident date a century ago", _valid(incident_date="1924-10-15"), "incident_date"),
    ("unknown violation type", _valid(violation_type="KE-99"), "violation_type"),
    ("violation type by name", _valid(violation_type="Kampanye"), "violation_type"),
    ("description of 19 characters", _valid(description="x" * 19), "description"),
    ("description of 5001 characters", _valid(description="x" * 5001), "description"),
    ("description of whitespace", _valid(description=" " * 40), "description"),
    ("links not a list", _valid(evidence_links="https://example.org/post"), "evidence_links"),
    ("links an object", _valid(evidence_links={"url": "https://example.org"}), "evidence_links"),
    ("links of numbers", _valid(evidence_links=[1, 2]), "evidence_links"),
    ("ftp link", _valid(evidence_links=["ftp://example.org/bukti.jpg"]), "evidence_links"),
    ("javascript link", _valid(evidence_links=["javascript:alert(1)"]), "evidence_links"),
    ("link without a host", _valid(evidence_links=["https://"]), "evidence_links"),
    (
        "eleven links",
        _valid(evidence_links=[f"https://e.org/{i}" for i in range(11)]),
        "evidence_links",
    ),
    (
        "link of 2000 characters",
        _valid(evidence_links=["https://e.org/" + "a" * 2000]),
        "evidence_links",
    ),
    ("reporter a string", _valid(reporter="Siti Aminah"), "reporter"),
    ("reporter a list", _valid(reporter=["Siti", "0812"]), "reporter"),
    ("reporter an empty list", _valid(reporter=[]), "reporter"),
    ("reporter false", _valid(reporter=False), "reporter"),
    ("reporter a number", _valid(reporter=0), "reporter"),
    (
        "reporter phone not a mobile",
        _valid(reporter={**REPORTER, "phone": "12345"}),
        "reporter.phone",
    ),
    (
        "reporter phone a landline",
        _valid(reporter={**REPORTER, "phone": "0717-421234"}),
        "reporter.phone",
    ),
    (
        "reporter phone with letters",
        _valid(reporter={**REPORTER, "phone": "0812abc45678"}),
        "reporter.phone",
    ),
    (
        "reporter phone a number",
        _valid(reporter={**REPORTER, "phone": 6281234567890}),
        "reporter.phone",
    ),
    ("reporter email bad", _valid(reporter={**REPORTER, "email": "siti@"}), "reporter.email"),
    (
        "reporter email no at",
        _valid(reporter={**REPORTER, "email": "siti.example.org"}),
        "reporter.email",
    ),
    ("reporter name an object", _valid(reporter={"name": {"first": "Siti"}}), "reporter.name"),
    ("reporter name a list", _valid(reporter={"name": ["Siti"]}), "reporter.name"),
    ("body not JSON", b"{reported_name: 'x'", "body"),
    ("body truncated JSON", json.dumps(_valid())[:-5], "body"),
    ("body a JSON list", b'[{"reported_name": "x"}]', "body"),
    ("body a JSON string", b'"reported_name"', "body"),
    ("body a JSON number", b"42", "body"),
    ("body JSON null", b"null", "body"),
    ("empty body", b"", "body"),
    ("body not UTF-8", b'{"reported_name": "\xff\xfe"}', "body"),
    ("body nested past the parser's depth", b"[" * 100_000 + b"]" * 100_000, "body"),
    ("body over the upload limit", json.dumps(_valid(description="x" * 3_000_000)), "body"),
    ("huge reported name", _valid(reported_name="x" * 100_000), "reported_name"),
    ("huge agency", _valid(reported_agency="x" * 100_000), "reported_agency"),
    ("huge place", _valid(incident_place="x" * 100_000), "incident_place"),
    ("huge description", _valid(description="x" * 1_000_000), "description"),
    ("huge violation type", _valid(violation_type="K" * 100_000), "violation_type"),
    ("huge date", _valid(incident_date="2" * 100_000), "incident_date"),
    ("huge reporter name", _valid(reporter={"name": "x" * 100_000}), "reporter.name"),
    ("huge reporter phone", _valid(reporter={"phone": "0" * 100_000}), "reporter.phone"),
    ("huge reporter email", _valid(reporter={"email": "a" * 100_000 + "@e.org"}), "reporter.email"),
    ("reported name a number", _valid(reported_name=12345), "reported_name"),
    ("reported name true", _valid(reported_name=True), "reported_name"),
    ("reported name an object", _valid(reported_name={"name": "Rahmat"}), "reported_name"),
    ("reported name a list", _valid(reported_name=["Rahmat"]), "reported_name"),
    ("agency a list", _valid(reported_agency=["Dinas Pendidikan"]), "reported_agency"),
    ("place a number", _valid(incident_place=7), "incident_place"),
    ("date a number", _valid(incident_date=20241015), "incident_date"),
    ("date an object", _valid(incident_date={"y": 2024, "m": 10, "d": 15}), "incident_date"),
    ("violation type a number", _valid(violation_type=2), "violation_type"),
    ("violation type an object", _valid(violation_type={"code": "KE-02"}), "violation_type"),
    ("violation type a list", _valid(violation_type=["KE-02"]), "violation_type"),
    ("description a long number", _valid(description=10**30), "description"),
    ("description an object", _valid(description={"text": "x" * 40}), "description"),
    ("description a list of text", _valid(description=["x" * 40]), "description"),
]


@pytest.mark.parametrize(
    ("body", "field"), [(b, f) for _, b, f in BAD_JSON], ids=[c for c, _, _ in BAD_JSON]
)
def test_it_refuses_bad_json_input_naming_the_field(client, db, body, field):
    if callable(body):
        body = body()
    response = _post_json(client, body)
    assert response.status_code == 400, response.content[:500]
    errors = response.json()["errors"]
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert not Report.objects.exists()


def test_it_names_every_bad_field_at_once(client, db):
    body = {"incident_date": "kemarin", "description": "pendek", "reporter": {"email": "x"}}
    errors = _post_json(client, body).json()["errors"]
    assert {"reported_name", "incident_date", "violation_type", "description"} <= set(errors)
    assert "reporter.email" in errors


def test_it_refuses_a_multipart_report_missing_a_field(client, db):
    fields = _form_fields()
    del fields["violation_type"]
    response = client.post(URL, data=fields)
    assert response.status_code == 400
    assert "violation_type" in response.json()["errors"]


def test_it_refuses_an_html_file_named_like_a_photo(client, db):
    html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
    response = client.post(URL, data=_form_fields(evidence=_upload("foto.jpg", html, "image/jpeg")))
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
    assert not Report.objects.exists()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",  # empty
        b"MZ\x90\x00" + b"\x00" * 100,  # a Windows executable
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # a PNG signature on garbage
    ],
    ids=["empty", "exe", "svg", "fake-png"],
)
def test_it_refuses_files_that_are_not_accepted_evidence(client, db, content):
    response = client.post(URL, data=_form_fields(evidence=_upload("bukti.png", content)))
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]


def test_it_refuses_too_many_files(client, db, settings):
    files = [
        _upload(f"foto{i}.png", _png(8 + i, 8)) for i in range(settings.EVIDENCE_MAX_FILES + 1)
    ]
    response = client.post(URL, data=_form_fields(evidence=files))
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
    assert not Report.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(client, db, settings):
    png = _png(64, 64)
    settings.EVIDENCE_MAX_BYTES = len(png) - 1
    response = client.post(URL, data=_form_fields(evidence=_upload("besar.png", png)))
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
    assert not Report.objects.exists()


def test_it_keeps_nothing_when_one_of_several_files_is_bad(client, db):
    files = [_upload("ok.png", _png()), _upload("bad.jpg", b"<html></html>", "image/jpeg")]
    response = client.post(URL, data=_form_fields(evidence=files))
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert not Evidence.objects.exists()


def test_it_refuses_a_multipart_body_without_a_boundary(client, db):
    response = client.post(URL, data=b"--x\r\n\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "body" in response.json()["errors"]


def test_it_refuses_a_cut_off_multipart_body(client, db):
    body = (
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="evidence"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + _png()[:20]
    )
    response = client.post(URL, data=body, content_type="multipart/form-data; boundary=BOUNDARY")
    assert response.status_code == 400


# --- never a 5xx --------------------------------------------------------------

_FIELDS = [*REQUIRED, "reported_agency", "incident_place", "evidence_links", "reporter", "extra"]


def _random_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(10 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 2**63, 10**40, 3.14, float("1e308")])
    if kind == 3:
        alphabet = "aZ09 -_/:.@\n\t\u00e9\u4e2d\U0001f600'\"\\<>&%\x00"
        return "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 19, 20, 200, 6000])))
    if kind == 4:
        return rng.choice(
            [
                "KE-02",
                "DS-13",
                "2024-10-15",
                "2099-01-01",
                "https://e.org/x",
                "javascript:x",
                "0812345678",
            ]
        )
    if kind == 5:
        return "x" * rng.choice([5000, 5001, 70_000])
    if kind in (6, 7):
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {
        rng.choice([*_FIELDS, "name", "phone", "email"]): _random_value(rng, depth + 1)
        for _ in range(3)
    }


def _random_body(rng: random.Random) -> dict:
    body = _valid()
    for field in rng.sample(_FIELDS, rng.randrange(1, 4)):
        if rng.random() < 0.2:
            body.pop(field, None)
        else:
            body[field] = _random_value(rng)
    return body


def _check_never_a_server_error(response) -> None:
    assert response.status_code < 500, response.content[:500]
    assert response.status_code in (201, 400), response.content[:500]
    if response.status_code == 400:
        errors = response.json()["errors"]
        assert errors and all(isinstance(v, list) and v for v in errors.values())


def test_it_never_fails_with_a_server_error_on_random_bodies(client, db):
    rng = random.Random(20241127)
    for _ in range(200):
        body = _random_body(rng)
        _check_never_a_server_error(_post_json(client, json.dumps(body)))


def test_it_never_fails_with_a_server_error_on_random_bytes(client, db):
    rng = random.Random(7)
    for _ in range(50):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(300)))
        content_type = rng.choice(["application/json", "text/plain", "application/octet-stream"])
        response = client.post(URL, data=raw, content_type=content_type)
        _check_never_a_server_error(response)


try:  # Hypothesis explores further when the environment has it; the seeded loops above always run.
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - depends on the environment
    st = None

if st is not None:
    _json_leaf = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=300)
    )
    _json = st.recursive(
        _json_leaf,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=4)
        ),
        max_leaves=12,
    )

    @hypothesis_settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(overrides=st.dictionaries(st.sampled_from(_FIELDS), _json, max_size=4))
    def test_it_never_fails_with_a_server_error_under_hypothesis(client, db, overrides):
        _check_never_a_server_error(_post_json(client, json.dumps({**_valid(), **overrides})))


# --- rate limits --------------------------------------------------------------


@pytest.fixture
def _frozen_window(monkeypatch):
    # A fixed clock for the limiter only, so the test cannot straddle two windows.
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_730_000_000.0))


def test_it_limits_reads_per_minute(client, db, settings, _frozen_window):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 3
    code = new_tracking_code()
    statuses = [
        client.get(TYPES_URL).status_code,
        client.get(f"{URL}/{code}").status_code,
        client.get(TYPES_URL).status_code,
    ]
    assert statuses == [200, 404, 200]
    response = client.get(TYPES_URL)
    assert response.status_code == 429
    assert "detail" in response.json()
    assert client.get(f"{URL}/{code}").status_code == 429
    # Another address has its own count.
    assert client.get(TYPES_URL, REMOTE_ADDR="192.0.2.10").status_code == 200


def test_it_limits_reports_per_hour(client, db, settings, _frozen_window):
    settings.PUBLIC_REPORT_RATE_LIMIT_PER_HOUR = 2
    assert _post_json(client, _valid()).status_code == 201
    assert _post_json(client, b"not json").status_code == 400  # a refused body still counts
    response = _post_json(
        client, _valid(description="Laporan ketiga dalam satu jam dari alamat yang sama ini.")
    )
    assert response.status_code == 429
    assert "detail" in response.json()
    assert Report.objects.count() == 1
    assert client.post(URL, data=_form_fields(), REMOTE_ADDR="192.0.2.11").status_code == 201


def test_it_starts_a_fresh_count_in_the_next_window(client, db, settings, monkeypatch):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 1
    now = [1_730_000_000.0]
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: now[0]))
    assert client.get(TYPES_URL).status_code == 200
    assert client.get(TYPES_URL).status_code == 429
    now[0] += 60
    assert client.get(TYPES_URL).status_code == 200
