"""registry.demo: the demo's pacts and socialisation events tell the domain's story, go
through the services, and a second run adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from netralitas.accounts.models import User
from netralitas.core.demo import EMPLOYEES, demo_seed
from netralitas.elections.models import Election
from netralitas.registry.demo import integrity_demo_seed
from netralitas.registry.models import (
    Agency,
    Employee,
    IntegrityPact,
    PactMethod,
    SocialisationEvent,
)
from netralitas.registry.pacts import pact_file_check
from netralitas.registry.selectors import (
    agencies_head_not_signed,
    pact_progress_by_agency,
    pact_progress_summary,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo once for the module, rolled back at the end (as core's demo test)."""
    media = tmp_path_factory.mktemp("demo-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        with transaction.atomic():
            demo_seed()
            yield media
            transaction.set_rollback(True)


@pytest.fixture
def media(seeded, settings):
    settings.MEDIA_ROOT = seeded
    return seeded


def provincial(rows):
    return rows.filter(parent__code="19")


def test_all_provincial_heads_but_two_signed_for_the_pilkada(seeded):
    pilkada = Election.objects.get(code="pilkada-2024")
    province = Agency.objects.get(code="19")
    rows = provincial(pact_progress_by_agency(root=province, election=pilkada))
    assert rows.count() >= 20 and not rows.filter(head__isnull=True).exists()
    missing = provincial(agencies_head_not_signed(root=province, election=pilkada))
    assert {a.code for a in missing} == {"19.OPD.DLH", "19.OPD.BPBD"}
    pemilu = Election.objects.get(code="pemilu-2024")
    missing = provincial(agencies_head_not_signed(root=province, election=pemilu))
    assert {a.code for a in missing} == {"19.OPD.BPBD"}  # appointed after that signing


def test_staff_progress_is_partial_and_lower_in_the_regencies(seeded):
    pilkada = Election.objects.get(code="pilkada-2024")
    province = Agency.objects.get(code="19")
    rows = pact_progress_by_agency(root=province, election=pilkada)
    opd = pact_progress_summary(rows=provincial(rows))
    regencies = pact_progress_summary(rows=rows.exclude(parent__code="19"))
    assert 40 <= opd["percent"] <= 85
    assert 10 <= regencies["percent"] < opd["percent"]
    assert IntegrityPact.objects.filter(method=PactMethod.ACKNOWLEDGEMENT).count() >= 20


def test_the_demo_agency_head_heads_their_agency_and_signed(seeded):
    account = User.objects.get(username="kadis.pendidikan")
    head = account.agency.head
    assert head is not None and head.name.startswith("Drs. Mulyono Santoso")
    assert IntegrityPact.objects.filter(employee=head, election__code="pilkada-2024").exists()


def test_heads_signed_sheets_and_staff_acknowledged_in_time(media):
    today = timezone.localdate()
    for pact in IntegrityPact.objects.select_related("election"):
        assert pact.signed_at <= timezone.now()
        if pact.method == PactMethod.UPLOAD:
            with pact.file.open("rb") as fh:
                assert pact_file_check(fh, name="x.pdf").content_type == "application/pdf"
        else:
            # During the nomination stage and the campaign, before voting day.
            assert date(2024, 8, 26) <= timezone.localdate(pact.signed_at) < date(2024, 11, 27)
            assert pact.link_issued_by is not None
        assert timezone.localdate(pact.signed_at) <= today


def test_socialisation_events_follow_the_election_stages(seeded):
    events = list(SocialisationEvent.objects.select_related("election"))
    assert len(events) >= 6
    for event in events:
        expected = "pemilu-2024" if event.held_on < date(2024, 3, 21) else "pilkada-2024"
        assert event.election.code == expected, event
        assert event.attendees.exists() and event.unlisted_attendee_count > 0
        for attendee in event.attendees.select_related("agency"):
            assert attendee.agency.path.startswith(event.agency.path)
    pilkada_events = [e for e in events if e.election.code == "pilkada-2024"]
    assert len(pilkada_events) >= 5
    assert {e.held_on.month for e in pilkada_events} >= {8, 9, 10, 11}


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label.startswith("registry.")
    }


def test_a_second_run_adds_nothing(media):
    before = _counts()
    heads = dict(Agency.objects.filter(head__isnull=False).values_list("code", "head_id"))
    employees = {spec.key: Employee.objects.get(name=spec.name) for spec in EMPLOYEES}
    users = {u.username: u for u in User.objects.all()}
    summary = integrity_demo_seed(employees=employees, users=users)
    assert (summary.pacts, summary.events) == (0, 0)
    assert _counts() == before
    assert dict(Agency.objects.filter(head__isnull=False).values_list("code", "head_id")) == heads
