"""The neutrality guide's loader: the packaged file, and every way an edit can break it.

Pure (no Django, no database): runs with ``-p no:django`` too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netralitas.elections.config import STAGE_KINDS
from netralitas.elections.guidance import ConfigError, load_guidance
from netralitas.elections.reference_config import load_violation_config

TIMINGS = {
    "KE-04": "before_candidates",
    "DS-06": "after_candidates",
    "DS-05": "any",
    "DS-13": "any",
}

# A small valid guide; each broken-file test changes one thing in it.
VALID = """\
version: "test.1"
synonyms:
  - [like, suka]
  - [medsos, media sosial]
items:
  - code: like-unggahan
    verdict: not_allowed
    stages: all
    title: {id: Menyukai unggahan calon, en: Liking a candidate's post}
    explanation: {id: Dilarang., en: Forbidden.}
    examples:
      - {id: Like di Facebook., en: A like on Facebook.}
    violation_types: [KE-04, DS-06]
    legal_basis: {id: SKB 2022, en: Joint decree 2022}
    confidence: H
  - code: memilih
    verdict: allowed
    stages: [voting]
    title: {id: Mencoblos, en: Voting}
    explanation: {id: Boleh., en: Allowed.}
    examples: []
    violation_types: []
    legal_basis: {id: UU 7/2017, en: UU 7/2017}
    confidence: M
"""
FIRST = "items[0] (like-unggahan)"
SECOND = "items[1] (memilih)"


def _broken(tmp_path: Path, old: str, new: str) -> ConfigError:
    assert old in VALID, old
    path = tmp_path / "guidance.yaml"
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_guidance(path, violation_timings=TIMINGS)
    assert str(path) in str(info.value)
    return info.value


def _has(error: ConfigError, entry: str, *fragments: str) -> bool:
    return any(p.startswith(entry + ":") and all(f in p for f in fragments) for p in error.problems)


# --------------------------------------------------------------------------- the packaged file


@pytest.fixture(scope="module")
def packaged():
    return load_guidance()


def test_it_loads_the_packaged_guide_with_enough_items_of_both_kinds(packaged):
    assert len(packaged.items) >= 30
    verdicts = {item.verdict for item in packaged.items}
    assert verdicts == {"allowed", "not_allowed"}
    assert len({item.code for item in packaged.items}) == len(packaged.items)


def test_it_covers_every_stage_kind_with_stage_specific_items(packaged):
    for kind in STAGE_KINDS:
        specific = [i for i in packaged.items if not i.all_stages and i.applies_in(kind)]
        assert specific, kind


def test_it_has_both_languages_for_every_text(packaged):
    for item in packaged.items:
        for text in (item.title, item.explanation, item.legal_basis, *item.examples):
            assert text.id.strip() and text.en.strip(), item.code
            assert text.id != text.en or text.id.startswith("UU"), item.code


def test_it_refers_only_to_codes_of_the_rule_table(packaged):
    rules = load_violation_config()
    codes = {row.code for row in rules.violation_types}
    referenced = {code for item in packaged.items for code in item.violation_types}
    assert referenced and referenced <= codes


def test_it_names_a_violation_type_for_every_prohibition(packaged):
    assert all(item.violation_types for item in packaged.items if not item.allowed)


def test_it_marks_the_uncertain_items_as_domain_md_does(packaged):
    # The resignation requirement and the witness role are not in domain.md: L, not H.
    assert packaged.item("menjadi-calon-tanpa-mundur").confidence == "L"
    assert packaged.item("saksi-calon").confidence == "L"
    assert packaged.item("anggota-pengurus-partai").confidence == "H"
    # domain.md: a civil servant may not take part in a campaign (PP 94/2021 Pasal 5 huruf n).
    assert not packaged.item("ikut-kampanye").allowed
    assert packaged.item("menggunakan-hak-pilih").allowed


def test_it_imports_no_django():
    code = (
        "import sys; import netralitas.elections.guidance; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[3]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# --------------------------------------------------------------------------- broken files


def test_it_accepts_the_valid_test_file(tmp_path):
    path = tmp_path / "guidance.yaml"
    path.write_text(VALID, encoding="utf-8")
    guide = load_guidance(path, violation_timings=TIMINGS)
    assert [item.code for item in guide.items] == ["like-unggahan", "memilih"]
    assert guide.item("like-unggahan").stages == STAGE_KINDS
    assert guide.item("memilih").stages == ("voting",)


def test_it_rejects_an_unknown_violation_code(tmp_path):
    error = _broken(tmp_path, "[KE-04, DS-06]", "[KE-04, KE-99]")
    assert _has(error, FIRST, "'KE-99'", "not in the rule table")


def test_it_rejects_an_unknown_stage_kind(tmp_path):
    error = _broken(tmp_path, "stages: [voting]", "stages: [voting, kampanye]")
    assert _has(error, SECOND, "'kampanye'", "not a stage kind")


def test_it_rejects_a_missing_translation(tmp_path):
    error = _broken(tmp_path, "title: {id: Mencoblos, en: Voting}", "title: {id: Mencoblos}")
    assert _has(error, SECOND + ".title", "missing the 'en' text")


def test_it_rejects_an_unknown_verdict(tmp_path):
    error = _broken(tmp_path, "verdict: allowed", "verdict: boleh")
    assert _has(error, SECOND, "'verdict'", "allowed, not_allowed")


def test_it_rejects_a_duplicate_item_code(tmp_path):
    error = _broken(tmp_path, "code: memilih", "code: like-unggahan")
    assert _has(error, "items[1] (like-unggahan)", "duplicate item code")


def test_it_rejects_a_prohibition_without_a_violation_type(tmp_path):
    error = _broken(tmp_path, "[KE-04, DS-06]", "[]")
    assert _has(error, FIRST, "at least one violation type")


def test_it_rejects_a_row_that_cannot_apply_in_a_listed_stage(tmp_path):
    # DS-06 concerns candidates; before nomination there are only prospective candidates.
    error = _broken(tmp_path, "[KE-04, DS-06]", "[DS-06]")
    assert _has(error, FIRST, "none of DS-06 applies in stage 'pre_nomination'")
    assert not _has(error, FIRST, "stage 'campaign'")


def test_it_asks_for_all_instead_of_every_stage_listed(tmp_path):
    error = _broken(tmp_path, "stages: [voting]", f"stages: [{', '.join(STAGE_KINDS)}]")
    assert _has(error, SECOND, "write 'all'")


def test_it_rejects_a_synonym_written_in_another_form(tmp_path):
    error = _broken(tmp_path, "[like, suka]", "[Like, suka]")
    assert _has(error, "synonyms[0]", "'like'")


def test_it_rejects_a_term_in_two_synonym_groups(tmp_path):
    error = _broken(tmp_path, "[medsos, media sosial]", "[medsos, suka]")
    assert _has(error, "synonyms[1] term 'suka'", "duplicate synonym")


def test_it_rejects_an_unknown_key_and_collects_every_problem(tmp_path):
    error = _broken(tmp_path, "    confidence: M\n", "    confidence: X\n    sumber: KPU\n")
    assert _has(error, SECOND, "unknown key 'sumber'")
    assert _has(error, SECOND, "'confidence'")
    assert len(error.problems) == 2
