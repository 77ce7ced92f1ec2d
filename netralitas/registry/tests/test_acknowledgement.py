"""The employee's public acknowledgement page (/pakta-integritas/<token>/): what it shows,
what it records, and clear pages (never a 500) for tampered, expired and used links."""

from __future__ import annotations

import io
import logging
import time as time_module
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from netralitas.registry.models import IntegrityPact, PactMethod
from netralitas.registry.pacts import (
    LINK_MAX_AGE,
    PactUpload,
    pact_link_make,
    pact_record_upload,
    pact_text,
)
from netralitas.registry.tests.conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def token(guru, pilkada, verifier):
    return pact_link_make(employee=guru, election=pilkada, actor=verifier)


def page(token: str) -> str:
    return reverse("pact:acknowledge", args=[token])


def test_it_shows_the_pact_text_and_who_signs(client, token, guru, pilkada):
    response = client.get(page(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert guru.name in html and guru.agency.name in html and pilkada.name in html
    assert pact_text().title in html and "SKB 2022" in html and "UU 20/2023" in html
    assert 'name="agree"' in html
    # Personal data behind a credential in the URL: never cached or indexed, no NIP shown.
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert guru.nip not in html


def test_it_records_the_acknowledgement_and_confirms_it(client, token, guru, pilkada, verifier):
    response = client.post(page(token), {"agree": "1"}, REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302
    assert response["Location"] == reverse("pact:done", args=[token])
    pact = IntegrityPact.objects.get(employee=guru, election=pilkada)
    assert pact.method == PactMethod.ACKNOWLEDGEMENT
    assert pact.link_issued_by == verifier
    assert pact.client_hash and "10.20.30.40" not in pact.client_hash
    done = client.get(response["Location"])
    assert done.status_code == 200
    assert "your integrity pact is recorded" in done.content.decode()


def test_it_needs_the_box_ticked(client, token):
    response = client.post(page(token), {})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not IntegrityPact.objects.exists()


def test_a_second_submit_is_the_same_acknowledgement(client, token, guru):
    client.post(page(token), {"agree": "1"})
    first = IntegrityPact.objects.get(employee=guru)
    again = client.post(page(token), {"agree": "1"})
    assert again.status_code == 302 and again["Location"] == reverse("pact:done", args=[token])
    # Even without the box: the pact exists, so the confirmation is the answer.
    assert client.post(page(token), {}).status_code == 302
    assert list(IntegrityPact.objects.all()) == [first]


def test_a_used_link_says_so(client, token, guru, pilkada):
    client.post(page(token), {"agree": "1"})
    response = client.get(page(token))
    assert response.status_code == 410
    assert 'data-reason="used"' in response.content.decode()
    assert "already recorded" in response.content.decode()


def test_a_link_is_used_up_by_an_uploaded_sheet_too(client, token, guru, pilkada, verifier):
    pact_record_upload(
        employee=guru,
        election=pilkada,
        signed_on=pilkada.voting_date - timedelta(days=60),
        upload=PactUpload(name="p.pdf", file=io.BytesIO(PDF)),
        actor=verifier,
    )
    assert client.get(page(token)).status_code == 410
    done = client.post(page(token), {"agree": "1"})
    assert done.status_code == 302
    assert IntegrityPact.objects.get().method == PactMethod.UPLOAD


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("xx" if not t.endswith("xx") else "yy"),
        lambda t: t.replace(":", "", 1),
        lambda t: "abc",
        lambda t: "%00%ff",
        lambda t: "x" * 500,
    ],
)
def test_a_tampered_link_gets_a_clear_page(client, token, mangle):
    for method in (client.get, client.post):
        response = method(page(mangle(token)), {"agree": "1"} if method == client.post else None)
        assert response.status_code == 400
        assert 'data-reason="tampered"' in response.content.decode()
    assert client.get(reverse("pact:done", args=[mangle(token)])).status_code == 400
    assert not IntegrityPact.objects.exists()


def test_an_expired_link_gets_a_clear_page(client, monkeypatch, guru, pilkada, verifier):
    issued = time_module.time() - (LINK_MAX_AGE + timedelta(hours=1)).total_seconds()
    with monkeypatch.context() as patched:
        patched.setattr(signing.time, "time", lambda: issued)
        old = pact_link_make(employee=guru, election=pilkada, actor=verifier)
    for response in (client.get(page(old)), client.post(page(old), {"agree": "1"})):
        assert response.status_code == 410
        assert 'data-reason="expired"' in response.content.decode()
    assert not IntegrityPact.objects.exists()


def test_a_link_of_an_employee_who_left_is_gone(client, token, guru):
    guru.is_active = False
    guru.save(update_fields=["is_active"])
    response = client.get(page(token))
    assert response.status_code == 410
    assert 'data-reason="gone"' in response.content.decode()


def test_the_confirmation_needs_a_recorded_pact(client, token):
    response = client.get(reverse("pact:done", args=[token]))
    assert response.status_code == 302 and response["Location"] == page(token)


def test_it_is_rate_limited(client, token, settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 2
    statuses = [client.get(page(token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_it_keeps_names_and_addresses_out_of_the_logs(client, token, guru, caplog):
    with caplog.at_level(logging.DEBUG):
        client.get(page(token))
        client.post(page(token), {"agree": "1"}, REMOTE_ADDR="10.77.66.55")
    text = " ".join(record.getMessage() for record in caplog.records)
    assert "acknowledged" in text
    assert guru.name not in text and guru.nip not in text
    assert "10.77.66.55" not in text and token not in text
