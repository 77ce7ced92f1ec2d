"""GET /api/v1/public/guidance: the page's guide for apps and other sites."""

from __future__ import annotations

import types

import pytest

from netralitas.core import ratelimit
from netralitas.elections.guidance import default_guidance

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/guidance"
FIELDS = {
    "code",
    "verdict",
    "title",
    "explanation",
    "examples",
    "stages",
    "all_stages",
    "violation_types",
    "legal_basis",
    "confidence",
}


def test_it_lists_the_whole_guide_in_indonesian_by_default(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "id"
    assert body["count"] == len(body["items"]) == len(default_guidance().items)
    first = body["items"][0]
    assert set(first) == FIELDS
    assert first["title"] == default_guidance().items[0].title.id


def test_it_answers_in_english_when_asked(client):
    body = client.get(URL, {"q": "like"}, headers={"Accept-Language": "en"}).json()
    assert body["language"] == "en"
    assert body["items"][0]["title"] == "Liking, commenting on or sharing a candidate's post"


def test_it_searches_and_filters_like_the_page(client):
    body = client.get(URL, {"q": "like", "stage": "campaign", "kind": "not_allowed"}).json()
    codes = [item["code"] for item in body["items"]]
    assert codes[0] == "like-komentar-share"
    assert all(item["verdict"] == "not_allowed" for item in body["items"])
    # In the campaign the candidates are set: the discipline row, not the ethics one.
    assert body["items"][0]["violation_types"] == ["DS-06"]
    allowed = client.get(URL, {"stage": "voting", "kind": "allowed"}).json()["items"]
    assert "menggunakan-hak-pilih" in [item["code"] for item in allowed]
    assert all("voting" in item["stages"] for item in allowed)


def test_it_returns_an_empty_list_when_nothing_matches(client):
    body = client.get(URL, {"q": "xylofon"}).json()
    assert body["count"] == 0 and body["items"] == []


@pytest.mark.parametrize(("field", "value"), [("stage", "kampanye"), ("kind", "boleh")])
def test_it_names_the_parameter_at_fault(client, field, value):
    response = client.get(URL, {field: value})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field] and errors[field]


def test_it_is_documented_as_an_open_endpoint(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["get"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} == {"q", "stage", "kind"}
    assert not operation.get("security")


def test_it_is_rate_limited(client, settings, monkeypatch):
    # One fixed window, so that a minute boundary between the two calls cannot reset it.
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_730_000_000.0))
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 1
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 429
