"""The public page /panduan-netralitas/: filters in the URL, today's stages, links, language."""

from __future__ import annotations

import re
from datetime import date

import pytest

from netralitas.elections import views

pytestmark = pytest.mark.django_db

URL = "/panduan-netralitas/"
LIKE_ID = "Menyukai, mengomentari, atau membagikan unggahan calon"
LIKE_EN = "Liking, commenting on or sharing a candidate&#x27;s post"
VOTE_ID = "Menggunakan hak pilih di TPS"
CAMPAIGN_ID = "Ikut kampanye sebagai peserta, walau hanya menonton"


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day: date) -> None:
        monkeypatch.setattr(views, "local_today", lambda: day)

    return set_day


def _page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _group(html: str, key: str) -> str:
    """The HTML of one result group, up to the next group."""
    start = html.index(f'id="group-{key}"')
    end = html.find('<section class="guidance-group"', start)
    return html[start : end if end != -1 else len(html)]


def test_it_lists_the_whole_guide_in_indonesian_with_nothing_preselected(client):
    html = _page(client)
    assert LIKE_ID in html and VOTE_ID in html and CAMPAIGN_ID in html
    assert "Liking, commenting" not in html
    assert '<option value="campaign">Kampanye</option>' in html and ">Cari</button>" in html
    assert " selected" not in html
    assert 'id="guidance-empty"' not in html


def test_it_shows_english_when_chosen_with_the_language_switch(client):
    client.cookies["django_language"] = "en"
    html = _page(client)
    assert LIKE_EN in html
    assert LIKE_ID not in html
    assert '<option value="campaign">Campaign</option>' in html
    # The violation-type glossary follows the language too.
    assert "Being a member or officer of a political party" in html


def test_it_filters_by_stage_from_the_url(client):
    html = _page(client, tahap="voting")
    assert VOTE_ID in html and LIKE_ID in html  # voting-day rules and the general ones
    assert CAMPAIGN_ID not in html
    assert '<option value="voting" selected>' in html
    assert html.index('id="group-voting"') < html.index('id="group-all"')


def test_it_filters_by_verdict_from_the_url(client):
    html = _page(client, jenis="boleh")
    assert VOTE_ID in html and LIKE_ID not in html
    assert "is-forbidden" not in html
    html = _page(client, jenis="tidak")
    assert LIKE_ID in html and VOTE_ID not in html
    assert "is-allowed" not in html


def test_it_searches_with_informal_words(client):
    html = _page(client, q="medsos")
    assert LIKE_ID in html and VOTE_ID not in html
    assert 'value="medsos"' in html  # the search stays in the box


def test_it_ignores_an_unknown_stage_or_verdict_in_the_url(client):
    html = _page(client, tahap="kampanye", jenis="mungkin")
    assert LIKE_ID in html and VOTE_ID in html
    assert " selected" not in html


def test_it_escapes_the_search_text(client):
    html = _page(client, q='<script>alert("x")</script>')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_it_says_when_nothing_matches_and_offers_to_clear_the_search(client):
    html = _page(client, q="xylofon", tahap="quiet")
    assert 'id="guidance-empty"' in html
    # Clearing the search keeps the chosen stage.
    assert f'href="{URL}?tahap=quiet"' in html
    assert 'class="guidance-group"' not in html


def test_it_links_each_item_to_its_violation_types_for_the_stage(client):
    html = _page(client, tahap="pre_nomination", q="like")
    like = _group(html, "all")
    # Before nomination a like concerns a prospective candidate: the ethics row only.
    assert 'href="#pelanggaran-KE-04"' in like and "#pelanggaran-DS-06" not in like
    assert 'id="pelanggaran-KE-04"' in html and 'id="pelanggaran-DS-06"' not in html
    html = _page(client, tahap="campaign", q="like")
    assert 'href="#pelanggaran-DS-06"' in html and 'id="pelanggaran-DS-06"' in html
    assert "#pelanggaran-KE-04" not in _group(html, "all")


def test_it_shows_todays_stage_of_each_election_without_selecting_it(client, on_day):
    on_day(date(2024, 10, 1))  # Pilkada 2024 campaign; Pemilu 2024 is over
    html = _page(client)
    today = html[html.index('id="today-heading"') : html.index('id="hasil"')]
    assert "Pemilihan Kepala Daerah Serentak 2024" in today
    assert f'href="{URL}?tahap=campaign"' in today
    assert f'href="{URL}?tahap=post"' in today
    assert " selected" not in html
    assert "badge-status" in _group(html, "campaign")
    assert "badge-status" not in _group(html, "voting")


def test_it_marks_uncertain_items(client):
    html = _page(client, q="saksi")
    assert "Menjadi saksi calon atau partai di TPS dan rekapitulasi" in html
    assert "badge-warn" in html


def test_it_keeps_to_a_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(URL, {"q": "like"})


def test_it_is_linked_from_the_public_navigation_and_the_self_check(client):
    for page in ("/", "/cek-sebelum-posting/"):
        assert f'href="{URL}"' in client.get(page).content.decode(), page


def test_it_refuses_other_methods(client):
    assert client.post(URL, {"q": "like"}).status_code == 405


def test_it_gives_each_listed_item_a_unique_anchor(client):
    ids = re.findall(r'<li class="guidance-item[^"]*" id="([^"]+)"', _page(client))
    assert ids and len(ids) == len(set(ids))


def test_it_shows_items_holding_some_words_when_none_holds_all(client):
    response = client.get("/panduan-netralitas/", {"q": "like zzzqqq"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="guidance-partial"' in html
    assert 'id="guidance-empty"' not in html


def test_it_keeps_the_every_word_rule_when_an_item_holds_them_all(client):
    response = client.get("/panduan-netralitas/", {"q": "like"})
    assert 'id="guidance-partial"' not in response.content.decode()
