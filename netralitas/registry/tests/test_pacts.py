"""registry.pacts: recording pacts (upload, acknowledgement), the personal links, the
agency head and socialisation events, with who may do each."""

from __future__ import annotations

import hashlib
import io
import logging
import time as time_module
from datetime import date, datetime, time, timedelta

import pytest
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from netralitas.core.timeutil import local_today
from netralitas.registry.models import IntegrityPact, PactMethod, SocialisationEvent
from netralitas.registry.pacts import (
    LINK_MAX_AGE,
    LINK_SALT,
    PactInputError,
    PactLinkInvalid,
    PactNotAllowed,
    PactUpload,
    agency_head_set,
    pact_acknowledge,
    pact_acknowledge_link,
    pact_link_make,
    pact_link_read,
    pact_record_upload,
    pact_text,
    socialisation_record,
)
from netralitas.registry.tests.conftest import PDF, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def upload(data: bytes = PDF, name: str = "pakta.pdf") -> PactUpload:
    return PactUpload(name=name, file=io.BytesIO(data))


def record(employee, election, actor, *, data: bytes = PDF, signed_on=date(2024, 8, 20)):
    return pact_record_upload(
        employee=employee, election=election, signed_on=signed_on, upload=upload(data), actor=actor
    )


# --- uploads ---------------------------------------------------------------------------


def test_it_records_an_uploaded_sheet_under_its_hash(guru, pilkada, verifier):
    pact = record(guru, pilkada, verifier)
    assert pact.method == PactMethod.UPLOAD
    assert pact.agency == guru.agency
    assert pact.recorded_by == verifier
    assert pact.file.name.startswith("pacts/") and pact.file.name.endswith(".pdf")
    assert pact.file.name == f"pacts/{pact.file_sha256}.pdf"
    assert pact.file_content_type == "application/pdf"
    with pact.file.open("rb") as fh:
        assert fh.read() == PDF
    # The sheet carries a date: the start of that day in WIB, not UTC.
    assert timezone.localtime(pact.signed_at) == timezone.make_aware(
        datetime.combine(date(2024, 8, 20), time.min)
    )


def test_it_stores_a_collective_sheet_once(guru, kadis, pilkada, verifier):
    first = record(guru, pilkada, verifier)
    second = record(kadis, pilkada, verifier)
    assert first.file.name == second.file.name


def test_it_refuses_a_second_pact_for_the_same_election(guru, pilkada, pemilu, verifier):
    record(guru, pilkada, verifier)
    with pytest.raises(PactInputError) as caught:
        record(guru, pilkada, verifier, data=png_bytes())
    assert "already has a pact" in caught.value.errors["employee"][0]
    # Another election is another pact.
    assert record(guru, pemilu, verifier).election == pemilu
    assert IntegrityPact.objects.filter(employee=guru).count() == 2


def test_it_reports_every_problem_at_once(guru, pilkada, verifier):
    with pytest.raises(PactInputError) as caught:
        record(
            guru,
            pilkada,
            verifier,
            data=b"<html><script>alert(1)</script></html>",
            signed_on=local_today() + timedelta(days=1),
        )
    assert set(caught.value.errors) == {"file", "signed_on"}
    assert not IntegrityPact.objects.exists()


def test_it_refuses_an_inactive_employee(guru, pilkada, verifier):
    guru.is_active = False
    guru.save(update_fields=["is_active"])
    with pytest.raises(PactInputError) as caught:
        record(guru, pilkada, verifier)
    assert "employee" in caught.value.errors


def test_an_agency_head_records_only_in_their_own_agency(
    guru, perawat, pilkada, agency_head, sma_unit, make_employee
):
    assert record(guru, pilkada, agency_head).recorded_by == agency_head
    # A unit of their agency is theirs too.
    assert record(make_employee(sma_unit), pilkada, agency_head).pk
    with pytest.raises(PactNotAllowed):
        record(perawat, pilkada, agency_head)
    assert not IntegrityPact.objects.filter(employee=perawat).exists()


@pytest.mark.parametrize("persona", ["examiner", "bawaslu", "ppk", "outsider"])
def test_read_only_roles_cannot_record(persona, request, guru, pilkada):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PactNotAllowed):
        record(guru, pilkada, actor)
    with pytest.raises(PactNotAllowed):
        pact_link_make(employee=guru, election=pilkada, actor=actor)


def test_an_agency_head_without_an_agency_records_nothing(agency_head, guru, pilkada):
    agency_head.agency = None
    agency_head.save(update_fields=["agency"])
    with pytest.raises(PactNotAllowed):
        record(guru, pilkada, agency_head)


# --- acknowledgements --------------------------------------------------------------------


def test_it_records_an_acknowledgement_with_the_text_version(guru, kadis, pilkada):
    before = timezone.now()
    pact, created = pact_acknowledge(employee=guru, election=pilkada, client_address="10.1.2.3")
    assert created
    assert pact.method == PactMethod.ACKNOWLEDGEMENT
    assert pact.text_version == pact_text().version
    assert before <= pact.signed_at <= timezone.now()
    assert timezone.is_aware(pact.signed_at)
    assert not pact.file and pact.recorded_by is None
    # The address is kept only as a keyed hash: not the plain hash anyone can recompute.
    assert len(pact.client_hash) == 64 and "10.1.2.3" not in pact.client_hash
    assert pact.client_hash != hashlib.sha256(b"10.1.2.3").hexdigest()
    other, _ = pact_acknowledge(employee=kadis, election=pilkada, client_address="10.1.2.3")
    assert other.client_hash == pact.client_hash  # same device, same value: comparable


def test_a_second_acknowledgement_changes_nothing(guru, pilkada):
    first, _ = pact_acknowledge(employee=guru, election=pilkada)
    again, created = pact_acknowledge(employee=guru, election=pilkada, client_address="1.1.1.1")
    assert not created and again.pk == first.pk
    assert again.client_hash == first.client_hash == ""
    assert IntegrityPact.objects.count() == 1


def test_an_acknowledgement_after_an_upload_returns_the_upload(guru, pilkada, verifier):
    uploaded = record(guru, pilkada, verifier)
    pact, created = pact_acknowledge(employee=guru, election=pilkada)
    assert not created and pact.pk == uploaded.pk and pact.method == PactMethod.UPLOAD


def test_the_standing_pact_is_unique_too(guru):
    pact_acknowledge(employee=guru, election=None)
    assert pact_acknowledge(employee=guru, election=None)[1] is False
    # The database says so as well, for writers that skip the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        IntegrityPact.objects.create(
            employee=guru,
            agency=guru.agency,
            method=PactMethod.ACKNOWLEDGEMENT,
            signed_at=timezone.now(),
        )


def test_the_database_ties_the_file_to_the_method(guru, pilkada):
    with pytest.raises(IntegrityError), transaction.atomic():
        IntegrityPact.objects.create(
            employee=guru,
            agency=guru.agency,
            election=pilkada,
            method=PactMethod.UPLOAD,
            signed_at=timezone.now(),
        )


def test_the_pact_keeps_the_agency_of_signing(guru, pilkada, dinkes):
    pact, _ = pact_acknowledge(employee=guru, election=pilkada)
    old_agency = guru.agency
    guru.agency = dinkes
    guru.save(update_fields=["agency"])
    pact.refresh_from_db()
    assert pact.agency == old_agency


def test_it_logs_ids_and_never_the_name(guru, pilkada, caplog):
    with caplog.at_level(logging.INFO, logger="netralitas.registry.pacts"):
        pact, _ = pact_acknowledge(employee=guru, election=pilkada, client_address="10.9.8.7")
    text = " ".join(r.getMessage() for r in caplog.records)
    assert f"pact={pact.pk}" in text
    assert guru.name not in text and guru.nip not in text and "10.9.8.7" not in text


# --- links -------------------------------------------------------------------------------


def test_a_link_reads_back_as_its_employee_and_election(guru, pilkada, verifier):
    token = pact_link_make(employee=guru, election=pilkada, actor=verifier)
    link = pact_link_read(token)
    assert (link.employee, link.election, link.issued_by_id) == (guru, pilkada, verifier.pk)
    assert guru.name not in token and guru.nip not in token


def test_the_link_records_who_sent_it(guru, pilkada, agency_head):
    token = pact_link_make(employee=guru, election=pilkada, actor=agency_head)
    pact, created = pact_acknowledge_link(token=token, client_address="10.0.0.1")
    assert created and pact.link_issued_by == agency_head and pact.employee == guru


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature
        lambda t: "x" + t[1:],  # the payload
        lambda t: t.split(":")[0],  # no signature at all
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_link_is_refused(tamper, guru, pilkada, verifier):
    token = pact_link_make(employee=guru, election=pilkada, actor=verifier)
    with pytest.raises(PactLinkInvalid) as caught:
        pact_link_read(tamper(token))
    assert caught.value.reason == "tampered"


def test_a_link_signed_for_another_purpose_is_refused(guru, pilkada):
    # The same payload signed with the project key but another salt (or none).
    for salt in ("django.core.signing", LINK_SALT + ".other"):
        token = signing.dumps({"e": guru.pk, "v": pilkada.pk, "by": None}, salt=salt)
        with pytest.raises(PactLinkInvalid) as caught:
            pact_link_read(token)
        assert caught.value.reason == "tampered"
    # And a valid signature over a payload of the wrong shape.
    odd = signing.dumps({"e": str(guru.pk)}, salt=LINK_SALT)
    with pytest.raises(PactLinkInvalid):
        pact_link_read(odd)


def make_old_link(monkeypatch, guru, election, actor, age: timedelta) -> str:
    issued = time_module.time() - age.total_seconds()
    with monkeypatch.context() as patched:
        patched.setattr(signing.time, "time", lambda: issued)
        return pact_link_make(employee=guru, election=election, actor=actor)


def test_a_link_expires(monkeypatch, guru, pilkada, verifier):
    fresh = make_old_link(monkeypatch, guru, pilkada, verifier, LINK_MAX_AGE - timedelta(hours=1))
    assert pact_link_read(fresh).employee == guru
    old = make_old_link(monkeypatch, guru, pilkada, verifier, LINK_MAX_AGE + timedelta(minutes=1))
    with pytest.raises(PactLinkInvalid) as caught:
        pact_link_read(old)
    assert caught.value.reason == "expired"
    with pytest.raises(PactLinkInvalid):
        pact_acknowledge_link(token=old)
    assert not IntegrityPact.objects.exists()


def test_a_repeat_after_expiry_still_finds_the_pact(monkeypatch, guru, pilkada, verifier):
    old = make_old_link(monkeypatch, guru, pilkada, verifier, LINK_MAX_AGE + timedelta(days=1))
    first, _ = pact_acknowledge(employee=guru, election=pilkada)
    pact, created = pact_acknowledge_link(token=old)
    assert pact.pk == first.pk and not created


def test_a_link_of_an_employee_who_left_is_gone(guru, pilkada, verifier):
    token = pact_link_make(employee=guru, election=pilkada, actor=verifier)
    guru.is_active = False
    guru.save(update_fields=["is_active"])
    with pytest.raises(PactLinkInvalid) as caught:
        pact_link_read(token)
    assert caught.value.reason == "gone"


def test_no_link_for_an_inactive_employee(guru, pilkada, verifier):
    guru.is_active = False
    guru.save(update_fields=["is_active"])
    with pytest.raises(PactInputError):
        pact_link_make(employee=guru, election=pilkada, actor=verifier)


def test_a_standing_link_records_a_standing_pact(guru, verifier):
    token = pact_link_make(employee=guru, election=None, actor=verifier)
    pact, created = pact_acknowledge_link(token=token)
    assert created and pact.election is None


# --- the agency head ---------------------------------------------------------------------


def test_it_records_the_agency_head(disdik, guru, verifier):
    agency_head_set(agency=disdik, employee=guru, actor=verifier)
    disdik.refresh_from_db()
    assert disdik.head == guru
    agency_head_set(agency=disdik, employee=None, actor=verifier)
    disdik.refresh_from_db()
    assert disdik.head is None


def test_the_head_must_work_in_the_agency(disdik, perawat, verifier, sma_unit, make_employee):
    with pytest.raises(PactInputError) as caught:
        agency_head_set(agency=disdik, employee=perawat, actor=verifier)
    assert "head" in caught.value.errors
    # Someone of a unit below is fine (the data may place the head there).
    agency_head_set(agency=disdik, employee=make_employee(sma_unit), actor=verifier)


def test_only_recorders_set_the_head(disdik, dinkes, guru, perawat, ppk, agency_head):
    with pytest.raises(PactNotAllowed):
        agency_head_set(agency=disdik, employee=guru, actor=ppk)
    with pytest.raises(PactNotAllowed):
        agency_head_set(agency=dinkes, employee=perawat, actor=agency_head)
    agency_head_set(agency=disdik, employee=guru, actor=agency_head)


# --- socialisation events ----------------------------------------------------------------


def event(actor, agency, **overrides):
    values = dict(
        agency=agency,
        held_on=date(2024, 10, 8),
        title="Sosialisasi Netralitas ASN",
        actor=actor,
        unlisted_attendee_count=10,
    )
    values.update(overrides)
    return socialisation_record(**values)


def test_it_records_an_event_with_its_election_from_the_date(disdik, guru, kadis, verifier):
    recorded = event(verifier, disdik, attendees=[guru], attendee_nips=[kadis.nip])
    assert recorded.election.code == "pilkada-2024"
    assert set(recorded.attendees.all()) == {guru, kadis}
    assert recorded.unlisted_attendee_count == 10
    assert recorded.recorded_by == verifier
    assert event(verifier, disdik, held_on=date(2024, 1, 15)).election.code == "pemilu-2024"


def test_it_reads_nips_as_people_write_them(disdik, guru, verifier):
    spaced = f"{guru.nip[:8]} {guru.nip[8:14]} {guru.nip[14]} {guru.nip[15:]}"
    recorded = event(verifier, disdik, attendee_nips=[spaced, guru.nip])
    assert list(recorded.attendees.all()) == [guru]


def test_attendees_must_belong_to_the_agency(disdik, perawat, verifier):
    with pytest.raises(PactInputError) as caught:
        event(verifier, disdik, attendees=[perawat])
    assert "attendees" in caught.value.errors
    with pytest.raises(PactInputError) as caught:
        event(verifier, disdik, attendee_nips=[perawat.nip, "199901012020121001"])
    messages = " ".join(caught.value.errors["attendee_nips"])
    assert perawat.nip in messages and "199901012020121001" in messages
    assert not SocialisationEvent.objects.exists()


def test_an_event_needs_a_title_a_past_date_and_someone_there(disdik, verifier):
    with pytest.raises(PactInputError) as caught:
        event(
            verifier,
            disdik,
            title="   ",
            held_on=local_today() + timedelta(days=2),
            unlisted_attendee_count=0,
        )
    assert set(caught.value.errors) == {"title", "held_on", "attendees"}


def test_only_recorders_record_events_in_their_scope(disdik, dinkes, agency_head, bawaslu):
    assert event(agency_head, disdik).pk
    with pytest.raises(PactNotAllowed):
        event(agency_head, dinkes)
    with pytest.raises(PactNotAllowed):
        event(bawaslu, disdik)
