"""A small province of rows whose every count is known.

Agencies: ``disdik`` (the root conftest's: Dinas Pendidikan of Kabupaten Bangka, the agency
head's) and a unit of it; the province's own node; Kabupaten Belitung's own node and its
Kecamatan Sijuk; and rows with no agency.
Each entity has rows on both sides of a month boundary in WIB, rows outside any stage, and
the awkward cases (two violation types, no violation type, no date, a case with findings on
two platforms and one with two findings on the same platform).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

# Django imports stay inside the fixture (as in the root conftest), so that the chart
# tests, which are pure, also run with ``-p no:django``.

PROVINCE = "19"
BELITUNG = "19.02"
SIJUK = "19.02.KEC.SIJUK"
BANGKA = "19.01"


@dataclass
class World:
    reports: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)


@pytest.fixture
def world(db, disdik) -> World:
    from netralitas.core.timeutil import local_today
    from netralitas.dashboards.tests.factories import (
        agency,
        make_case,
        make_finding,
        make_report,
        pilkada_stage,
        wib,
    )
    from netralitas.registry.models import Agency

    unit = Agency.objects.create(
        code=f"{disdik.code}.UJI", kind="unit", name="Bidang Uji", parent=disdik
    )
    province = agency(PROVINCE)
    belitung, sijuk = agency(BELITUNG), agency(SIJUK)
    campaign = pilkada_stage("campaign")
    nomination = pilkada_stage("nomination")
    past = local_today() - timedelta(days=10)
    future = local_today() + timedelta(days=30)
    w = World()
    w.reports = {
        # 23:30 WIB on 31 October is 16:30 UTC: October in Bangka Belitung.
        "oct_last": make_report(at=wib(2024, 10, 31, 23, 30), agency=disdik, stage=campaign),
        "nov_first": make_report(
            at=wib(2024, 11, 1, 0, 30), agency=unit, violations=("KE-02", "DS-05")
        ),
        "sijuk": make_report(
            at=wib(2024, 9, 10), agency=sijuk, violations=("DS-05",), status="in_case"
        ),
        "belitung_own": make_report(
            at=wib(2024, 9, 12), agency=belitung, violations=(), status="dismissed"
        ),
        "no_agency": make_report(at=wib(2024, 2, 1), violations=("KE-01",), stage=nomination),
        "province_own": make_report(at=wib(2024, 10, 5), agency=province),
    }
    w.cases = {
        "two_platforms": make_case(
            at=wib(2024, 10, 12), agency=disdik, status="examination", due_on=past, stage=campaign
        ),
        "forwarded": make_case(
            at=wib(2024, 10, 20),
            agency=sijuk,
            violation="DS-05",
            status="forwarded",
            due_on=past,
            forwarded_to="ppk",
            forwarded_to_name="Bupati Belitung",
        ),
        "closed": make_case(at=wib(2024, 11, 2), agency=unit, status="closed", due_on=past),
        "province_own": make_case(
            at=wib(2024, 9, 1), agency=province, violation="DS-05", due_on=future
        ),
        "no_agency": make_case(at=wib(2024, 9, 5), status="registered", due_on=past),
        "same_platform": make_case(at=wib(2024, 10, 25), agency=disdik, status="proven"),
    }
    c = w.cases
    w.findings = {
        "fb_disdik": make_finding(at=wib(2024, 10, 10), agency=disdik, stage=campaign),
        "wa_unit": make_finding(
            at=wib(2024, 10, 11),
            platform="whatsapp",
            agency=unit,
            status="confirmed",
            case=c["two_platforms"],
        ),
        "fb_case": make_finding(
            at=wib(2024, 10, 11), agency=disdik, status="confirmed", case=c["two_platforms"]
        ),
        "dismissed": make_finding(at=wib(2024, 11, 20), agency=sijuk, status="dismissed"),
        "undated": make_finding(at=None, platform="instagram"),
        # 00:00 WIB on 1 October is still 30 September in UTC.
        "oct_first": make_finding(at=wib(2024, 10, 1, 0, 0), agency=belitung),
        "same_1": make_finding(
            at=wib(2024, 10, 24), agency=disdik, status="confirmed", case=c["same_platform"]
        ),
        "same_2": make_finding(
            at=wib(2024, 10, 24, 11), agency=disdik, status="confirmed", case=c["same_platform"]
        ),
    }
    return w
