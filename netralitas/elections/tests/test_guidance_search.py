"""Searching the neutrality guide: informal words, affixes, accents, filters and grouping.

Pure (no Django, no database). The packaged guide is the fixture: these are the searches
civil servants make, so a content edit that breaks one of them should fail here.
"""

from __future__ import annotations

import pytest

from netralitas.elections.config import STAGE_KINDS
from netralitas.elections.guidance import (
    ALL,
    group_by_stage,
    load_guidance,
    normalise,
    search,
    word_forms,
)


@pytest.fixture(scope="module")
def guide():
    return load_guidance()


def codes(items) -> list[str]:
    return [item.code for item in items]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("like", "like-komentar-share"),
        ("share", "like-komentar-share"),
        ("komen", "like-komentar-share"),
        ("foto", "foto-bersama-calon"),
        ("kampanye", "kampanye-media-sosial"),
        ("medsos", "kampanye-media-sosial"),
        ("grup WA", "teruskan-konten-grup-wa"),
        ("mobil dinas", "fasilitas-kantor"),
        ("salam jari", "gestur-jari-nomor-urut"),
        ("anggota partai", "anggota-pengurus-partai"),
        ("timses", "tim-kampanye-pemenangan"),
        ("fotokopi KTP", "surat-dukungan-ktp"),
        ("debat", "menonton-debat"),
        ("nyaleg", "dekati-partai-tanpa-cltn"),
    ],
)
def test_it_finds_the_item_for_an_everyday_search(guide, query, expected):
    assert expected in codes(search(guide, query=query)[:5]), query


def test_it_puts_the_best_match_first(guide):
    assert codes(search(guide, query="like"))[0] == "like-komentar-share"
    assert codes(search(guide, query="mobil dinas")) == ["fasilitas-kantor"]


def test_it_ignores_case_accents_and_elongation(guide):
    plain = codes(search(guide, query="kampanye"))
    assert codes(search(guide, query="KAMPANYÉ")) == plain
    assert codes(search(guide, query="likeee")) == codes(search(guide, query="like"))


def test_it_strips_indonesian_affixes(guide):
    assert "kampanye" in word_forms("mengampanyekan")
    assert "suka" in word_forms("menyukai")
    assert "pasang" in word_forms("memasang")
    assert "dukung" in word_forms("dukungannya")
    assert "like-komentar-share" in codes(search(guide, query="menyukai"))
    assert "kampanye-media-sosial" in codes(search(guide, query="berkampanye"))


def test_it_does_not_match_a_word_that_only_begins_alike(guide):
    # "foto" must not find the ID-card *fotokopi* item through a prefix.
    assert "surat-dukungan-ktp" not in codes(search(guide, query="foto"))


def test_it_drops_question_words_and_requires_every_remaining_word(guide):
    assert codes(search(guide, query="apakah ASN boleh like?")) == codes(
        search(guide, query="like")
    )
    both = codes(search(guide, query="foto tps"))
    assert "gestur-di-tps" in both
    assert "foto-bersama-calon" not in both  # no polling station there
    assert search(guide, query="xylofon") == []


def test_it_finds_items_by_violation_code(guide):
    found = search(guide, query="DS-05")
    assert codes(found) == ["anggota-pengurus-partai"]
    assert codes(search(guide, query="ke04")) == codes(search(guide, query="KE-04"))
    # "ke 02" is Indonesian for "to 02", not a code.
    assert guide.query_terms("ke 02") == [("02",)]


def test_it_filters_by_stage_and_verdict(guide):
    voting = search(guide, stage="voting")
    assert all(item.applies_in("voting") for item in voting)
    assert "menggunakan-hak-pilih" in codes(voting)
    assert "ikut-kampanye" not in codes(voting)
    allowed = search(guide, verdict="allowed")
    assert allowed and all(item.allowed for item in allowed)
    forbidden_campaign = search(guide, stage="campaign", verdict="not_allowed", query="kampanye")
    assert "ikut-kampanye" in codes(forbidden_campaign)
    assert all(not item.allowed for item in forbidden_campaign)


def test_it_refuses_an_unknown_stage_or_verdict(guide):
    with pytest.raises(ValueError):
        search(guide, stage="kampanye")
    with pytest.raises(ValueError):
        search(guide, verdict="boleh")


def test_it_shows_the_ethics_row_before_and_the_discipline_row_after_candidates(guide):
    item = guide.item("like-komentar-share")
    assert guide.violation_types_for(item) == ("KE-04", "DS-06")
    assert guide.violation_types_for(item, "pre_nomination") == ("KE-04",)
    assert guide.violation_types_for(item, "nomination") == ("KE-04", "DS-06")
    assert guide.violation_types_for(item, "campaign") == ("DS-06",)


def test_it_groups_general_rules_once_and_stage_rules_by_stage(guide):
    groups = group_by_stage(guide.items)
    keys = [key for key, _items in groups]
    assert keys == [ALL, *STAGE_KINDS]
    general = dict(groups)[ALL]
    assert general and all(item.all_stages for item in general)
    assert "ikut-kampanye" in codes(dict(groups)["campaign"])
    assert "ikut-kampanye" not in codes(dict(groups)["voting"])


def test_it_puts_the_chosen_stage_before_the_general_rules(guide):
    items = search(guide, stage="quiet")
    assert [key for key, _items in group_by_stage(items, stage="quiet")] == ["quiet", ALL]


def test_it_leaves_out_empty_groups(guide):
    items = search(guide, query="debat")
    keys = [key for key, _items in group_by_stage(items)]
    assert "campaign" in keys and "voting" not in keys


def test_it_normalises_text_for_comparison():
    assert normalise("  Kampanyé, LIKE!! grup-WA ") == "kampanye like grup wa"


def test_it_finds_items_holding_any_word_only_when_asked(guide):
    assert search(guide, query="like zzzqqq") == []
    some = search(guide, query="like zzzqqq", any_term=True)
    assert some and some == search(guide, query="like")
