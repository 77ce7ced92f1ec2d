"""The self-check: service, API and page."""

from __future__ import annotations

import types

import pytest

from netralitas.core import ratelimit
from netralitas.selfcheck.models import SharedDraft
from netralitas.selfcheck.services import SelfCheckError, self_check

API = "/api/v1/public/self-check"
PAGE = "/cek-sebelum-posting/"
PARTISAN = "Bapak ibu, tgl 14 Februari coblos nomor 2 ya, Prabowo-Gibran satu putaran!"
NEUTRAL = "Rapat koordinasi persiapan TPS besok jam 9 di aula kecamatan, mohon hadir."


@pytest.fixture
def _frozen_window(monkeypatch):
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_730_000_000.0))


def test_a_call_to_vote_is_flagged_with_its_words_rules_and_advice(db):
    result = self_check(text=PARTISAN)
    assert result.partisan and result.stance == "support"
    assert result.targets[0]["name"] == "Prabowo–Gibran"
    assert any(PARTISAN[e["start"] : e["end"]] == e["text"] for e in result.evidence)
    assert {rule["code"] for rule in result.rules} == {"DS-06", "DS-02"}
    assert all(rule["title"] for rule in result.rules)
    assert result.advice and result.advice != self_check(text=NEUTRAL).advice


def test_before_the_candidates_are_set_the_rules_on_prospective_candidates_apply(db):
    from datetime import date

    result = self_check(text=PARTISAN, on=date(2023, 10, 1))
    assert {rule["code"] for rule in result.rules} == {"KE-04", "KE-02"}


def test_office_chatter_passes_and_nothing_is_kept(db):
    result = self_check(text=NEUTRAL)
    assert not result.partisan and result.stance == "none"
    assert result.rules == [] and result.targets == []
    assert SharedDraft.objects.count() == 0


def test_a_shared_draft_keeps_the_text_and_verdict_only(db):
    self_check(text=PARTISAN, share=True)
    draft = SharedDraft.objects.get()
    assert draft.text == PARTISAN and draft.partisan and draft.stance == "support"


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_it_refuses_an_empty_or_overlong_text(db, text):
    with pytest.raises(SelfCheckError) as caught:
        self_check(text=text)
    assert caught.value.field == "text"


def test_the_api_answers_in_the_documented_shape(client, db):
    response = client.post(API, {"text": PARTISAN}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"partisan", "stance", "targets", "evidence", "rules", "advice"}
    assert body["partisan"] is True
    assert set(body["evidence"][0]) == {"start", "end", "text", "why"}
    assert set(body["rules"][0]) == {"code", "title"}
    assert SharedDraft.objects.count() == 0


def test_the_api_names_the_field_at_fault(client, db):
    response = client.post(API, {"text": ""}, content_type="application/json")
    assert response.status_code == 400 and "text" in response.json()["errors"]
    response = client.post(API, {"tekst": "halo"}, content_type="application/json")
    assert response.status_code == 400 and "text" in response.json()["errors"]


def test_the_api_is_rate_limited_per_address(client, db, settings, _frozen_window):
    settings.SELF_CHECK_RATE_LIMIT_PER_MINUTE = 2
    for _ in range(2):
        assert (
            client.post(API, {"text": NEUTRAL}, content_type="application/json").status_code == 200
        )
    assert client.post(API, {"text": NEUTRAL}, content_type="application/json").status_code == 429
    other = client.post(
        API, {"text": NEUTRAL}, content_type="application/json", REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 200


def test_the_page_highlights_the_words_and_keeps_the_draft_on_error(client, db):
    page = client.get(PAGE)
    assert page.status_code == 200 and 'name="text"' in page.content.decode()
    response = client.post(PAGE, {"text": PARTISAN})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark" in html and "DS-06" in html
    too_long = "coblos 02 " * 600
    response = client.post(PAGE, {"text": too_long})
    assert response.status_code == 400
    assert too_long.strip()[:50] in response.content.decode()  # what was typed stays


def test_the_page_escapes_the_draft(client, db):
    response = client.post(PAGE, {"text": "<script>alert(1)</script> coblos 02 ya"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
