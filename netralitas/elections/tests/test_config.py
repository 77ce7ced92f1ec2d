"""Tests for the pure configuration loaders; no Django and no database needed.

Run alone with ``pytest netralitas/elections/tests/test_config.py -p no:django``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from netralitas.elections.config import (
    DEFAULT_ELECTIONS_PATH,
    ConfigError,
    load_election_config,
)
from netralitas.elections.reference_config import (
    DEFAULT_DEADLINES_PATH,
    load_agency_config,
    load_deadline_config,
    load_violation_config,
)

PEMILU_2024_PARTY_NUMBERS = {
    "PKB": 1, "GERINDRA": 2, "PDIP": 3, "GOLKAR": 4, "NASDEM": 5, "BURUH": 6, "GELORA": 7,
    "PKS": 8, "PKN": 9, "HANURA": 10, "GARUDA": 11, "PAN": 12, "PBB": 13, "DEMOKRAT": 14,
    "PSI": 15, "PERINDO": 16, "PPP": 17, "UMMAT": 24,
}  # fmt: skip

# A small valid elections file; each broken-file test changes one thing in it.
VALID_ELECTIONS = """\
version: "test.1"
parties:
  - {code: AAA, number: 1, name: Partai A}
  - {code: BBB, number: 2, name: Partai B}
elections:
  - code: pilkada-uji
    name: Pilkada Uji
    name_en: Test election
    kind: pilkada
    voting_date: 2024-11-27
    stages:
      - {code: campaign, kind: campaign, name: Masa kampanye, start: 2024-09-25, end: 2024-11-23}
      - {code: voting, kind: voting, name: Pemungutan suara, start: 2024-11-27, end: 2024-11-27}
    contests:
      - code: pilbup-uji
        name: Pemilihan Bupati Uji
        office: regent
        area: "19.01"
        candidates_set_on: 2024-09-22
        pairs:
          - {number: 1, names: [Calon Satu, Wakil Satu], label: Satu, parties: [AAA]}
          - {number: 2, names: [Calon Dua, Wakil Dua], label: Dua, parties: [BBB]}
"""
CONTEST = "elections[0] (pilkada-uji).contests[0] (pilbup-uji)"


def _write(tmp_path: Path, text: str, name: str = "elections.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _broken(tmp_path: Path, old: str, new: str) -> ConfigError:
    """Load VALID_ELECTIONS with ``old`` replaced by ``new``; return the error raised."""
    assert old in VALID_ELECTIONS, old
    path = _write(tmp_path, VALID_ELECTIONS.replace(old, new, 1))
    with pytest.raises(ConfigError) as info:
        load_election_config(path)
    assert str(path) in str(info.value)
    return info.value


def _has_problem(error: ConfigError, entry: str, *fragments: str) -> bool:
    return any(
        problem.startswith(entry + ":") and all(f in problem for f in fragments)
        for problem in error.problems
    )


# --------------------------------------------------------------------------- packaged files


def test_it_loads_the_packaged_files():
    elections = load_election_config()
    assert elections.path == str(DEFAULT_ELECTIONS_PATH)
    assert elections.version and {e.code for e in elections.elections} == {
        "pemilu-2024",
        "pilkada-2024",
    }
    assert len(load_violation_config().violation_types) == 20
    assert load_deadline_config().deadlines
    assert load_agency_config().agencies[0].code == "19"


def test_it_has_the_three_presidential_pairs_of_pemilu_2024():
    pilpres = load_election_config().contest("pilpres-2024")
    assert [(p.number, p.label) for p in pilpres.pairs] == [
        (1, "Anies–Muhaimin"),
        (2, "Prabowo–Gibran"),
        (3, "Ganjar–Mahfud"),
    ]
    assert pilpres.candidates_set_on == date(2023, 11, 13)
    assert "Gemoy" in pilpres.pair(2).nicknames
    assert "PDIP" in pilpres.pair(3).parties


def test_it_has_the_eighteen_national_parties_with_their_ballot_numbers():
    config = load_election_config()
    assert {p.code: p.number for p in config.parties} == PEMILU_2024_PARTY_NUMBERS
    assert config.party("PBB").name == "Partai Bulan Bintang"
    dpr = config.contest("pileg-dpr-2024")
    assert set(dpr.parties) == set(PEMILU_2024_PARTY_NUMBERS)
    assert dpr.candidates_set_on == date(2023, 11, 3) and not dpr.pairs


def test_it_has_a_contest_for_every_babel_region():
    config = load_election_config()
    pilkada = config.election("pilkada-2024")
    areas = {c.area: c for c in pilkada.contests}
    for region in load_agency_config().regions():
        assert region.code in areas, region.name
        expected = {"province": "governor", "regency": "regent", "city": "mayor"}[region.kind]
        assert areas[region.code].office == expected
        assert areas[region.code].candidates_set_on == date(2024, 9, 22)
    assert len(areas) == 8


def test_it_refers_only_to_configured_areas():
    agencies = load_agency_config()
    for contest in load_election_config().contests:
        if contest.area is not None:
            assert agencies.agency(contest.area).kind in ("province", "regency", "city")


def test_it_lists_the_empty_column_in_single_pair_contests():
    config = load_election_config()
    for code, empty_number in [
        ("pilbup-bangka-2024", 2),
        ("pilbup-bangka-selatan-2024", 1),
        ("pilwako-pangkalpinang-2024", None),
    ]:
        empty = [p for p in config.contest(code).pairs if p.empty_column]
        assert len(empty) == 1 and empty[0].number == empty_number, code
    assert config.contest("pilbup-bangka-selatan-2024").pair(1).confidence == "L"
    assert config.contest("pilbup-belitung-timur-2024").pair(1).confidence == "L"
    assert "Molen" in config.contest("pilwako-pangkalpinang-2024").pairs[0].nicknames


def test_it_finds_the_quiet_period_on_12_february_2024():
    stages = load_election_config().stages_on(date(2024, 2, 12))
    assert [(e.code, s.kind) for e, s in stages] == [("pemilu-2024", "quiet")]


def test_it_finds_no_stage_between_the_two_elections():
    config = load_election_config()
    assert config.stages_on(date(2024, 6, 1)) == []
    assert config.contests_active_on(date(2024, 6, 1)) == []


def test_it_lists_the_contests_active_on_a_day():
    config = load_election_config()
    assert {c.code for c in config.contests_active_on(date(2024, 1, 5))} == {
        "pilpres-2024",
        "pileg-dpr-2024",
    }
    active = config.contests_active_on(date(2024, 11, 27))
    assert len(active) == 8 and all(c.election_code == "pilkada-2024" for c in active)


def test_it_tells_when_the_candidates_are_set():
    governor = load_election_config().contest("pilgub-babel-2024")
    assert not governor.candidates_set_by(date(2024, 9, 21))
    assert governor.candidates_set_by(date(2024, 9, 22))


def test_it_raises_key_error_for_unknown_codes():
    config = load_election_config()
    with pytest.raises(KeyError):
        config.contest("pilbup-atlantis-2024")
    with pytest.raises(KeyError):
        config.party("XYZ")


def test_it_imports_no_django():
    code = (
        "import sys; import netralitas.elections.config, netralitas.elections.reference_config; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[3]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# --------------------------------------------------------------------------- broken files


def test_it_accepts_the_valid_test_file(tmp_path):
    config = load_election_config(_write(tmp_path, VALID_ELECTIONS))
    assert config.contest("pilbup-uji").pair(2).parties == ("BBB",)


def test_it_rejects_an_unknown_party(tmp_path):
    error = _broken(tmp_path, "parties: [BBB]", "parties: [BBB, XYZ]")
    assert _has_problem(error, f"{CONTEST}.pairs[1]", "unknown party 'XYZ'")


def test_it_rejects_a_duplicate_pair_number(tmp_path):
    error = _broken(tmp_path, "{number: 2,", "{number: 1,")
    assert _has_problem(error, f"{CONTEST}.pairs[1]", "duplicate pair number 1")


def test_it_rejects_an_end_before_the_start(tmp_path):
    error = _broken(tmp_path, "end: 2024-11-23", "end: 2024-09-01")
    assert _has_problem(
        error, "elections[0] (pilkada-uji).stages[0] (campaign)", "end 2024-09-01 is before start"
    )


def test_it_rejects_an_unknown_key(tmp_path):
    error = _broken(tmp_path, "name: Partai A}", "name: Partai A, colour: merah}")
    assert _has_problem(error, "parties[0] (AAA)", "unknown key 'colour'")


def test_it_rejects_an_impossible_date(tmp_path):
    error = _broken(tmp_path, "voting_date: 2024-11-27", "voting_date: 2024-02-30")
    assert _has_problem(error, "elections[0] (pilkada-uji)", "'2024-02-30' is not a valid date")


def test_it_rejects_a_date_in_another_format(tmp_path):
    error = _broken(tmp_path, "candidates_set_on: 2024-09-22", "candidates_set_on: 22-09-2024")
    assert _has_problem(error, CONTEST, "'candidates_set_on' must be a date written YYYY-MM-DD")


def test_it_rejects_overlapping_stages(tmp_path):
    error = _broken(
        tmp_path, "start: 2024-11-27, end: 2024-11-27", "start: 2024-11-20, end: 2024-11-27"
    )
    assert _has_problem(error, "elections[0] (pilkada-uji)", "overlaps stage 'campaign'")


def test_it_rejects_an_unknown_stage_kind_and_office(tmp_path):
    text = VALID_ELECTIONS.replace("kind: campaign", "kind: kampanye").replace(
        "office: regent", "office: bupati"
    )
    with pytest.raises(ConfigError) as info:
        load_election_config(_write(tmp_path, text))
    assert _has_problem(info.value, "elections[0] (pilkada-uji).stages[0] (campaign)", "'kind'")
    assert _has_problem(info.value, CONTEST, "'office' is 'bupati'")


def test_it_rejects_candidates_set_after_the_election(tmp_path):
    error = _broken(tmp_path, "candidates_set_on: 2024-09-22", "candidates_set_on: 2025-01-10")
    assert _has_problem(error, CONTEST, "candidates_set_on 2025-01-10 is neither inside")


def test_it_asks_to_quote_a_numeric_area(tmp_path):
    error = _broken(tmp_path, 'area: "19.01"', "area: 19.01")
    assert _has_problem(error, CONTEST, "'area' must be a non-empty string", "quote it")


def test_it_requires_the_empty_column_in_a_single_pair_contest(tmp_path):
    error = _broken(
        tmp_path,
        "          - {number: 2, names: [Calon Dua, Wakil Dua], label: Dua, parties: [BBB]}\n",
        "",
    )
    assert _has_problem(error, CONTEST, "single-pair contest must list the empty column")


def test_it_reports_duplicate_keys(tmp_path):
    error = _broken(
        tmp_path, "    name_en: Test election\n", "    name_en: Test election\n    name_en: Again\n"
    )
    assert any("duplicate key 'name_en'" in problem for problem in error.problems)


def test_it_collects_every_problem_at_once(tmp_path):
    text = (
        VALID_ELECTIONS.replace("parties: [BBB]", "parties: [XYZ]")
        .replace("{number: 2,", "{number: 1,")
        .replace("end: 2024-11-23", "end: 2024-09-01")
    )
    with pytest.raises(ConfigError) as info:
        load_election_config(_write(tmp_path, text))
    assert len(info.value.problems) >= 3
    assert all(problem in str(info.value) for problem in info.value.problems)


def test_it_reports_invalid_yaml_and_missing_files(tmp_path):
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_election_config(_write(tmp_path, "parties: [\n"))
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_election_config(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_election_config(_write(tmp_path, ""))


# --------------------------------------------------------------------------- violation types


def test_it_has_seven_ethics_and_thirteen_discipline_rows():
    rows = load_violation_config().violation_types
    assert [r.code for r in rows if r.category == "ethics"] == [f"KE-0{i}" for i in range(1, 8)]
    assert [r.code for r in rows if r.category == "discipline"] == [
        f"DS-{i:02d}" for i in range(1, 14)
    ]
    assert all(r.sanction_category == "moral" for r in rows if r.category == "ethics")
    assert load_violation_config().violation_type("DS-05").sanction_category == "ptdh"
    assert load_violation_config().violation_type("DS-13").sanction_category == "satgas"


def test_it_pairs_counterparts_symmetrically():
    config = load_violation_config()
    links = {r.code: r.counterpart for r in config.violation_types if r.counterpart}
    assert links == {
        "KE-01": "DS-01", "DS-01": "KE-01", "KE-02": "DS-02", "DS-02": "KE-02",
        "KE-03": "DS-04", "DS-04": "KE-03", "KE-04": "DS-06", "DS-06": "KE-04",
        "KE-05": "DS-07", "DS-07": "KE-05", "KE-06": "DS-04",
        "DS-09": "DS-10", "DS-10": "DS-09",
    }  # fmt: skip
    for code, other in links.items():
        if links.get(other) != code:  # one-way links must land in a symmetric pair
            assert code == "KE-06" and links[links[other]] == other
        row, twin = config.violation_type(code), config.violation_type(other)
        assert {row.timing, twin.timing} == {"before_candidates", "after_candidates"}


def test_it_resolves_the_row_by_the_candidate_setting_date():
    config = load_violation_config()
    set_on = date(2024, 9, 22)
    assert (
        config.resolve("KE-01", incident_on=date(2024, 9, 21), candidates_set_on=set_on).code
        == "KE-01"
    )
    assert config.resolve("KE-01", incident_on=set_on, candidates_set_on=set_on).code == "DS-01"
    assert (
        config.resolve("DS-04", incident_on=date(2024, 9, 1), candidates_set_on=set_on).code
        == "KE-03"
    )
    assert (
        config.resolve("DS-05", incident_on=date(2024, 9, 1), candidates_set_on=set_on).code
        == "DS-05"
    )
    assert (
        config.resolve("KE-02", incident_on=date(2024, 10, 1), candidates_set_on=None).code
        == "KE-02"
    )


def test_it_has_a_sanction_kind_for_every_category_and_employee_kind():
    config = load_violation_config()
    used = {r.sanction_category for r in config.violation_types} - {"satgas"}
    assert set(config.sanction_catalogues) == {"PNS", "PPPK", "NON_ASN"}
    for employee_kind in ("PNS", "PPPK", "NON_ASN"):
        for category in used:
            assert config.sanctions_for(employee_kind, category), (employee_kind, category)
        assert config.sanctions_for(employee_kind, "satgas") == ()
    assert len(config.sanctions_for("PNS", "berat")) == 3
    assert len(config.sanctions_for("PNS", "sedang")) == 3
    codes = [k.code for k in config.sanction_kinds]
    assert len(codes) == len(set(codes))


def test_it_rejects_broken_counterparts(tmp_path):
    data = yaml.safe_load(Path(load_violation_config().path).read_text(encoding="utf-8"))
    rows = {row["code"]: row for row in data["violation_types"]}
    rows["KE-01"]["counterpart"] = "DS-99"
    rows["KE-02"]["counterpart"] = "KE-03"
    rows["DS-09"]["counterpart"] = None
    rows["DS-05"]["sanction_category"] = "moral"
    del data["sanction_catalogues"]["NON_ASN"]
    path = _write(tmp_path, yaml.safe_dump(data, allow_unicode=True), "violation_types.yaml")
    with pytest.raises(ConfigError) as info:
        load_violation_config(path)
    error = info.value
    assert str(path) in str(error)
    assert _has_problem(error, "violation_types[0] (KE-01)", "counterpart 'DS-99' is not")
    assert _has_problem(error, "violation_types[1] (KE-02)", "counterpart KE-03 has timing")
    assert _has_problem(error, "violation_types[16] (DS-10)", "does not point back")
    assert _has_problem(error, "violation_types[11] (DS-05)", "cannot carry a 'moral' sanction")
    assert _has_problem(error, "sanction_catalogues", "missing catalogue 'NON_ASN'")


# --------------------------------------------------------------------------- deadlines


def test_it_has_a_clock_for_each_case_status():
    config = load_deadline_config()
    clocks = {d.step: (d.days, d.day_kind, d.confirmed) for d in config.deadlines}
    assert clocks == {
        "verification": (7, "calendar", True),
        "awaiting_info": (3, "calendar", False),
        "registered": (7, "calendar", True),
        "examination": (14, "working", True),
        "proven": (7, "calendar", False),
        "recommended": (3, "working", False),
        "forwarded": (10, "working", False),
    }
    assert "not confirmed for SKB 2022" in (config.deadline("forwarded").note or "")


def test_it_hands_over_from_kasn_to_bkn_on_24_august_2024():
    config = load_deadline_config()
    assert config.receiving_body_on(date(2024, 8, 23)).code == "KASN"
    assert config.receiving_body_on(date(2024, 8, 24)).code == "BKN"
    assert config.receiving_body_on(date(2026, 1, 5)).code == "BKN"


def test_it_lists_only_real_holiday_dates_in_the_years_covered():
    config = load_deadline_config()
    assert config.holiday_years == (2023, 2024, 2025, 2026)
    # PyYAML's own date parsing (which our loader bypasses) must agree on every date.
    raw = yaml.safe_load(DEFAULT_DEADLINES_PATH.read_text(encoding="utf-8"))["holidays"]
    assert [h["date"] for h in raw] == [h.date for h in config.holidays]
    for holiday in config.holidays:
        assert holiday.date.year in config.holiday_years
        if holiday.kind == "cuti_bersama":
            assert holiday.date.weekday() < 5, holiday  # leave days are always weekdays
    for year in config.holiday_years:
        for month, day in [(1, 1), (5, 1), (6, 1), (8, 17), (12, 25)]:
            assert config.is_holiday(date(year, month, day)), (year, month, day)
    assert config.is_holiday(date(2024, 2, 14)) and config.is_holiday(date(2024, 11, 27))


def test_it_counts_working_days_around_holidays():
    config = load_deadline_config()
    # Idul Fitri 2024: 8-15 April are holidays or cuti bersama, 1 May is Labour Day.
    assert config.due_date("examination", date(2024, 4, 5)) == date(2024, 5, 6)
    assert config.due_date("verification", date(2024, 4, 5)) == date(2024, 4, 12)
    assert not config.is_working_day(date(2024, 2, 14))
    assert config.is_working_day(date(2024, 2, 15))


def test_it_rejects_a_holiday_outside_the_years_covered(tmp_path):
    text = (
        DEFAULT_DEADLINES_PATH.read_text(encoding="utf-8")
        .replace("{date: 2026-12-25,", "{date: 2027-12-25,")
        .replace("{date: 2023-01-01,", "{date: 2023-02-29,")
    )
    with pytest.raises(ConfigError) as info:
        load_deadline_config(_write(tmp_path, text, "deadlines.yaml"))
    assert any("2027-12-25 is outside holiday_years" in p for p in info.value.problems)
    assert _has_problem(info.value, "holidays[0]", "'2023-02-29' is not a valid date")


# --------------------------------------------------------------------------- agencies


def test_it_flattens_the_agency_tree_in_order():
    config = load_agency_config()
    seen: set[str] = set()
    for agency in config.agencies:
        assert agency.parent_code is None or agency.parent_code in seen
        seen.add(agency.code)
    assert [a.code for a in config.children_of("19") if a.kind != "agency"] == [
        "19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71",
    ]  # fmt: skip
    provincial = [a for a in config.children_of("19") if a.kind == "agency"]
    assert 18 <= len(provincial) <= 22
    assert all(1 <= len(config.children_of(a.code)) <= 3 for a in provincial)
    assert config.agency("19.71.KEC.PANGKALBALAM").path == "19/19.71/19.71.KEC.PANGKALBALAM/"
    assert config.agency("19.71").name == "Kota Pangkalpinang"


def test_it_rejects_a_misplaced_agency(tmp_path):
    text = """\
version: "t"
agencies:
  - code: "19"
    kind: province
    name: Provinsi Uji
    children:
      - {code: 19.OPD.X, kind: unit, name: Unit tanpa dinas}
      - {code: 20.OPD.Y, kind: agency, name: Dinas salah kode}
"""
    with pytest.raises(ConfigError) as info:
        load_agency_config(_write(tmp_path, text, "agencies.yaml"))
    assert _has_problem(
        info.value, "agencies[0] (19).children[0] (19.OPD.X)", "a unit cannot sit under a province"
    )
    assert _has_problem(
        info.value, "agencies[0] (19).children[1] (20.OPD.Y)", "must start with its parent's code"
    )
