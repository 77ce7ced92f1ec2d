"""Demo integrity pacts and socialisation events (called from core.demo.demo_seed).

The picture follows domain.md §7: every head of a provincial agency signed a neutrality
commitment [AB1]. Here they did so for Pemilu 2024 (a signing in October 2023) and, for
Pilkada 2024, at a signing on 20 August 2024 before registration (27-29 Aug) - all but two:
the head of DLH, who missed the signing and has not sent the sheet, and the acting head of
BPBD, appointed in October. Their staff acknowledged through personal links during the
nomination and campaign stages, about half in the province and fewer in the regencies;
camats signed at their regency's signing. Socialisation events follow the Pilkada stages.

Everything goes through registry.pacts (file checks, duplicates, scope), and every run
looks up what the previous one made, so a second run adds nothing. The choice of who
signed and when comes from a hash of the name, not from a shared random sequence, so it
does not change when other demo data is added.
"""

from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from netralitas.accounts.models import User
from netralitas.elections.models import Election
from netralitas.registry.models import (
    Agency,
    Employee,
    EmployeeKind,
    IntegrityPact,
    SocialisationEvent,
)
from netralitas.registry.nip import parse_nip
from netralitas.registry.pacts import (
    PactUpload,
    pact_acknowledge,
    pact_record_upload,
    socialisation_record,
)


@dataclass(frozen=True)
class IntegrityDemoSummary:
    heads: int
    pacts: int
    events: int


@dataclass(frozen=True)
class _Head:
    agency: str
    name: str
    sex: str
    position: str
    rank: str
    born: int
    pilkada: bool = True  # signed the Pilkada 2024 pact
    pemilu: bool = True  # signed the Pemilu 2024 pact (Oct 2023)


# fmt: off
# Fictitious heads of the provincial agencies (OPD). Echelon II heads hold IV/c-IV/d,
# the regional secretary IV/e.
HEADS = [
    _Head("19.OPD.SETDA", "Dr. Ir. Rusdi Hamzah, M.Si.", "M", "Sekretaris Daerah Provinsi", "IV/e", 1967),
    _Head("19.OPD.BKPSDMD", "Drs. Ahmad Fauzi, M.Si.", "M", "Kepala BKPSDMD", "IV/d", 1968),
    _Head("19.OPD.INSPEKTORAT", "Hj. Rosmawati, S.E., M.M.", "F", "Inspektur Provinsi", "IV/d", 1969),
    _Head("19.OPD.BAPPEDA", "Dr. Ferdi Saputra, S.T., M.T.", "M", "Kepala Bappeda", "IV/d", 1972),
    _Head("19.OPD.BPKAD", "Hj. Yuliawati, S.E., M.Ak.", "F", "Kepala BPKAD", "IV/d", 1970),
    _Head("19.OPD.KESBANGPOL", "H. Sudarman, S.Sos., M.Si.", "M", "Kepala Badan Kesbangpol", "IV/c", 1968),
    # The agency head of the demo account kadis.pendidikan.
    _Head("19.OPD.DISDIK", "Drs. Mulyono Santoso, M.Pd.", "M", "Kepala Dinas Pendidikan", "IV/c", 1969),
    _Head("19.OPD.DINKES", "dr. Rina Kartikasari, M.Kes.", "F", "Kepala Dinas Kesehatan", "IV/c", 1973),
    _Head("19.OPD.PUPR", "Ir. Tjahyo Wibowo, M.T.", "M", "Kepala Dinas PUPR", "IV/c", 1967),
    _Head("19.OPD.KOMINFO", "Sri Rahayu Ningsih, S.Sos., M.Si.", "F", "Kepala Diskominfo", "IV/c", 1974),
    _Head("19.OPD.DINSOS", "Drs. Hasan Basri, M.Si.", "M", "Kepala Dinas Sosial", "IV/c", 1968),
    _Head("19.OPD.DISHUB", "Budi Prasetyo, S.T., M.T.", "M", "Kepala Dinas Perhubungan", "IV/c", 1971),
    _Head("19.OPD.SATPOLPP", "Drs. Johan Effendi", "M", "Kepala Satuan Polisi Pamong Praja", "IV/c", 1967),
    _Head("19.OPD.DPMPTSP", "Dewi Kartika, S.H., M.H.", "F", "Kepala DPMPTSP", "IV/c", 1975),
    _Head("19.OPD.DKP", "Ir. Syahrial Anwar, M.Si.", "M", "Kepala Dinas Kelautan dan Perikanan", "IV/c", 1969),
    _Head("19.OPD.DISTAN", "Dr. Ir. Zulfikar Ali, M.P.", "M", "Kepala Dinas Pertanian", "IV/c", 1970),
    _Head("19.OPD.DLH", "Ir. Marwan Syahputra, M.Si.", "M", "Kepala Dinas Lingkungan Hidup", "IV/c", 1970, pilkada=False),
    # Appointed acting head in October 2024: after both signings.
    _Head("19.OPD.BPBD", "Rudianto, S.Sos., M.Si.", "M", "Plt. Kepala Pelaksana BPBD", "IV/b", 1976, pilkada=False, pemilu=False),
    _Head("19.OPD.RSUD", "dr. Maria Tan, Sp.A., M.Kes.", "F", "Direktur RSUD Ir. Soekarno", "IV/c", 1972),
]
# fmt: on
# core.demo employees who head an agency: (employee key, agency code).
EXISTING_HEADS = [
    ("kadispar", "19.OPD.DISPAR"),
    ("camat_pangkalbalam", "19.71.KEC.PANGKALBALAM"),
    ("camat_belinyu", "19.01.KEC.BELINYU"),
    ("camat_jebus", "19.03.KEC.JEBUS"),
    ("camat_koba", "19.04.KEC.KOBA"),
    ("camat_toboali", "19.05.KEC.TOBOALI"),
    ("camat_manggar", "19.06.KEC.MANGGAR"),
]

PEMILU_SIGNING = date(2023, 10, 16)
PILKADA_SIGNING = date(2024, 8, 20)
REGENCY_SIGNING = date(2024, 9, 3)
# Staff acknowledged from the nomination stage into the campaign (domain.md §11).
ACK_FROM, ACK_DAYS = date(2024, 8, 26), 50
PROVINCE_SHARE, REGENCY_SHARE = 55, 30  # percent of staff who acknowledged


@dataclass(frozen=True)
class _Event:
    agency: str
    held_on: date
    title: str
    place: str
    organiser: str
    # "heads:<election>" (the provincial heads who signed for it), agency codes (all
    # their staff), or core.demo employee keys.
    attendees: tuple[str, ...]
    unlisted: int
    notes: str = ""


EVENTS = [
    _Event(
        "19",
        date(2023, 11, 22),
        "Sosialisasi Netralitas ASN Menjelang Masa Kampanye Pemilu 2024",
        "Aula Kantor Gubernur Kepulauan Bangka Belitung",
        "BKPSDMD dan Bawaslu Provinsi Kepulauan Bangka Belitung",
        ("heads:pemilu",),
        35,
        "Materi: SKB 2022 dan larangan bagi ASN di media sosial selama kampanye.",
    ),
    _Event(
        "19",
        PILKADA_SIGNING,
        "Penandatanganan Pakta Integritas dan Sosialisasi Netralitas ASN Pilkada Serentak 2024",
        "Aula Kantor Gubernur Kepulauan Bangka Belitung",
        "Pemerintah Provinsi bersama Bawaslu Provinsi Kepulauan Bangka Belitung",
        ("heads:pilkada",),
        60,
        "Kepala DLH berhalangan hadir; pakta belum diserahkan.",
    ),
    _Event(
        "19.02.SETDA",
        date(2024, 9, 10),
        "Sosialisasi Netralitas ASN pada Pilkada Kabupaten Belitung 2024",
        "Gedung Nasional Tanjungpandan",
        "Bawaslu Kabupaten Belitung",
        ("19.02.SETDA",),
        40,
    ),
    _Event(
        "19.OPD.DISDIK",
        date(2024, 9, 24),
        "Apel Netralitas ASN Menjelang Masa Kampanye Pilkada 2024",
        "Halaman Kantor Dinas Pendidikan Provinsi",
        "Dinas Pendidikan Provinsi",
        ("19.OPD.DISDIK",),
        120,
        "Diikuti perwakilan guru SMA/SMK negeri se-Kota Pangkalpinang.",
    ),
    _Event(
        "19.OPD.KOMINFO",
        date(2024, 10, 8),
        "Etika Bermedia Sosial bagi ASN selama Masa Kampanye",
        "Ruang Rapat Diskominfo",
        "Diskominfo dan Badan Kesbangpol Provinsi",
        ("19.OPD.KOMINFO",),
        25,
    ),
    _Event(
        "19.71.KEC.PANGKALBALAM",
        date(2024, 10, 17),
        "Sosialisasi Netralitas ASN bagi Aparatur Kecamatan dan Kelurahan",
        "Kantor Camat Pangkalbalam",
        "Bawaslu Kota Pangkalpinang",
        ("camat_pangkalbalam", "lurah_ketapang"),
        18,
    ),
    _Event(
        "19.06.KEC.MANGGAR",
        date(2024, 11, 20),
        "Pengingat Netralitas ASN Menjelang Masa Tenang dan Pemungutan Suara",
        "Kantor Camat Manggar",
        "Panwaslu Kecamatan Manggar",
        ("camat_manggar", "lurah_kurniajaya"),
        22,
    ),
]


def _hash(text: str) -> int:
    return zlib.crc32(text.encode())


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _head_nip(spec: _Head) -> str:
    rng = random.Random(_hash(spec.name))
    while True:
        birth = date(spec.born, rng.randint(1, 12), rng.randint(1, 28))
        appointed = birth.year + rng.randint(23, 27)
        serial = rng.randint(1, 9)
        nip = f"{birth:%Y%m%d}{appointed:04d}03{1 if spec.sex == 'M' else 2}{serial:03d}"
        if not Employee.objects.filter(nip=nip).exists():
            parse_nip(nip, kind=EmployeeKind.PNS)  # a bug here should fail loudly
            return nip


def _heads_ensure(
    agencies: dict[str, Agency], employees: dict[str, Employee]
) -> dict[str, Employee]:
    """The head of each agency, created when missing; recorded on the agency when it has
    none (an existing head is real data and is left alone)."""
    heads: dict[str, Employee] = {}
    for spec in HEADS:
        agency = agencies[spec.agency]
        head = Employee.objects.filter(agency=agency, name=spec.name).first()
        if head is None:
            head = Employee.objects.create(
                nip=_head_nip(spec),
                name=spec.name,
                kind=EmployeeKind.PNS,
                position=spec.position,
                rank=spec.rank,
                agency=agency,
                holds_leadership_post=True,
            )
        heads[spec.agency] = head
    for key, code in EXISTING_HEADS:
        if key in employees:
            heads[code] = employees[key]
    for code, head in heads.items():
        agency = agencies[code]
        if agency.head_id is None:
            agency.head = head
            agency.save(update_fields=["head"])
    return heads


def _signed_sheet(employee: Employee, election: Election, day: date) -> bytes:
    """A one-page scan-like PDF of the signed pact."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    # invariant=True: no creation date or random id, so a rerun makes the same bytes.
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle("Pakta Integritas Netralitas ASN")
    width, height = A4
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(width / 2, height - 90, "PAKTA INTEGRITAS NETRALITAS ASN")
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, height - 110, election.name)
    lines = [
        f"Nama     : {employee.name}",
        f"NIP      : {employee.nip or '-'}",
        f"Jabatan  : {employee.position}",
        f"Instansi : {employee.agency.name}",
        "",
        "Menyatakan akan menjaga netralitas sebagai Aparatur Sipil Negara",
        "sesuai SKB 2022 dan peraturan perundang-undangan.",
    ]
    y = height - 160
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.drawString(width - 250, y - 30, f"Tanggal: {day:%d-%m-%Y}")
    pdf.drawString(width - 250, y - 100, employee.name)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _upload(employee: Employee, election: Election, day: date, verifier: User) -> bool:
    if IntegrityPact.objects.filter(employee=employee, election=election).exists():
        return False
    data = _signed_sheet(employee, election, day)
    pact_record_upload(
        employee=employee,
        election=election,
        signed_on=day,
        upload=PactUpload(name=f"pakta-{employee.pk}.pdf", file=io.BytesIO(data)),
        actor=verifier,
    )
    return True


def _acknowledgements(
    pilkada: Election, heads: set[int], root: Agency, share: int, verifier: User
) -> int:
    staff = Employee.objects.select_related("agency").filter(
        is_active=True, agency__path__startswith=root.path
    )
    created = 0
    for employee in staff.exclude(pk__in=heads).order_by("pk"):
        h = _hash(employee.name)
        if h % 100 >= share:
            continue
        day = ACK_FROM + timedelta(days=h % ACK_DAYS)
        at = _aware(day, 7 + h % 12, h % 60)
        _pact, was_created = pact_acknowledge(
            employee=employee, election=pilkada, issued_by_id=verifier.pk, at=at
        )
        created += was_created
    return created


def _event_attendees(
    spec: _Event,
    heads: dict[str, Employee],
    employees: dict[str, Employee],
    agencies: dict[str, Agency],
) -> list[Employee]:
    people: list[Employee] = []
    for item in spec.attendees:
        if item.startswith("heads:"):
            signed = {s.agency for s in HEADS if getattr(s, item.removeprefix("heads:"))}
            people += [h for code, h in heads.items() if code in signed]
        elif item in agencies:
            people += list(
                Employee.objects.filter(
                    is_active=True, agency__path__startswith=agencies[item].path
                )
            )
        elif item in employees:
            people.append(employees[item])
    return people


def integrity_demo_seed(
    *, employees: dict[str, Employee], users: dict[str, User]
) -> IntegrityDemoSummary:
    """Heads, pacts and socialisation events for the demo; idempotent."""
    verifier = users["verifikator"]
    agencies = {a.code: a for a in Agency.objects.all()}
    elections = {
        e.code: e for e in Election.objects.filter(code__in=["pemilu-2024", "pilkada-2024"])
    }
    pemilu, pilkada = elections.get("pemilu-2024"), elections.get("pilkada-2024")
    heads = _heads_ensure(agencies, employees)
    pacts = 0
    specs = {spec.agency: spec for spec in HEADS}
    for code, head in heads.items():
        spec = specs.get(code)
        provincial = code.startswith("19.OPD.")
        if pemilu is not None and provincial and (spec is None or spec.pemilu):
            pacts += _upload(head, pemilu, PEMILU_SIGNING, verifier)
        if pilkada is not None and (spec is None or spec.pilkada):
            day = PILKADA_SIGNING if provincial else REGENCY_SIGNING
            pacts += _upload(head, pilkada, day, verifier)
    if pilkada is not None:
        head_ids = {h.pk for h in heads.values()}
        province = agencies["19"]
        for region in province.children.filter(kind__in=["regency", "city"]):
            pacts += _acknowledgements(pilkada, head_ids, region, REGENCY_SHARE, verifier)
        provincial_opd = Agency.objects.filter(parent=province, kind="agency")
        for opd in provincial_opd:
            pacts += _acknowledgements(pilkada, head_ids, opd, PROVINCE_SHARE, verifier)
    events = 0
    for plan in EVENTS:
        agency = agencies[plan.agency]
        if SocialisationEvent.objects.filter(
            agency=agency, held_on=plan.held_on, title=plan.title
        ).exists():
            continue
        socialisation_record(
            agency=agency,
            held_on=plan.held_on,
            title=plan.title,
            place=plan.place,
            organiser=plan.organiser,
            attendees=_event_attendees(plan, heads, employees, agencies),
            unlisted_attendee_count=plan.unlisted,
            notes=plan.notes,
            actor=verifier,
        )
        events += 1
    return IntegrityDemoSummary(heads=len(heads), pacts=pacts, events=events)
