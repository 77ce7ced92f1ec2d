"""Fixtures for the integrity-pact tests: the two 2024 elections of the reference data,
employees of the root conftest's ``disdik`` (the agency of the ``agency_head`` persona)
and of the provincial Dinas Kesehatan (outside that persona's scope), and sheet files."""

from __future__ import annotations

import io

import pytest
from PIL import Image

# A minimal but well-formed PDF: header, objects, trailer and end-of-file marker.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes(colour: tuple[int, int, int] = (10, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def pilkada(db):
    from netralitas.elections.models import Election

    return Election.objects.get(code="pilkada-2024")


@pytest.fixture
def pemilu(db):
    from netralitas.elections.models import Election

    return Election.objects.get(code="pemilu-2024")


@pytest.fixture
def dinkes(db):
    from netralitas.registry.models import Agency

    return Agency.objects.get(code="19.OPD.DINKES")


@pytest.fixture
def sma_unit(disdik):
    """A unit below ``disdik`` (whichever Dinas Pendidikan the root conftest picks)."""
    from netralitas.registry.models import Agency, AgencyKind

    return Agency.objects.create(
        code=f"{disdik.code}.SMA", kind=AgencyKind.UNIT, name="Bidang Pembinaan SMA", parent=disdik
    )


@pytest.fixture
def make_employee(db):
    from netralitas.registry.models import Employee

    counter = {"n": 0}

    def make(agency, name: str | None = None, **fields):
        counter["n"] += 1
        n = counter["n"]
        values = {
            "nip": f"19800101200501{1 if n % 2 else 2}{n:03d}",
            "name": name or f"Pegawai {n}",
            "kind": "PNS",
            "agency": agency,
        }
        values.update(fields)
        return Employee.objects.create(**values)

    return make


@pytest.fixture
def kadis(disdik, make_employee):
    """The head of Dinas Pendidikan, recorded on the agency."""
    head = make_employee(
        disdik, "Drs. Mulyono Santoso, M.Pd.", position="Kepala Dinas", holds_leadership_post=True
    )
    disdik.head = head
    disdik.save(update_fields=["head"])
    return head


@pytest.fixture
def guru(disdik, make_employee):
    return make_employee(disdik, "Yuliana Safitri, S.Pd.", position="Guru SMA Negeri 1")


@pytest.fixture
def perawat(dinkes, make_employee):
    """An employee outside the agency head's scope."""
    return make_employee(dinkes, "Novita Sari, S.Kep.", position="Perawat")
