"""Indonesian first: the committed catalogue is complete and sound, and the pages and the
API speak Indonesian unless the browser asks for English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import netralitas

LOCALE = Path(netralitas.__file__).resolve().parent / "locale"
PO = LOCALE / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# %(name)s, %(n)d, %s, %% ... and str.format-style {name} / {0} / {}.
_PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
_BRACE = re.compile(r"\{[^{}\s]*\}")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(token: str) -> str:
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def parse_po(text: str) -> list[dict]:
    """A small PO reader (polib is not a dependency): one dict per entry."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        entry: dict = {
            "flags": set(),
            "msgid": None,
            "msgid_plural": None,
            "msgstr": {},
            "obsolete": False,
        }
        target = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                assert target is not None, block
                kind, index = target
                if kind == "msgstr":
                    entry["msgstr"][index] += _unquote(line)
                else:
                    entry[kind] += _unquote(line)
            else:
                match = re.match(
                    r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line
                )
                assert match, f"unreadable line in {PO.name}: {line!r}"
                keyword, index, value = match.groups()
                if keyword.startswith("msgstr"):
                    target = ("msgstr", int(index or 0))
                    entry["msgstr"][target[1]] = _unquote(value)
                else:
                    target = (keyword, None)
                    entry[keyword] = _unquote(value)
        entries.append(entry)
    return entries


def placeholders(text: str) -> set[str]:
    found = {p for p in _PERCENT.findall(text) if p != "%%"}
    return found | set(_BRACE.findall(text))


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    entries = parse_po(PO.read_text(encoding="utf-8"))
    return [e for e in entries if not e["obsolete"] and e["msgid"]]


def test_catalogue_is_committed_and_compiled():
    assert PO.is_file() and MO.is_file()
    header = parse_po(PO.read_text(encoding="utf-8"))[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: id\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"][0]


def test_catalogue_has_entries(catalogue):
    ids = {e["msgid"] for e in catalogue}
    assert {"Make a report", "Send the report", "Tracking code", "Verification"} <= ids


def test_no_fuzzy_or_empty_translations(catalogue):
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    empty = [
        e["msgid"]
        for e in catalogue
        if not e["msgstr"] or any(not s.strip() for s in e["msgstr"].values())
    ]
    assert not empty, f"untranslated entries: {empty}"


def test_plural_entries_have_exactly_one_form(catalogue):
    for e in catalogue:
        if e["msgid_plural"] is not None:
            assert set(e["msgstr"]) == {0}, e["msgid"]


def test_placeholders_are_kept(catalogue):
    wrong = []
    for e in catalogue:
        if e["msgid_plural"] is not None:
            # Indonesian has a single form, used for every count: it follows the plural.
            expected = placeholders(e["msgid"]) | placeholders(e["msgid_plural"])
        else:
            expected = placeholders(e["msgid"])
        for msgstr in e["msgstr"].values():
            if placeholders(msgstr) != expected:
                wrong.append((e["msgid"], msgstr))
    assert not wrong, f"placeholders differ: {wrong}"


def test_placeholder_helper():
    assert placeholders("At most %(n)d files of %(max_mb)s MB, 100%% {name} {}") == {
        "%(n)d",
        "%(max_mb)s",
        "{name}",
        "{}",
    }


# -- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_is_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="id"' in html
    assert "Buat laporan" in html
    assert "Kode pelacakan" in html
    assert "Make a report" not in html
    assert "Tracking code" not in html


@pytest.mark.django_db
def test_report_form_is_indonesian_by_default(client):
    response = client.get("/lapor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kirim laporan" in html
    assert "Siapa yang dilaporkan" in html
    assert "Send the report" not in html
    assert "Who is reported" not in html


@pytest.mark.django_db
def test_home_in_english_when_chosen_with_the_language_switch(client):
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Make a report" in html
    assert "Buat laporan" not in html


@pytest.mark.django_db
def test_report_form_in_english_when_chosen(client):
    client.cookies["django_language"] = "en"
    response = client.get("/lapor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Send the report" in html
    assert "Kirim laporan" not in html


@pytest.mark.django_db
def test_pages_stay_indonesian_for_an_english_browser(client):
    # Many office PCs run an English browser; the person chooses, not the browser.
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Buat laporan" in html and 'lang="id"' in html


@pytest.mark.django_db
def test_the_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Make a report" in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_language_falls_back_to_indonesian(client):
    client.cookies["django_language"] = "fr"
    html = client.get("/").content.decode()
    assert "Buat laporan" in html


# -- API -----------------------------------------------------------------------------------

REPORT_URL = "/api/v1/public/reports"
WITHOUT_NAME = {
    "incident_date": "2024-10-15",
    "violation_type": "KE-02",
    "description": "Mengunggah foto kampanye pasangan calon gubernur dengan ajakan memilih.",
}


@pytest.fixture
def _no_rate_limits(settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 0
    settings.PUBLIC_REPORT_RATE_LIMIT_PER_HOUR = 0


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limits")
def test_api_missing_field_error_is_indonesian_by_default(client):
    response = client.post(REPORT_URL, data=WITHOUT_NAME, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["reported_name"] == ["Kolom ini harus diisi."]


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limits")
def test_api_missing_field_error_in_english_on_request(client):
    response = client.post(
        REPORT_URL, data=WITHOUT_NAME, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["reported_name"] == ["This field is required."]


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limits")
def test_api_project_message_is_indonesian_by_default(client):
    response = client.get("/api/v1/public/reports/NTR-0000-0000-0000")
    assert response.status_code == 404
    assert response.json()["detail"] == "Tidak ada laporan dengan kode pelacakan ini."
