"""Demo data: staff accounts, employees, reports and cases in every status.

``demo_seed`` fills an empty database (after ``load_reference_data``) with a
believable picture of neutrality supervision in Kepulauan Bangka Belitung during
Pemilu 2024 and Pilkada 2024, plus a handful of recent reports so the verifier's
inbox is alive whenever the demo is run.

Everything goes through the services (``report_submit``, ``case_open_from_report``,
``case_transition``, ``report_dismiss``), backdated with their ``at`` and
``submitted_at`` arguments, so the demo exercises the same guards, due dates and
timeline events as real use. Content is fixed and the randomness (NIPs, hours, gaps
between steps) comes from ``random.Random(2024)``, so two runs on the same day give
the same data; dates of the "recent" items move with today.

The people are fictitious. Contests and ballot numbers are the real ones of 2024
(domain.md §11-12); candidates are referred to by ballot number only.
"""

from __future__ import annotations

import io
import random
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from netralitas.accounts.models import Role, User
from netralitas.cases.models import Case, CaseStatus, Holiday
from netralitas.cases.selectors import cases_overdue
from netralitas.cases.services import case_open_from_report, case_transition
from netralitas.elections.models import SanctionKind, ViolationType
from netralitas.monitoring.demo import monitoring_demo_seed
from netralitas.registry.demo import integrity_demo_seed
from netralitas.registry.models import Agency, AgencyKind, Employee, EmployeeKind
from netralitas.registry.nip import PPPK_MONTH, parse_nip
from netralitas.reports.models import Channel, Report, ReportStatus
from netralitas.reports.services import (
    EvidenceUpload,
    ReportSubmission,
    report_dismiss,
    report_submit,
)

# A demo, not a deployment: every demo account shares this published password, and
# ``netralitas demo`` refuses to run when NETRALITAS_ENV=production.
DEMO_PASSWORD = "netralitas-demo"
# Its presence means the demo was seeded; demo_seed then does nothing.
MARKER_USERNAME = "verifikator"
SEED = 2024

S = CaseStatus


class DemoError(RuntimeError):
    pass


# --- Summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    role_label: str
    full_name: str
    agency: str


@dataclass
class DemoSummary:
    created: bool
    accounts: list[DemoAccount]
    case_counts: dict[str, int]
    overdue: int
    reports: int
    reports_new: int
    reports_dismissed: int
    employees: int
    password: str = DEMO_PASSWORD

    @property
    def cases(self) -> int:
        return sum(self.case_counts.values())


# --- Staff accounts ------------------------------------------------------------------


@dataclass(frozen=True)
class _AccountSpec:
    username: str
    role: str
    first_name: str
    last_name: str
    agency_code: str | None
    superuser: bool = False


ACCOUNTS = [
    # The monitoring team sits in Kesbangpol (domain.md §7), the examiners in BKPSDMD.
    _AccountSpec("verifikator", Role.VERIFIER, "Yudi", "Pranata", "19.OPD.KESBANGPOL"),
    _AccountSpec("pemeriksa", Role.EXAMINER, "Dewi", "Anggraini", "19.OPD.BKPSDMD"),
    _AccountSpec("ppk.provinsi", Role.PPK, "Arief", "Rahman Hakim", "19"),
    _AccountSpec("ppk.pangkalpinang", Role.PPK, "Hendra", "Gunawan", "19.71"),
    _AccountSpec("ppk.belitung", Role.PPK, "Sulaiman", "Djohan", "19.02"),
    _AccountSpec("bawaslu", Role.BAWASLU, "Ratna", "Sari Dewi", None),
    _AccountSpec("kadis.pendidikan", Role.AGENCY_HEAD, "Mulyono", "Santoso", "19.OPD.DISDIK"),
    _AccountSpec("admin", Role.ADMIN, "Rizky", "Firmansyah", None, superuser=True),
]
DEMO_USERNAMES = [a.username for a in ACCOUNTS]


def _accounts_create() -> dict[str, User]:
    # One PBKDF2 hash for all: hashing costs ~0.3 s each, and the password is public.
    password = make_password(DEMO_PASSWORD)
    agencies = {
        a.code: a
        for a in Agency.objects.filter(code__in=[s.agency_code for s in ACCOUNTS if s.agency_code])
    }
    users: dict[str, User] = {}
    for spec in ACCOUNTS:
        users[spec.username] = User.objects.create(
            username=spec.username,
            password=password,
            role=spec.role,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@example.org",
            agency=agencies[spec.agency_code] if spec.agency_code else None,
            is_staff=spec.superuser,
            is_superuser=spec.superuser,
        )
    return users


# --- Employees -----------------------------------------------------------------------

PNS, PPPK, NON_ASN = EmployeeKind.PNS, EmployeeKind.PPPK, EmployeeKind.NON_ASN


@dataclass(frozen=True)
class _EmployeeSpec:
    key: str
    name: str
    sex: str  # "M" / "F": the NIP's sex digit
    agency: str
    position: str
    rank: str
    kind: str = PNS
    lead: bool = False
    born: tuple[int, int] = (1978, 1990)


E = _EmployeeSpec
# fmt: off
# The people the reports are about. Ranks follow the post: camat III/d-IV/a, lurah III/c,
# heads of division IV/a, JPT IV/c; PPPK carry a grade (golongan IX for "Ahli Pertama").
EMPLOYEES = [
    # Provincial agencies (OPD)
    E("kabid_sma", "Drs. Syamsul Bahri, M.Pd.", "M", "19.OPD.DISDIK.SMA", "Kepala Bidang Pembinaan SMA", "IV/b", lead=True, born=(1968, 1972)),
    E("guru_sma1_pkp", "Yuliana Safitri, S.Pd.", "F", "19.OPD.DISDIK", "Guru SMA Negeri 1 Pangkalpinang", "III/d", born=(1978, 1984)),
    E("guru_sma3_pkp", "Hendri Saputra, S.Pd.", "M", "19.OPD.DISDIK", "Guru SMA Negeri 3 Pangkalpinang", "III/b", born=(1988, 1993)),
    E("kepsek_sma1_sgl", "Drs. Zulkarnain, M.M.", "M", "19.OPD.DISDIK", "Kepala SMA Negeri 1 Sungailiat", "IV/a", born=(1969, 1974)),
    E("guru_smk2_pkp", "Rina Marlina, S.Pd.", "F", "19.OPD.DISDIK.SMK", "Guru Ahli Pertama SMK Negeri 2 Pangkalpinang", "IX", kind=PPPK, born=(1986, 1994)),
    E("guru_sma1_koba", "Muhammad Fadli, S.Pd.", "M", "19.OPD.DISDIK", "Guru Ahli Pertama SMA Negeri 1 Koba", "IX", kind=PPPK, born=(1984, 1992)),
    E("analis_bkpsdmd", "Dian Pratiwi, S.Psi.", "F", "19.OPD.BKPSDMD.MUTASI", "Analis Sumber Daya Manusia Aparatur Ahli Pertama", "III/a", born=(1993, 1997)),
    E("kasubag_dinkes", "Herlina, S.K.M., M.Kes.", "F", "19.OPD.DINKES", "Kepala Subbagian Umum dan Kepegawaian", "III/d", lead=True, born=(1976, 1982)),
    E("perawat_rsud", "Novita Sari, S.Kep., Ners", "F", "19.OPD.RSUD.KEPERAWATAN", "Perawat Ahli Pertama", "IX", kind=PPPK, born=(1990, 1996)),
    E("dokter_rsud", "dr. Ferry Lim, Sp.PD", "M", "19.OPD.RSUD.YANMED", "Dokter Ahli Madya", "IV/a", born=(1975, 1980)),
    E("kabid_binamarga", "Ir. Darmawan, M.T.", "M", "19.OPD.PUPR.BINAMARGA", "Kepala Bidang Bina Marga", "IV/a", lead=True, born=(1970, 1975)),
    E("humas_kominfo", "Wahyu Kurniawan, S.I.Kom.", "M", "19.OPD.KOMINFO.IKP", "Pranata Hubungan Masyarakat Ahli Muda", "III/c", born=(1984, 1989)),
    E("prakom_kominfo", "Aprilia Handayani, S.Kom.", "F", "19.OPD.KOMINFO.APTIKA", "Pranata Komputer Ahli Pertama", "III/a", born=(1994, 1998)),
    E("penyuluh_dinsos", "Suhardi, S.Sos.", "M", "19.OPD.DINSOS.LINJAMSOS", "Penyuluh Sosial Ahli Muda", "III/c", born=(1979, 1985)),
    E("satpol_pp", "Tarmizi", "M", "19.OPD.SATPOLPP.TRANTIBUM", "Polisi Pamong Praja Terampil", "II/d", born=(1986, 1991)),
    E("thl_dishub", "Rudi Hartono", "M", "19.OPD.DISHUB.LLAJ", "Tenaga Harian Lepas (Petugas Terminal Penumpang)", "", kind=NON_ASN, born=(1990, 1998)),
    E("sekdis_dkp", "H. Marzuki, S.Pi., M.Si.", "M", "19.OPD.DKP", "Sekretaris Dinas Kelautan dan Perikanan", "IV/b", lead=True, born=(1969, 1974)),
    E("kadispar", "Drs. Bambang Irawan, M.Si.", "M", "19.OPD.DISPAR", "Kepala Dinas Pariwisata", "IV/c", lead=True, born=(1967, 1971)),
    E("kabag_pemum", "Iskandar Muda, S.STP., M.Si.", "M", "19.OPD.SETDA.BIROPEM", "Kepala Bagian Pemerintahan Umum", "IV/a", lead=True, born=(1978, 1983)),
    E("penyuluh_distan", "Sapta Wijaya, S.P.", "M", "19.OPD.DISTAN.BUN", "Penyuluh Pertanian Ahli Muda", "III/c", born=(1980, 1986)),
    E("bpkad_aset", "Eka Putri Lestari, S.E.", "F", "19.OPD.BPKAD.ASET", "Pengelola Barang Milik Daerah", "III/a", born=(1993, 1997)),
    E("honorer_kesbangpol", "Fajar Ramadhan", "M", "19.OPD.KESBANGPOL", "Tenaga Pendukung Administrasi", "", kind=NON_ASN, born=(1994, 1998)),
    E("perencana_bappeda", "Putri Ayu Anggraini, S.T.", "F", "19.OPD.BAPPEDA.INFRA", "Perencana Ahli Pertama", "III/b", born=(1991, 1995)),
    E("analis_bpbd", "Junaidi, S.Sos.", "M", "19.OPD.BPBD.KL", "Analis Kebencanaan Ahli Muda", "III/c", born=(1980, 1986)),
    # Kota Pangkalpinang
    E("camat_pangkalbalam", "Rizal Effendi, S.STP., M.Si.", "M", "19.71.KEC.PANGKALBALAM", "Camat Pangkalbalam", "III/d", lead=True, born=(1981, 1986)),
    E("lurah_ketapang", "Agus Salim, S.Sos.", "M", "19.71.KEC.PANGKALBALAM", "Lurah Ketapang", "III/c", lead=True, born=(1978, 1984)),
    E("lurah_rawabangun", "Sri Wahyuni, S.E.", "F", "19.71.KEC.TAMANSARI", "Lurah Rawa Bangun", "III/c", lead=True, born=(1979, 1985)),
    E("sekcam_gerunggang", "Taufik Hidayat, S.IP.", "M", "19.71.KEC.GERUNGGANG", "Sekretaris Kecamatan Gerunggang", "III/d", lead=True, born=(1977, 1983)),
    E("kasi_pem_tamansari", "Melati Purnamasari, S.STP.", "F", "19.71.KEC.TAMANSARI", "Kepala Seksi Pemerintahan Kecamatan Taman Sari", "III/c", lead=True, born=(1988, 1992)),
    E("guru_smp3_pkp", "Nurhasanah, S.Pd.", "F", "19.71.DISDIK", "Guru SMP Negeri 3 Pangkalpinang", "III/c", born=(1982, 1988)),
    E("guru_sd21_pkp", "Lina Oktaviani, S.Pd.", "F", "19.71.DISDIK", "Guru Ahli Pertama SD Negeri 21 Pangkalpinang", "IX", kind=PPPK, born=(1985, 1993)),
    E("analis_hukum_pkp", "Ahmad Rizal, S.H.", "M", "19.71.SETDA", "Analis Hukum Ahli Pertama", "III/b", born=(1990, 1995)),
    E("honorer_gerunggang", "Dedi Kurniawan", "M", "19.71.KEC.GERUNGGANG", "Tenaga Pendukung Administrasi Kecamatan", "", kind=NON_ASN, born=(1992, 1998)),
    E("kabid_bkpsdm_pkp", "Yusuf Effendi, S.Sos., M.Si.", "M", "19.71.BKPSDM", "Kepala Bidang Mutasi dan Promosi", "IV/a", lead=True, born=(1974, 1979)),
    # Kabupaten Bangka
    E("camat_belinyu", "Hasanudin, S.Sos., M.Si.", "M", "19.01.KEC.BELINYU", "Camat Belinyu", "IV/a", lead=True, born=(1972, 1977)),
    E("lurah_paritpadang", "Firmansyah, S.STP.", "M", "19.01.KEC.SUNGAILIAT", "Lurah Parit Padang", "III/c", lead=True, born=(1987, 1991)),
    E("kasi_trantib_sgl", "Mulyadi", "M", "19.01.KEC.SUNGAILIAT", "Kepala Seksi Ketenteraman dan Ketertiban Umum Kecamatan Sungailiat", "III/b", lead=True, born=(1980, 1986)),
    E("guru_sd7_sgl", "Kartini, S.Pd.SD.", "F", "19.01.DISDIK", "Guru SD Negeri 7 Sungailiat", "III/d", born=(1975, 1981)),
    E("kabag_protokol_bangka", "Andi Susanto, S.Sos.", "M", "19.01.SETDA", "Kepala Bagian Protokol dan Komunikasi Pimpinan", "IV/a", lead=True, born=(1976, 1981)),
    E("guru_smp1_belinyu", "Reni Anggraini, S.Pd.", "F", "19.01.DISDIK", "Guru Ahli Pertama SMP Negeri 1 Belinyu", "IX", kind=PPPK, born=(1986, 1993)),
    # Kabupaten Belitung
    E("kapus_sijuk", "dr. Indah Permatasari", "F", "19.02.DINKES", "Kepala Puskesmas Sijuk", "III/d", lead=True, born=(1983, 1988)),
    E("lurah_parit", "Syahrial, S.Sos.", "M", "19.02.KEC.TANJUNGPANDAN", "Lurah Parit", "III/c", lead=True, born=(1978, 1984)),
    E("staf_setda_blt", "Yanti Susanti, S.A.P.", "F", "19.02.SETDA", "Penata Layanan Operasional Bagian Umum", "III/a", born=(1992, 1996)),
    # Kabupaten Bangka Barat
    E("camat_jebus", "Novriansyah, S.STP., M.Si.", "M", "19.03.KEC.JEBUS", "Camat Jebus", "III/d", lead=True, born=(1983, 1987)),
    E("kasi_trantib_muntok", "Ridwan", "M", "19.03.KEC.MUNTOK", "Kepala Seksi Ketenteraman dan Ketertiban Umum Kecamatan Muntok", "III/b", lead=True, born=(1979, 1985)),
    E("guru_smp1_muntok", "Siti Rahmawati, S.Pd.", "F", "19.03.DISDIK", "Guru SMP Negeri 1 Muntok", "III/c", born=(1982, 1987)),
    # Kabupaten Bangka Tengah
    E("camat_koba", "Gunawan Setiadi, S.STP.", "M", "19.04.KEC.KOBA", "Camat Koba", "III/d", lead=True, born=(1980, 1985)),
    E("lurah_berok", "Zulkifli, S.E.", "M", "19.04.KEC.KOBA", "Lurah Berok", "III/c", lead=True, born=(1979, 1984)),
    E("guru_sd4_koba", "Fitriani, S.Pd.", "F", "19.04.DISDIK", "Guru SD Negeri 4 Koba", "III/b", born=(1989, 1994)),
    E("sekcam_pangkalanbaru", "Irwan Saputra, S.IP.", "M", "19.04.KEC.PANGKALANBARU", "Sekretaris Kecamatan Pangkalan Baru", "III/d", lead=True, born=(1978, 1983)),
    # Kabupaten Bangka Selatan
    E("camat_toboali", "Usman Effendi, S.Sos.", "M", "19.05.KEC.TOBOALI", "Camat Toboali", "IV/a", lead=True, born=(1973, 1978)),
    E("lurah_teladan", "Juliana, S.Sos.", "F", "19.05.KEC.TOBOALI", "Lurah Teladan", "III/c", lead=True, born=(1980, 1986)),
    E("guru_smp2_toboali", "Joko Prasetyo, S.Pd.", "M", "19.05.DISDIK", "Guru SMP Negeri 2 Toboali", "III/c", born=(1981, 1987)),
    E("kasi_kesos_airgegas", "Arif Budiman", "M", "19.05.KEC.AIRGEGAS", "Kepala Seksi Kesejahteraan Sosial Kecamatan Air Gegas", "III/b", lead=True, born=(1982, 1988)),
    # Kabupaten Belitung Timur
    E("camat_manggar", "Ferdiansyah, S.STP., M.A.P.", "M", "19.06.KEC.MANGGAR", "Camat Manggar", "III/d", lead=True, born=(1982, 1986)),
    E("lurah_kurniajaya", "Maya Sari, S.Sos.", "F", "19.06.KEC.MANGGAR", "Lurah Kurnia Jaya", "III/c", lead=True, born=(1981, 1986)),
    E("bidan_gantung", "Wulan Puspita, A.Md.Keb.", "F", "19.06.DINKES", "Bidan Terampil Puskesmas Gantung", "VII", kind=PPPK, born=(1991, 1997)),
]
# fmt: on
del E

# Everyone else on the registry: names are drawn, posts are these (agency, post, kind).
# fmt: off
_FILLER_POSTS = [
    ("19.OPD.DISDIK", "Guru SMA Negeri 2 Pangkalpinang", PNS),
    ("19.OPD.DISDIK", "Guru SMA Negeri 1 Toboali", PNS),
    ("19.OPD.DISDIK", "Guru SMK Negeri 1 Sungailiat", PNS),
    ("19.OPD.DISDIK", "Guru SMA Negeri 1 Tanjung Pandan", PNS),
    ("19.OPD.DISDIK", "Guru Ahli Pertama SMA Negeri 1 Manggar", PPPK),
    ("19.OPD.DISDIK", "Guru Ahli Pertama SMA Negeri 1 Muntok", PPPK),
    ("19.OPD.DISDIK.GTK", "Analis Sumber Daya Manusia Aparatur Ahli Muda", PNS),
    ("19.OPD.BKPSDMD.DISIPLIN", "Analis Sumber Daya Manusia Aparatur Ahli Muda", PNS),
    ("19.OPD.BKPSDMD.PENGEMBANGAN", "Widyaiswara Ahli Muda", PNS),
    ("19.OPD.INSPEKTORAT.IRBAN1", "Auditor Ahli Pertama", PNS),
    ("19.OPD.SETDA.BIROHUKUM", "Perancang Peraturan Perundang-undangan Ahli Pertama", PNS),
    ("19.OPD.SETDA.BIROUMUM", "Pengemudi (tenaga kontrak)", NON_ASN),
    ("19.OPD.DINKES.P2P", "Epidemiolog Kesehatan Ahli Muda", PNS),
    ("19.OPD.DINKES.LABKESDA", "Pranata Laboratorium Kesehatan Terampil", PPPK),
    ("19.OPD.RSUD.YANMED", "Apoteker Ahli Pertama", PPPK),
    ("19.OPD.PUPR.SDA", "Teknik Pengairan Ahli Pertama", PNS),
    ("19.OPD.DLH.PPKL", "Pengendali Dampak Lingkungan Ahli Muda", PNS),
    ("19.OPD.DPMPTSP.PERIZINAN", "Penata Perizinan Ahli Pertama", PNS),
    ("19.OPD.DISPAR.DESTINASI", "Adyatama Kepariwisataan dan Ekonomi Kreatif Ahli Muda", PNS),
    ("19.OPD.DKP.TANGKAP", "Pengawas Perikanan Ahli Pertama", PNS),
    ("19.OPD.DISHUB.LAUT", "Petugas Kebersihan Pelabuhan (tenaga kontrak)", NON_ASN),
    ("19.71.DISDIK", "Guru SD Negeri 8 Pangkalpinang", PNS),
    ("19.71.KEC.PANGKALBALAM", "Pengadministrasi Perkantoran Kelurahan Rejosari", PNS),
    ("19.71.KEC.TAMANSARI", "Operator Komputer (tenaga kontrak)", NON_ASN),
    ("19.01.DISDIK", "Guru SD Negeri 3 Belinyu", PNS),
    ("19.02.KEC.SIJUK", "Kepala Seksi Pelayanan Umum Kecamatan Sijuk", PNS),
    ("19.03.DISDIK", "Guru Ahli Pertama SD Negeri 2 Jebus", PPPK),
    ("19.04.BKPSDM", "Analis Sumber Daya Manusia Aparatur Ahli Pertama", PNS),
    ("19.05.KEC.AIRGEGAS", "Petugas Keamanan Kantor Camat (tenaga kontrak)", NON_ASN),
    ("19.06.KEC.GANTUNG", "Pengadministrasi Umum Kecamatan Gantung", PNS),
]
# fmt: on
_MALE = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajri",
    "Hendra",
    "Irwan",
    "Rudi",
    "Syahrul",
    "Teguh",
    "Yudha",
    "Arif",
    "Bayu",
    "Doni",
    "Gilang",
    "Hasbi",
    "Imam",
    "Kurnia",
    "Rahmat",
    "Ridho",
]
_FEMALE = [
    "Ayu",
    "Desi",
    "Fitri",
    "Hani",
    "Intan",
    "Kiki",
    "Lestari",
    "Mira",
    "Nadia",
    "Puspa",
    "Rahma",
    "Siska",
    "Tika",
    "Vivi",
    "Winda",
    "Yeni",
    "Citra",
    "Dwi",
    "Elsa",
    "Gita",
]
_SURNAMES = [
    "Saputra",
    "Pratama",
    "Hidayat",
    "Setiawan",
    "Wijaya",
    "Santoso",
    "Syahputra",
    "Rahman",
    "Permana",
    "Halim",
    "Kusuma",
    "Ramadhan",
    "Anggraeni",
    "Oktavia",
    "Maharani",
    "Safitri",
    "Utami",
    "Wulandari",
    "Tjhai",
    "Liem",
]
_FEMININE_SURNAMES = {"Anggraeni", "Oktavia", "Maharani", "Safitri", "Utami", "Wulandari"}


def _nip_make(
    rng: random.Random, *, kind: str, sex: str, born: tuple[int, int], used: set[str], today: date
) -> str:
    """A NIP that registry.nip accepts: birth date, appointment (TMT), sex digit, serial."""
    while True:
        birth = date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
        if kind == PPPK:
            # The first large PPPK intakes: 2022-2024; month "21" marks a PPPK number.
            year, month = rng.randint(2022, min(2024, today.year)), PPPK_MONTH
        else:
            # CPNS at 20-30; capped so the rank held in 2024 is plausible.
            year = min(birth.year + rng.randint(20, 30), 2021, today.year - 1)
            year = max(year, birth.year + 19)
            month = rng.choice([1, 1, 3, 3, 4, 12])
        nip = f"{birth:%Y%m%d}{year:04d}{month:02d}{1 if sex == 'M' else 2}{rng.randint(1, 9):03d}"
        if nip in used:
            continue
        parse_nip(nip, kind=kind, today=today)  # a bug here should fail loudly
        used.add(nip)
        return nip


def _filler_rank(rng: random.Random, kind: str, post: str) -> tuple[str, tuple[int, int]]:
    if kind == NON_ASN:
        return "", (1990, 1998)
    if kind == PPPK:
        return ("VII" if "Terampil" in post else "IX"), (1984, 1996)
    if "Ahli Muda" in post or "Kepala Seksi" in post or "Widyaiswara" in post:
        return rng.choice(["III/c", "III/d"]), (1976, 1986)
    if "Ahli Pertama" in post:
        return rng.choice(["III/a", "III/b"]), (1990, 1997)
    if post.startswith("Guru"):
        return rng.choice(["III/b", "III/c", "III/d", "IV/a"]), (1972, 1992)
    return rng.choice(["II/c", "II/d", "III/a"]), (1988, 1997)


def _employees_create(rng: random.Random, today: date) -> dict[str, Employee]:
    agencies = {a.code: a for a in Agency.objects.all()}
    used: set[str] = set()
    rows: dict[str, Employee] = {}
    for spec in EMPLOYEES:
        nip = (
            None
            if spec.kind == NON_ASN
            else _nip_make(
                rng, kind=spec.kind, sex=spec.sex, born=spec.born, used=used, today=today
            )
        )
        rows[spec.key] = Employee(
            nip=nip,
            name=spec.name,
            kind=spec.kind,
            position=spec.position,
            rank=spec.rank,
            agency=agencies[spec.agency],
            holds_leadership_post=spec.lead,
        )
    names = {e.name for e in rows.values()}
    for i, (code, post, kind) in enumerate(_FILLER_POSTS):
        sex = rng.choice("MF")
        while True:
            first = rng.choice(_MALE if sex == "M" else _FEMALE)
            last = rng.choice([s for s in _SURNAMES if sex == "F" or s not in _FEMININE_SURNAMES])
            name = f"{first} {last}"
            if name not in names:
                names.add(name)
                break
        rank, born = _filler_rank(rng, kind, post)
        nip = (
            None
            if kind == NON_ASN
            else _nip_make(rng, kind=kind, sex=sex, born=born, used=used, today=today)
        )
        rows[f"filler_{i}"] = Employee(
            nip=nip,
            name=name,
            kind=kind,
            position=post,
            rank=rank,
            agency=agencies[code],
            holds_leadership_post=post.startswith("Kepala"),
        )
    for employee in rows.values():
        employee.save()
    return rows


# --- Evidence screenshots ------------------------------------------------------------

_APPS = {
    # app: (label, header colour, bubble colour, background)
    "wa": ("WhatsApp", "#075E54", "#DCF8C6", "#ECE5DD"),
    "fb": ("Facebook", "#1877F2", "#FFFFFF", "#F0F2F5"),
    "ig": ("Instagram", "#C13584", "#FFFFFF", "#FAFAFA"),
    "tt": ("TikTok", "#010101", "#FFFFFF", "#2F2F2F"),
}


def _screenshot_png(app: str, title: str, lines: tuple[str, ...]) -> bytes:
    """A small fake phone screenshot: what reporters usually attach."""
    from PIL import Image, ImageDraw, ImageFont

    label, header, bubble, background = _APPS[app]
    width, height = 360, 260
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=13)
        small = ImageFont.load_default(size=11)
    except TypeError:  # Pillow without FreeType: the fixed bitmap font
        font = small = ImageFont.load_default()
    draw.rectangle([0, 0, width, 44], fill=header)
    draw.text((12, 8), label, fill="white", font=small)
    draw.text((12, 23), title[:48], fill="white", font=font)
    wrapped = [w for line in lines for w in (textwrap.wrap(line, 44) or [""])][:9]
    box_bottom = 64 + 17 * len(wrapped)
    draw.rounded_rectangle([10, 56, width - 10, box_bottom], radius=8, fill=bubble)
    for i, line in enumerate(wrapped):
        draw.text((20, 62 + 17 * i), line, fill="#111111", font=font)
    draw.text((12, height - 20), "Tangkapan layar dilampirkan pelapor", fill="#777777", font=small)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --- Reports and cases ---------------------------------------------------------------

PF, API, BAW, MON = Channel.PUBLIC_FORM, Channel.API, Channel.BAWASLU, Channel.MONITORING
NEW, DISMISSED = "new", "dismissed"


@dataclass(frozen=True)
class _Scenario:
    key: str
    status: str  # a CaseStatus, or NEW / DISMISSED for a report that opened no case
    code: str  # the violation type the reporter chose (the service may move it, SKB 2022)
    text: str
    emp: str | None = None
    name: str = ""  # the reported person as the reporter wrote it; default: from emp
    agency: str = ""  # as the reporter wrote it; default: the employee's agency (OPD)
    place: str = ""
    # Historical: the incident date. Recent: days before today of the last step.
    on: date | None = None
    recent: int | None = None
    channel: str = PF
    links: tuple[str, ...] = ()
    shot: tuple[str, str, tuple[str, ...]] | None = None  # (app, title, lines)
    reporter: str = ""  # empty: anonymous
    info: bool = False  # went through "awaiting information" first
    closed_via: str = ""  # for CLOSED: DECIDED, NOT_PROVEN or NOT_REGISTERED
    finding: str = ""  # what was proven / the reason for the outcome
    heard: str = ""  # what the reported person said at the clarification
    sanction: str = ""  # recommended SanctionKind code; default: the rule table's first
    override: str = ""
    decision: str = ""  # decided SanctionKind code; default: the recommendation
    decision_override: str = ""
    forward: str = "ppk"  # "ppk", "receiving_body" or "other:<name>"
    comments: tuple[tuple[str, str], ...] = ()  # (role, note) after the last step
    dup_of: str = ""  # for DISMISSED duplicates: the key of the first report


D = date
Sc = _Scenario  # short name for the table below
# fmt: off
SCENARIOS: list[_Scenario] = [
    # ---- Pemilu 2024 (candidates set 3/13 Nov 2023; campaign 28 Nov - 10 Feb) ----
    Sc("guru_sma1_smedia", S.CLOSED, "KE-02", closed_via=S.DECIDED, emp="guru_sma1_pkp",
      on=D(2023, 12, 9), place="Facebook dan status WhatsApp",
      text="Ibu Yuliana, guru SMA Negeri 1 Pangkalpinang, mengunggah ulang poster capres-cawapres "
           "nomor urut 3 di Facebook dan status WhatsApp dengan tulisan \"Sat set, coblos 3!\". "
           "Siswa kelas XII yang sudah punya hak pilih ikut melihat unggahan itu.",
      links=("https://www.facebook.com/share/p/1Bq7xYtR4kLm/",),
      finding="mengunggah ulang poster pasangan calon presiden nomor urut 3 disertai ajakan memilih",
      heard="Mengakui mengunggah poster tersebut dan sudah menghapusnya sehari kemudian setelah ditegur kepala sekolah.",
      sanction="PNS-SEDANG-TUKIN-12",
      override="Unggahan dihapus dalam satu hari, terlapor kooperatif dan belum pernah dijatuhi "
               "hukuman disiplin; tim pemeriksa menilai tingkat sedang sudah memadai."),
    Sc("humas_admin_relawan", S.CLOSED, "DS-06", closed_via=S.DECIDED, emp="humas_kominfo",
      on=D(2024, 1, 6), channel=MON, place="Instagram",
      text="Hasil patroli siber Tim Pemantau: akun Instagram relawan pendukung capres nomor urut 2 "
           "tingkat provinsi dikelola oleh Sdr. Wahyu Kurniawan (Diskominfo). Namanya tercantum "
           "sebagai admin dan ia mengunggah 14 konten kampanye selama 2-6 Januari 2024, sebagian "
           "pada jam kerja.",
      links=("https://www.instagram.com/relawan.babel.bersatu/", "https://www.instagram.com/p/C1xK3mPrQ8s/"),
      shot=("ig", "relawan.babel.bersatu", ("Admin: wahyu.kurniawan", "Ayo menangkan nomor 2 di Babel!", "Diposting 06/01/2024 10.14")),
      finding="menjadi admin dan pengunggah konten akun relawan pasangan calon presiden nomor urut 2",
      heard="Mengakui diminta teman menjadi admin akun relawan; menyatakan tidak tahu hal itu dilarang.",
      decision="PNS-SEDANG-TUKIN-12",
      decision_override="PPK mempertimbangkan pengakuan terlapor, penghapusan akun pada hari "
                        "pemeriksaan, dan penilaian kinerja yang baik selama tiga tahun terakhir."),
    Sc("guru_smp3_foto", S.CLOSED, "KE-05", closed_via=S.NOT_PROVEN, emp="guru_smp3_pkp",
      on=D(2023, 12, 20), place="Facebook", reporter="Hendra Wijaya",
      text="Dengan hormat, saya melaporkan Ibu Nurhasanah (guru SMP Negeri 3 Pangkalpinang) yang "
           "memasang foto bersama tim kampanye capres nomor urut 1 sambil mengacungkan satu jari di "
           "depan spanduk paslon. Foto tersebut beredar di grup Facebook warga Gerunggang.",
      links=("https://www.facebook.com/groups/wargagerunggang/posts/7251190044/",),
      finding="Foto diambil pada acara reuni alumni tahun 2022, sebelum masa pencalonan; tidak ada "
              "spanduk pasangan calon pada foto asli dan unggahan dilakukan akun lain.",
      heard="Menunjukkan foto asli dari ponselnya bertanggal Juli 2022 tanpa spanduk."),
    Sc("guru_sd7_grupwa", S.FORWARDED, "DS-02", emp="guru_sd7_sgl", on=D(2024, 1, 25),
      place="Grup WhatsApp wali murid kelas 4 SD Negeri 7 Sungailiat",
      text="Bu guru wali kelas 4 mengirim pesan di grup WA wali murid: ajakan memilih paslon nomor 2 "
           "dan caleg DPRD kabupaten dari partai tertentu, plus foto kartu suara yang sudah dicontreng. "
           "Kami orang tua merasa tidak nyaman karena ini grup sekolah.",
      shot=("wa", "Wali Murid 4B SDN 7", ("Bu Kartini: Bapak ibu jgn lupa tgl 14 pilih no 2 ya,", "caleg kite jg yg ini (foto terlampir)")),
      finding="mengajak wali murid memilih pasangan calon nomor urut 2 melalui grup WhatsApp sekolah",
      heard="Mengakui mengirim pesan itu dan menyebutnya sekadar berbagi informasi."),
    Sc("kadispar_kampanye", S.CLOSED, "DS-04", closed_via=S.DECIDED, emp="kadispar",
      on=D(2024, 1, 13), channel=BAW, place="Lapangan Merdeka, Pangkalpinang",
      reporter="Bawaslu Provinsi Kepulauan Bangka Belitung",
      text="Berdasarkan hasil pengawasan kampanye rapat umum pasangan calon presiden nomor urut 2 "
           "tanggal 13 Januari 2024, Pengawas mendapati Kepala Dinas Pariwisata Provinsi naik ke "
           "panggung dan menyampaikan dukungan. Yang bersangkutan tidak sedang cuti. Hasil kajian "
           "Bawaslu: dugaan pelanggaran netralitas ASN, diteruskan sesuai Pasal 455 UU 7/2017.",
      links=("https://youtu.be/kq3Vd9XmL2c",),
      finding="hadir dan menyampaikan dukungan di panggung kampanye rapat umum pasangan calon nomor urut 2",
      heard="Menyatakan hadir karena diundang sebagai tokoh masyarakat dan tidak merencanakan naik ke panggung.",
      sanction="PNS-BERAT-JABATAN-PELAKSANA"),
    Sc("camat_koba_kades", S.RECOMMENDED, "DS-08", emp="camat_koba", on=D(2024, 2, 3),
      place="Aula Kantor Camat Koba", reporter="Syarifudin",
      text="Camat Koba mengumpulkan para kepala desa se-Kecamatan Koba di aula kantor camat dengan "
           "undangan rapat koordinasi, lalu membagikan kalender bergambar caleg DPRD provinsi dan "
           "meminta kades mengarahkan warganya. Saya hadir mewakili desa kami.",
      finding="mengadakan pertemuan dengan kepala desa yang berisi arahan mendukung calon tertentu",
      heard="Membantah memberi arahan, tetapi mengakui kalender dibagikan di akhir rapat."),
    Sc("satpol_like", S.CLOSED, "KE-04", closed_via=S.DECIDED, emp="satpol_pp",
      on=D(2023, 11, 30), place="Facebook",
      text="Anggota Satpol PP Provinsi atas nama Tarmizi rajin memberi like dan komentar 'lanjutkan!' "
           "di postingan capres nomor 2. Akun FB-nya pakai foto berseragam.",
      links=("https://www.facebook.com/share/p/9Hn2LrWq0Tz/",),
      finding="memberi tanda suka dan komentar dukungan pada unggahan kampanye pasangan calon nomor urut 2",
      heard="Mengakui memberi komentar karena terbawa suasana; akun sudah diganti foto profilnya.",
      sanction="PNS-RINGAN-TEGURAN-TERTULIS",
      override="Satu komentar tanpa ajakan kepada pihak lain dan terlapor pelaksana; tim pemeriksa "
               "merekomendasikan hukuman ringan sebagai pembinaan."),
    Sc("guru_muntok_tiktok", S.CLOSED, "KE-02", closed_via=S.NOT_REGISTERED, info=True,
      emp="guru_smp1_muntok", on=D(2023, 10, 28), place="TikTok",
      text="ada guru smp di muntok bikin video tiktok dukung bakal capres, captionnya ajak murid2. "
           "tolong ditindak",
      finding="Pelapor tidak melengkapi tautan, nama akun dan tangkapan layar dalam batas waktu; "
              "video tidak dapat ditemukan lagi."),
    Sc("honorer_swasta_toboali", S.NOT_REGISTERED, "DS-02", name="Oknum guru honorer SD di Toboali",
      agency="Sekolah swasta di Toboali", on=D(2024, 2, 12), place="Grup WhatsApp warga Toboali",
      text="Masa tenang tapi masih ada guru honorer yang membagikan stiker paslon di grup WA warga.",
      finding="Terlapor adalah guru honorer sekolah swasta, bukan ASN maupun pegawai non-ASN instansi "
              "pemerintah. Pelapor diarahkan melapor ke Bawaslu Kabupaten Bangka Selatan."),
    Sc("dokter_kaus", S.NOT_PROVEN, "DS-07", emp="dokter_rsud", on=D(2024, 2, 7), channel=API,
      place="Poliklinik Penyakit Dalam RSUD Ir. Soekarno", reporter="Budi Santoso",
      text="[Diteruskan dari SP4N-LAPOR!] Dokter spesialis di RSUD provinsi berfoto di ruang praktik "
           "memakai kaus bergambar paslon nomor 1 dan fotonya diunggah di Instagram rumah sakit.",
      finding="Kaus yang dikenakan adalah kaus komunitas lari, tidak memuat gambar atau atribut "
              "pasangan calon; aduan didasarkan pada foto yang buram.",
      heard="Menyerahkan kaus yang dimaksud untuk diperiksa; bertuliskan nama komunitas lari."),
    Sc("penyuluh_bansos", S.CLOSED, "DS-12", closed_via=S.DECIDED, emp="penyuluh_dinsos",
      on=D(2024, 1, 18), place="Desa Kemuja, Kecamatan Mendo Barat", reporter="Siti Aminah",
      text="Saat pembagian bantuan sembako di desa kami, petugas Dinas Sosial provinsi bilang ke warga "
           "bahwa bantuan ini berkat paslon nomor 2 dan minta warga jangan lupa tanggal 14. Ada video "
           "dari warga.",
      links=("https://www.facebook.com/share/v/3kWq8ZpL1Nd/",),
      finding="mengaitkan penyaluran bantuan sosial dengan pasangan calon nomor urut 2 di hadapan penerima",
      heard="Mengakui mengucapkan kalimat tersebut; menyebut hanya bercanda dengan warga.",
      sanction="PNS-BERAT-TURUN-JABATAN"),
    Sc("spam_test", DISMISSED, "DS-13", name="tes", agency="tes", on=D(2023, 12, 2),
      text="tes tes coba kirim laporan", finding="Uji coba formulir oleh pengguna; bukan laporan."),
    Sc("camat_manggar_kampanye", S.NOT_PROVEN, "DS-04", emp="camat_manggar", on=D(2024, 1, 27),
      channel=BAW, place="Lapangan Kantor Camat Manggar",
      reporter="Bawaslu Kabupaten Belitung Timur",
      text="Panwaslu Kecamatan Manggar mendapati Camat Manggar hadir di lokasi kampanye dialogis "
           "caleg DPRD kabupaten. Diteruskan untuk ditindaklanjuti sesuai kewenangan.",
      finding="Kehadiran dalam rangka koordinasi pengamanan bersama Forkopimcam sesuai surat tugas; "
              "tidak ditemukan tindakan keberpihakan.",
      heard="Menunjukkan surat tugas pengamanan dan daftar hadir Forkopimcam."),
    Sc("guru_toboali_deklarasi", S.PROVEN, "KE-03", emp="guru_smp2_toboali", on=D(2023, 11, 5),
      place="Gedung Serbaguna Toboali",
      text="Guru SMP Negeri 2 Toboali ikut deklarasi relawan bakal capres di Toboali, naik panggung "
           "dan membacakan ikrar dukungan. Ada di berita online lokal.",
      links=("https://babelterkini.example.org/2023/11/deklarasi-relawan-toboali",),
      finding="menghadiri dan turut membacakan ikrar pada deklarasi relawan bakal calon presiden",
      heard="Mengakui hadir dan membacakan ikrar atas permintaan panitia."),
    # ---- Pilkada 2024, before the candidates were set (22 Sep 2024): ethics rows ----
    Sc("lurah_ketapang_baliho", S.CLOSED, "KE-01", closed_via=S.DECIDED, emp="lurah_ketapang",
      on=D(2024, 6, 15), place="Rumah dinas Lurah Ketapang, Pangkalbalam", reporter="Rosita",
      text="Lurah Ketapang memasang baliho bakal calon Wali Kota di pagar rumah dinas lurah. Baliho "
           "sudah terpasang sekitar seminggu, kelihatan jelas dari jalan.",
      shot=("wa", "Foto kiriman warga", ("[foto] Baliho bakal calon di pagar rumah dinas", "Jl. Depati Hamzah, 15 Juni 2024")),
      finding="memasang baliho bakal calon wali kota di pagar rumah dinas",
      heard="Mengakui baliho dipasang oleh kerabatnya atas izinnya; baliho sudah dicopot.",
      sanction="PNS-MORAL-TERBUKA"),
    Sc("sekdis_dkp_deklarasi", S.DECIDED, "KE-03", emp="sekdis_dkp", on=D(2024, 5, 20),
      place="Hotel di Pangkalpinang",
      text="Sekretaris DKP provinsi ikut acara deklarasi bakal calon gubernur, memakai kaus bakal calon "
           "dan ikut menyanyikan yel-yel di depan.",
      links=("https://www.instagram.com/p/C7aPq2LxWm0/",),
      finding="menghadiri deklarasi bakal calon gubernur dengan atribut bakal calon",
      heard="Mengakui hadir; menyatakan kaus dibagikan panitia di pintu masuk."),
    Sc("kabid_binamarga_foto", S.CLOSED, "KE-05", closed_via=S.DECIDED, emp="kabid_binamarga",
      on=D(2024, 7, 9), channel=MON, place="Instagram pribadi",
      text="Patroli siber: Kabid Bina Marga Dinas PUPR mengunggah foto bersama bakal calon gubernur "
           "sambil mengacungkan dua jari di acara peninjauan jalan, dengan keterangan 'Insyaallah "
           "berlanjut'.",
      shot=("ig", "darmawan.pupr", ("[foto bersama, dua jari]", "Insyaallah berlanjut... #BabelMaju", "9 Juli 2024")),
      finding="mengunggah foto bersama bakal calon gubernur dengan gestur dua jari",
      heard="Mengakui mengunggah foto itu; gestur disebut spontan.",
      sanction="PNS-MORAL-TERTUTUP"),
    Sc("protokol_bangka_partai", S.EXAMINATION, "DS-05", emp="kabag_protokol_bangka",
      on=D(2024, 7, 25), place="Sipol KPU", reporter="Irfan Maulana",
      text="Nama dan NIK Kabag Protokol Setda Bangka tercantum sebagai anggota salah satu partai di "
           "Sipol KPU. Saya cek lewat fitur cek keanggotaan, hasil tangkapan layar terlampir.",
      shot=("fb", "Cek keanggotaan partai", ("Nama: ANDI SUSANTO", "Status: Terdaftar sebagai anggota", "Kab. Bangka")),
      heard="Menyatakan tidak pernah mendaftar sebagai anggota partai dan menduga KTP-nya dipakai pihak lain.",
      comments=(("examiner", "Menunggu surat jawaban KPU Kabupaten Bangka atas permintaan klarifikasi data Sipol."),)),
    Sc("oknum_asn_babar_grup", S.AWAITING_INFO, "KE-04", name="Pemilik akun Facebook 'Bunda Muntok'",
      agency="Dinas Pendidikan Kabupaten Bangka Barat", on=D(2024, 8, 2), place="Facebook",
      text="Akun FB 'Bunda Muntok' yang katanya ASN Dinas Pendidikan Babar gabung dan aktif posting di "
           "grup pendukung bakal calon bupati."),
    Sc("lurah_rawabangun_silaturahmi", S.CLOSED, "KE-06", closed_via=S.NOT_PROVEN,
      emp="lurah_rawabangun", on=D(2024, 4, 18), place="Aula Kelurahan Rawa Bangun",
      reporter="Joni Iskandar",
      text="Bu Lurah Rawa Bangun menghadiri silaturahmi bakal calon Wali Kota bersama ibu-ibu PKK dan "
           "memberikan sambutan.",
      finding="Acara adalah halal bihalal kelurahan; bakal calon datang tanpa undangan dan sambutan "
              "lurah tidak memuat ajakan dukungan.",
      heard="Menyerahkan undangan dan susunan acara halal bihalal kelurahan."),
    Sc("penyuluh_distan_flyer", S.RECOMMENDED, "KE-02", emp="penyuluh_distan", on=D(2024, 8, 10),
      channel=API, place="Grup WhatsApp Gapoktan Sumber Rezeki",
      text="[Diteruskan dari SP4N-LAPOR!] Penyuluh pertanian menyebarkan flyer bakal calon gubernur "
           "di grup WA gabungan kelompok tani yang ia bina.",
      finding="menyebarkan materi promosi bakal calon gubernur di grup kelompok tani binaannya",
      heard="Mengakui meneruskan flyer dari grup lain."),
    Sc("camat_jebus_spanduk", S.REGISTERED, "KE-01", emp="camat_jebus", on=D(2024, 7, 5),
      channel=BAW, place="Depan Kantor Camat Jebus", reporter="Bawaslu Kabupaten Bangka Barat",
      text="Pengawas Kecamatan Jebus menemukan spanduk ucapan Tahun Baru Islam 1446 H bergambar "
           "Camat Jebus berdampingan dengan bakal calon bupati di depan kantor camat."),
    # ---- Pilkada 2024 campaign (25 Sep - 23 Nov) and after: discipline rows ----
    Sc("camat_pangkalbalam_wa", S.CLOSED, "DS-06", closed_via=S.DECIDED, emp="camat_pangkalbalam",
      on=D(2024, 10, 14), place="Grup WhatsApp \"RT 05 Ketapang\"", reporter="Marlina",
      text="Pak Camat Pangkalbalam membagikan video kampanye pasangan calon Wali Kota di grup WhatsApp "
           "RT kami, ditambah pesan \"mari kite dukung, jangan sampai kotak kosong menang\". Beliau "
           "admin grup itu. Tangkapan layar saya lampirkan.",
      shot=("wa", "RT 05 Ketapang", ("Pak Camat: [video kampanye]", "mari kite dukung, jgn sampai kotak kosong menang", "14/10/24 20.41")),
      finding="membagikan video kampanye pasangan calon wali kota disertai ajakan di grup WhatsApp warga",
      heard="Mengakui membagikan video tersebut; menyatakan menyesal dan keluar dari grup.",
      sanction="PNS-BERAT-JABATAN-PELAKSANA"),
    Sc("camat_pangkalbalam_dup", DISMISSED, "DS-02", name="Camat Pangkalbalam",
      agency="Kecamatan Pangkalbalam", on=D(2024, 10, 14), place="Grup WA RT",
      text="camat pangkalbalam share video paslon di grup wa rt, tolong diperiksa",
      reporter="Anton", dup_of="camat_pangkalbalam_wa"),
    Sc("kabag_pemum_rakor", S.FORWARDED, "DS-08", emp="kabag_pemum", on=D(2024, 10, 2),
      forward="receiving_body", place="Ruang rapat Biro Pemerintahan", reporter="Nama dirahasiakan",
      text="Dalam rapat koordinasi dengan para camat, Kabag Pemerintahan Umum menyelipkan arahan agar "
           "camat 'mengamankan' suara untuk cagub nomor urut 1. Beberapa camat keberatan tapi diam.",
      finding="memberikan arahan kepada camat untuk memenangkan calon gubernur nomor urut 1",
      heard="Membantah memberi arahan; menyebut hanya membahas kerawanan pemilihan."),
    Sc("kabid_sma_mkks", S.EXAMINATION, "DS-08", emp="kabid_sma", on=D(2024, 10, 21),
      place="Rapat MKKS SMA, Pangkalpinang",
      text="Dalam rapat MKKS, Kabid SMA meminta kepala sekolah memastikan guru mendukung cagub nomor 2. "
           "Rekaman suara ada pada kami.",
      comments=(("examiner", "Terlapor dua kali tidak memenuhi panggilan klarifikasi; panggilan ketiga dikirim melalui Kepala Dinas."),)),
    Sc("guru_smk2_tiktok", S.CLOSED, "KE-02", closed_via=S.DECIDED, emp="guru_smk2_pkp",
      on=D(2024, 10, 8), place="TikTok",
      text="Guru SMK Negeri 2 Pangkalpinang bikin video TikTok pakai seragam guru, joget lagu "
           "kampanye paslon gubernur nomor 1. Videonya sudah ditonton ribuan kali.",
      links=("https://www.tiktok.com/@rinamarlina.id/video/7423119846153029893",),
      shot=("tt", "@rinamarlina.id", ("[video] joget lagu kampanye", "#cagubnomor1 #babel", "12,4 rb suka")),
      finding="mengunggah video berseragam guru dengan lagu kampanye calon gubernur nomor urut 1",
      heard="Mengakui membuat video; menyebut hanya mengikuti tren lagu.",
      sanction="PPPK-SEDANG-TUKIN",
      override="Pemutusan hubungan perjanjian kerja tidak proporsional untuk unggahan pertama yang "
               "segera dihapus; pemotongan tunjangan kinerja dinilai cukup."),
    Sc("perawat_foto_cagub", S.DECIDED, "DS-07", emp="perawat_rsud", on=D(2024, 11, 2), channel=API,
      place="Ruang rawat inap RSUD Ir. Soekarno",
      text="[Diteruskan dari SP4N-LAPOR!] Perawat berfoto bersama cagub nomor urut 2 saat kunjungan "
           "kampanye ke rumah sakit, pose dua jari, lalu diunggah ke Facebook.",
      finding="mengunggah foto bersama calon gubernur nomor urut 2 dengan gestur dua jari",
      heard="Mengakui berfoto dan mengunggahnya; foto diambil saat sedang bertugas.",
      sanction="PPPK-SEDANG-TUKIN",
      override="Terlapor tidak berinisiatif mengundang calon; foto diambil di tempat tugas saat "
               "kunjungan. Tim merekomendasikan tingkat sedang.",
      decision="PPPK-RINGAN-TEGURAN-TERTULIS",
      decision_override="PPK menilai teguran tertulis cukup karena terlapor sedang dalam tugas "
                        "pelayanan dan foto hanya diunggah satu kali."),
    Sc("camat_toboali_edaran", S.PROVEN, "DS-12", emp="camat_toboali", on=D(2024, 10, 27),
      channel=BAW, place="Kecamatan Toboali", reporter="Bawaslu Kabupaten Bangka Selatan",
      text="Camat Toboali menerbitkan surat kepada kepala desa agar menghadirkan warga pada kampanye "
           "pasangan calon tunggal nomor urut 2. Salinan surat terlampir dalam berkas kajian.",
      finding="menerbitkan surat yang menguntungkan pasangan calon nomor urut 2",
      heard="Mengakui menandatangani surat yang disiapkan staf tanpa membaca seluruh isinya."),
    Sc("lurah_teladan_mobil", S.REGISTERED, "DS-04", emp="lurah_teladan", on=D(2024, 11, 10),
      place="Jalan Jenderal Sudirman, Toboali", reporter="Hasbullah",
      text="Lurah Teladan ikut konvoi kampanye akbar paslon nomor 2 menggunakan mobil dinas pelat merah."),
    Sc("lurah_berok_live", S.AWAITING_INFO, "DS-06", emp="lurah_berok", on=D(2024, 10, 30),
      place="Grup WhatsApp 'Info Warga Berok'",
      text="Pak lurah bagi link live kampanye paslon nomor 1 di grup WA Info Warga Berok, nulis "
           "'mari kite menangkan'."),
    Sc("guru_koba_foto", S.CLOSED, "DS-07", closed_via=S.NOT_REGISTERED, emp="guru_sd4_koba",
      on=D(2024, 10, 1), place="Instagram",
      text="Bu Fitriani guru SD 4 Koba foto bareng cabup nomor 2 pas kampanye, diupload di IG.",
      finding="Laporan diterima lebih dari 7 hari sejak pelapor mengetahui kejadian (pelapor "
              "menyebut melihat unggahan pada awal Oktober), melewati batas waktu pelaporan."),
    Sc("camat_belinyu_kotakkosong", S.RECOMMENDED, "DS-13", emp="camat_belinyu", on=D(2024, 11, 5),
      channel=BAW, place="Masjid di Kecamatan Belinyu", reporter="Bawaslu Kabupaten Bangka",
      text="Dalam pengajian rutin, Camat Belinyu mengajak jamaah mencoblos kolom kosong pada "
           "Pilbup Bangka. Hasil kajian Bawaslu: dugaan pelanggaran netralitas, bentuk tidak "
           "tercantum dalam matriks SKB.",
      finding="mengajak jamaah pengajian memilih kolom kosong pada pemilihan bupati",
      heard="Mengakui menyampaikan pendapat pribadi tentang kolom kosong dalam pengajian.",
      sanction="PNS-SEDANG-TUKIN-6",
      override="Bentuk lain di luar matriks SKB 2022. Rapat Satgas menilai ajakan memilih kolom kosong "
               "sebagai keberpihakan setara hukuman disiplin sedang."),
    Sc("sekcam_gerunggang_status", S.DECIDED, "DS-02", emp="sekcam_gerunggang", on=D(2024, 11, 20),
      place="Facebook", reporter="Yohanes",
      text="Sekcam Gerunggang mengunggah status Facebook ajakan memilih pasangan calon Wali Kota, "
           "dengan foto dirinya berseragam ASN.",
      links=("https://www.facebook.com/share/p/15rQbT7uYhW/",),
      shot=("fb", "Taufik Hidayat", ("[foto berseragam]", "Ayo tanggal 27 kite coblos pasangan calon!", "20 November 2024")),
      finding="mengunggah ajakan memilih pasangan calon wali kota dengan foto berseragam ASN",
      heard="Mengakui mengunggah status tersebut dan telah menghapusnya.",
      sanction="PNS-BERAT-TURUN-JABATAN"),
    Sc("honorer_gerunggang_fb", S.FORWARDED, "DS-06", emp="honorer_gerunggang", on=D(2024, 10, 19),
      channel=MON, forward="other:Camat Gerunggang (atasan langsung tenaga non-ASN)",
      place="Facebook",
      text="Patroli siber: tenaga pendukung administrasi Kecamatan Gerunggang aktif membagikan konten "
           "paslon Wali Kota dan menyerang kampanye kolom kosong dari akun pribadinya.",
      finding="membagikan konten kampanye pasangan calon wali kota dari akun pribadi",
      heard="Mengakui membagikan konten; tidak mengetahui aturan netralitas berlaku bagi tenaga non-ASN.",
      sanction="NON-ASN-BERAT-PEMUTUSAN-KONTRAK"),
    Sc("lurah_kurniajaya_foto", S.VERIFICATION, "DS-07", emp="lurah_kurniajaya", on=D(2024, 9, 30),
      place="Manggar", reporter="Sahrul",
      text="Lurah Kurnia Jaya foto dengan paslon nomor urut 2 Beltim waktu kampanye di lapangan, "
           "pakai baju dinas."),
    Sc("guru_sma3_hitungmundur", S.NOT_PROVEN, "DS-02", emp="guru_sma3_pkp", on=D(2024, 11, 25),
      place="Facebook",
      text="Masa tenang, guru SMA 3 Pangkalpinang upload hitung mundur pencoblosan bergambar cagub "
           "nomor 1.",
      finding="Akun Facebook yang dilaporkan bukan milik terlapor (nama sama); penelusuran Diskominfo "
              "menunjukkan akun dikelola warga Kabupaten Bangka.",
      heard="Menunjukkan akun Facebook miliknya yang tidak memuat unggahan tersebut."),
    Sc("bpkad_ucapan", S.NOT_REGISTERED, "DS-06", emp="bpkad_aset", on=D(2024, 12, 3), channel=API,
      place="Instagram",
      text="[Diteruskan dari SP4N-LAPOR!] Pegawai BPKAD memberi komentar di postingan calon gubernur.",
      info=True,
      finding="Pelapor tidak melengkapi isi komentar, tautan unggahan dan waktu kejadian setelah "
              "diminta; syarat materiel tidak terpenuhi."),
    Sc("kades_kurau", S.NOT_REGISTERED, "DS-08", name="Kepala Desa Kurau",
      agency="Pemerintah Desa Kurau, Bangka Tengah", on=D(2024, 10, 16), place="Desa Kurau",
      reporter="Rahmad",
      text="Kades Kurau mengumpulkan warga dan mengarahkan memilih paslon bupati nomor 1.",
      finding="Kepala desa bukan ASN; laporan diteruskan kepada Bawaslu Kabupaten Bangka Tengah "
              "sesuai UU 10/2016 Pasal 71."),
    Sc("kabid_bkpsdm_pendaftaran", S.DECIDED, "KE-03", emp="kabid_bkpsdm_pkp", on=D(2024, 8, 29),
      place="Kantor KPU Kota Pangkalpinang", reporter="Aldi Pratama",
      text="Kabid Mutasi BKPSDM Kota ikut mengantar bakal paslon Wali Kota mendaftar ke KPU, jalan "
           "kaki bersama rombongan pendukung.",
      links=("https://www.instagram.com/p/C_b7LqWnP3x/",),
      finding="ikut mengantar bakal pasangan calon wali kota mendaftar ke KPU bersama pendukung",
      heard="Mengakui ikut dalam rombongan karena bakal calon adalah kerabatnya.",
      sanction="PNS-MORAL-TERBUKA"),
    Sc("analis_bpbd_share", S.EXAMINATION, "DS-06", emp="analis_bpbd", on=D(2024, 9, 28), channel=MON,
      place="Facebook",
      text="Patroli siber: ASN BPBD provinsi membagikan ulang lima unggahan kampanye cagub nomor 2 "
           "dalam sehari dari akun pribadinya.",
      heard="Menyatakan akun pernah diretas dan meminta waktu untuk menunjukkan bukti."),
    Sc("kepsek_honorer", S.DECIDED, "DS-08", emp="kepsek_sma1_sgl", on=D(2024, 10, 24),
      place="SMA Negeri 1 Sungailiat", reporter="Guru honorer (nama dirahasiakan)",
      text="Kepala sekolah memanggil kami guru honorer satu per satu ke ruangannya dan meminta kami "
           "memilih cagub nomor 1, katanya kontrak tahun depan diperpanjang kalau menang.",
      finding="meminta guru honorer memilih calon gubernur nomor urut 1 dengan janji perpanjangan kontrak",
      heard="Membantah mengaitkan kontrak dengan pilihan, tetapi mengakui membahas pilkada dengan guru honorer.",
      sanction="PNS-BERAT-JABATAN-PELAKSANA"),
    Sc("prakom_follow", S.REGISTERED, "DS-06", emp="prakom_kominfo", on=D(2024, 11, 12),
      place="Instagram dan TikTok",
      text="ASN Diskominfo mengikuti dan rutin me-repost akun tim pemenangan cagub nomor 1."),
    Sc("kapus_sijuk_posyandu", S.NOT_PROVEN, "DS-07", emp="kapus_sijuk", on=D(2024, 10, 11),
      place="Posyandu Desa Sijuk", reporter="Warga Sijuk",
      text="Kepala Puskesmas Sijuk foto dengan cabup saat posyandu, dibagikan di grup warga.",
      finding="Foto diambil saat calon mengunjungi posyandu tanpa diundang; terlapor tidak menunjukkan "
              "gestur atau atribut dan tidak mengunggah foto tersebut.",
      heard="Menjelaskan kunjungan calon tidak terjadwal dan ia sedang melayani balita."),
    Sc("perencana_kafe", S.CLOSED, "KE-05", closed_via=S.NOT_PROVEN, emp="perencana_bappeda",
      on=D(2024, 9, 5), place="Kafe di Pangkalpinang",
      text="Pegawai Bappeda foto bersama bakal calon wakil gubernur di kafe dengan latar spanduk partai.",
      finding="Latar foto adalah spanduk acara komunitas, bukan spanduk partai; tidak ada gestur atau "
              "atribut dan foto diunggah pihak kafe.",
      heard="Menyatakan bertemu tanpa sengaja di kafe dan tidak mengunggah foto itu."),
    # ---- Recent: the live part of the demo (dates relative to today) ----
    Sc("lurah_parit_sipol", S.VERIFICATION, "DS-05", emp="lurah_parit", recent=1, channel=API,
      place="Aplikasi cek keanggotaan partai",
      text="[Diteruskan dari SP4N-LAPOR!] Nama dan NIK Lurah Parit, Tanjungpandan, muncul sebagai "
           "anggota partai politik saat dicek di laman keanggotaan partai."),
    Sc("guru_koba_admin_grup", S.VERIFICATION, "KE-04", emp="guru_sma1_koba", recent=2,
      place="Facebook", reporter="Nurul Aini",
      text="Guru SMA Negeri 1 Koba menjadi admin grup Facebook pendukung bakal calon bupati dan "
           "menyetujui setiap postingan kampanye di grup itu.",
      links=("https://www.facebook.com/groups/sahabatbatengmaju/",)),
    Sc("stiker_mobil_dinas", S.VERIFICATION, "KE-01", name="ASN Kecamatan Manggar (nama belum diketahui)",
      agency="Kecamatan Manggar", recent=3, place="Parkiran Kantor Camat Manggar",
      text="Ada mobil dinas pelat merah di Kecamatan Manggar ditempeli stiker bakal calon. Saya tidak "
           "tahu siapa pemakainya, ada fotonya.",
      shot=("wa", "Foto mobil dinas", ("[foto] stiker bakal calon di kaca belakang", "pelat merah BN ... (disamarkan)"))),
    Sc("kasi_trantib_sosialisasi", S.AWAITING_INFO, "KE-06", emp="kasi_trantib_sgl", recent=1,
      place="Sungailiat", reporter="Ferdi",
      text="Kasi Trantib Kecamatan Sungailiat ikut acara sosialisasi bakal calon di rumah makan, "
           "duduk di meja depan."),
    Sc("kasi_pem_pengurus", S.REGISTERED, "DS-05", emp="kasi_pem_tamansari", recent=2,
      place="Pangkalpinang", reporter="Warga Taman Sari",
      text="Kasi Pemerintahan Kecamatan Taman Sari tercantum dalam SK kepengurusan ranting partai; "
           "foto SK beredar di grup warga.",
      shot=("wa", "Grup Warga Taman Sari", ("[foto] SK Pengurus Ranting", "Wakil Sekretaris: Melati P.")),
      links=("https://www.facebook.com/share/p/6QzN1vBm4Ks/",)),
    Sc("kasubag_dinkes_grup", S.EXAMINATION, "KE-04", emp="kasubag_dinkes", recent=4,
      place="Grup WhatsApp 'Sahabat Sehat Babel'", reporter="Pegawai Dinkes (dirahasiakan)",
      text="Kasubag Umum Dinkes membuat grup WhatsApp relawan bakal calon dan memasukkan nomor pegawai "
           "Dinkes tanpa izin, lalu mengirim jadwal acara bakal calon.",
      shot=("wa", "Sahabat Sehat Babel", ("Herlina menambahkan Anda", "Jadwal silaturahmi bakal calon Sabtu ini,", "mohon hadir ya rekan2"))),
    Sc("sekcam_pangkalanbaru_deklarasi", S.EXAMINATION, "KE-03", emp="sekcam_pangkalanbaru",
      recent=6, channel=BAW, reporter="Bawaslu Kabupaten Bangka Tengah",
      place="Pangkalan Baru",
      text="Pengawas mendapati Sekretaris Kecamatan Pangkalan Baru menghadiri deklarasi dukungan bakal "
           "calon dan ikut membacakan deklarasi."),
    Sc("kasi_trantib_muntok_story", S.PROVEN, "KE-02", emp="kasi_trantib_muntok", recent=2,
      place="Status WhatsApp", reporter="Yusri",
      text="Kasi Trantib Kecamatan Muntok hampir setiap hari pasang status WA promosi bakal calon.",
      finding="mempromosikan bakal calon melalui status WhatsApp berulang kali",
      heard="Mengakui memasang status; berjanji tidak mengulangi."),
    Sc("analis_hukum_foto", S.RECOMMENDED, "KE-05", emp="analis_hukum_pkp", recent=1,
      place="Instagram", reporter="Dina",
      text="Pegawai Setda Kota upload foto bersama bakal calon dengan latar atribut partai.",
      finding="mengunggah foto bersama bakal calon dengan latar atribut partai",
      heard="Mengakui foto diunggah di akun pribadinya.",
      sanction="PNS-MORAL-TERTUTUP"),
    Sc("staf_setda_blt_share", S.FORWARDED, "KE-02", emp="staf_setda_blt", recent=3,
      place="Facebook", reporter="Rudi",
      text="Pegawai Setda Belitung membagikan ulang video promosi bakal calon dengan tulisan 'ini baru "
           "pemimpin'.",
      finding="membagikan video promosi bakal calon dengan kata-kata dukungan",
      heard="Mengakui membagikan video; sudah dihapus.",
      sanction="PNS-MORAL-TERTUTUP"),
    Sc("lurah_paritpadang_pengurus", S.FORWARDED, "DS-05", emp="lurah_paritpadang", recent=5,
      forward="receiving_body", channel=MON, place="Sungailiat",
      text="Tim Pemantau menemukan nama Lurah Parit Padang dalam daftar pengurus partai tingkat "
           "kecamatan yang diumumkan di media sosial partai.",
      finding="tercatat dan mengakui sebagai pengurus partai politik tingkat kecamatan",
      heard="Mengakui pernah menandatangani formulir kepengurusan.",
      sanction="PNS-PTDH"),
    # New reports still in the inbox.
    Sc("new_guru_sd21", NEW, "KE-02", name="Lina Oktaviani (guru SD Negeri 21 Pangkalpinang)",
      agency="Dinas Pendidikan Kota Pangkalpinang", recent=0, place="Instagram Story",
      text="Bu Lina guru kelas 5 pasang IG story foto bakal calon dengan tulisan 'pilihan kami'. "
           "Story-nya sudah hilang tapi saya sempat screenshot.",
      shot=("ig", "lina.oktav", ("[story] foto bakal calon", "pilihan kami!!", "2 jam yang lalu"))),
    Sc("new_bidan_gantung", NEW, "KE-04", name="Wulan Puspita", agency="Dinas Kesehatan Kabupaten Belitung Timur",
      recent=1, place="Facebook", reporter="Agustina",
      text="Bidan Puskesmas Gantung memberi komentar 'mantap, lanjutkan' di hampir semua postingan "
           "akun bakal calon bupati. Mohon dicek.",
      links=("https://www.facebook.com/share/p/2HmL8cVx0Qp/",)),
    Sc("new_dishub_terminal", NEW, "KE-01", name="Rudi (petugas terminal)", agency="Dishub",
      recent=2, place="Terminal Pangkalpinang", reporter="Andi Wijaya",
      text="Petugas terminal dari Dishub membantu menempel poster bakal calon di papan informasi "
           "terminal saat jam kerja."),
    Sc("new_kasi_kesos", NEW, "KE-03", name="Arif Budiman", agency="Kecamatan Air Gegas", recent=4,
      channel=BAW, reporter="Bawaslu Kabupaten Bangka Selatan", place="Air Gegas",
      text="Pengawas mendapati Kasi Kesejahteraan Sosial Kecamatan Air Gegas hadir dan bertindak "
           "sebagai pembawa acara pada deklarasi relawan bakal calon."),
    Sc("new_patroli_siber", NEW, "KE-04", name="Pemilik akun TikTok @asn_babel_bergerak",
      agency="", recent=6, channel=MON, place="TikTok",
      text="Patroli siber: akun TikTok yang mengaku ASN Pemprov rutin mengunggah konten dukungan "
           "bakal calon. Identitas pemilik akun sedang ditelusuri.",
      links=("https://www.tiktok.com/@asn_babel_bergerak",)),
    Sc("new_camat_toboali", NEW, "KE-06", name="Camat Toboali", agency="Kecamatan Toboali", recent=9,
      channel=API, place="Toboali",
      text="[Diteruskan dari SP4N-LAPOR!] Camat Toboali hadir di acara perkenalan bakal calon kepala "
           "daerah dan ikut berfoto di panggung."),
    Sc("new_guru_sma2", NEW, "KE-02", name="Guru SMA Negeri 2 Pangkalpinang (nama tidak diketahui)",
      agency="Disdik", recent=13, place="Grup WhatsApp kelas XII",
      text="Ada guru yang mengirim video bakal calon ke grup WA kelas XII. Anak saya yang cerita."),
    Sc("new_satpolpp", NEW, "DS-05", name="Anggota Satpol PP Provinsi", agency="Satpol PP",
      recent=18, reporter="Dedi", place="Pangkalpinang",
      text="Anggota Satpol PP provinsi terlihat memakai jaket partai saat acara partai dan katanya "
           "sudah jadi anggota."),
    Sc("recent_spam", DISMISSED, "DS-13", name="Dinas PU", agency="Dinas PUPR", recent=5,
      place="Jalan Raya Koba",
      text="Jalan rusak di Koba dak diperbaiki sudah lama, tolong pemerintah perhatikan.",
      finding="Bukan laporan netralitas ASN (keluhan jalan rusak); pelapor diarahkan ke SP4N-LAPOR!."),
]
# fmt: on
del Sc, D

# Reporter contact details: fictitious; e-mail addresses on a reserved domain (RFC 2606).
_PHONE_PREFIXES = ["0812", "0813", "0821", "0852", "0853", "0877", "0819"]

_WITNESSES = [
    "Hendra Wijaya",
    "Suparman",
    "Nur Aisyah",
    "Rusdi",
    "Lia Amelia",
    "Taufan",
    "Saiful Anwar",
    "Erlina",
    "Bakri",
    "Wati Susanti",
]
_WITNESS_SAYS = [
    "Membenarkan menerima pesan tersebut dan menyerahkan tangkapan layar aslinya.",
    "Melihat langsung kejadian dan dapat menunjukkan waktu serta tempatnya.",
    "Menerangkan bahwa unggahan itu dapat dilihat publik pada tanggal kejadian.",
    "Membenarkan kehadiran terlapor di lokasi pada hari kejadian.",
]
_SUPERIOR_SAYS = [
    "Menerangkan terlapor tidak sedang menjalankan tugas kedinasan pada waktu kejadian.",
    "Menyatakan telah menegur terlapor secara lisan setelah laporan beredar.",
    "Menyatakan tidak pernah memberi izin atau tugas terkait kegiatan tersebut.",
]


@dataclass
class _Step:
    action: str
    actor: str  # "verifier", "examiner", "ppk", "bawaslu"
    gap: int  # days after the previous step; 0 = later the same day
    note: str = ""
    public: str = ""
    fields: Callable[[Case, datetime], dict[str, Any]] | dict[str, Any] | None = None
    at: datetime | None = None


@dataclass
class _Plan:
    scenario: _Scenario
    incident: date
    submitted_at: datetime
    clock: _Clock
    steps: list[_Step] = field(default_factory=list)  # steps[0] is "open"


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class _Clock:
    """Office hours on working days (no weekends, no public holidays), for staff steps."""

    def __init__(self, rng: random.Random, holidays: frozenset[date]) -> None:
        self.rng = rng
        self.holidays = holidays

    def is_workday(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def workday(self, day: date, step: int) -> date:
        while not self.is_workday(day):
            day += timedelta(days=step)
        return day

    def office_time(self, day: date) -> datetime:
        return _aware(day, self.rng.randint(8, 15), self.rng.randint(0, 59))

    def later(self, t: datetime, gap: int) -> datetime:
        """``gap`` working-calendar days after ``t`` (0: later the same working day)."""
        local = timezone.localtime(t)
        if gap == 0:
            nxt = local + timedelta(minutes=self.rng.randint(15, 100))
            if nxt.date() == local.date() and nxt.hour < 17 and self.is_workday(nxt.date()):
                return nxt
            gap = 1
        return self.office_time(self.workday(local.date() + timedelta(days=gap), +1))

    def earlier(self, t: datetime, gap: int) -> datetime:
        local = timezone.localtime(t)
        if gap == 0:
            prev = local - timedelta(minutes=self.rng.randint(15, 100))
            if prev.date() == local.date() and prev.hour >= 7:
                return prev
            gap = 1
        return self.office_time(self.workday(local.date() - timedelta(days=gap), -1))


def _steps_for(sc: _Scenario, rng: random.Random) -> list[_Step]:
    """The workflow path to the scenario's status, as the transition table allows it."""
    r = rng.randint
    steps = [_Step("open", "verifier", r(0, 2))]
    if sc.channel == BAW:
        steps.append(
            _Step(
                "comment",
                "bawaslu",
                0,
                note=(
                    "Laporan ini merupakan penerusan hasil kajian pengawas pemilu; berkas kajian dan "
                    "keterangan saksi dapat diminta kepada Bawaslu."
                ),
            )
        )
    target = sc.closed_via if sc.status == S.CLOSED else sc.status
    if target == S.VERIFICATION:
        return steps
    if sc.info or target == S.AWAITING_INFO:
        ask = (
            "Mohon lengkapi nama lengkap atau unit kerja terlapor, tautan unggahan, dan tangkapan "
            "layar beserta tanggalnya."
        )
        steps.append(
            _Step(
                "request_info",
                "verifier",
                r(1, 2),
                note="Syarat materiel belum lengkap.",
                public=ask,
            )
        )
        if target == S.AWAITING_INFO:
            return steps
        if target == S.NOT_REGISTERED:
            steps.append(
                _Step(
                    "reject",
                    "verifier",
                    r(4, 6),
                    note=sc.finding,
                    public="Laporan tidak dapat diregistrasi karena kelengkapan tidak diterima.",
                )
            )
            return steps + _closing(sc, rng)
        steps.append(_Step("receive_info", "verifier", r(1, 3)))
    if target == S.NOT_REGISTERED:
        steps.append(
            _Step(
                "set_requirements",
                "verifier",
                r(1, 3),
                note="Syarat formal atau materiel tidak terpenuhi.",
                fields={"formal_complete": True, "material_complete": False},
            )
        )
        steps.append(_Step("reject", "verifier", 0, note=sc.finding))
        return steps + _closing(sc, rng)
    steps.append(
        _Step(
            "set_requirements",
            "verifier",
            r(1, 3),
            note="Identitas pelapor/terlapor, waktu dan tempat, uraian kejadian serta bukti lengkap.",
            fields={"formal_complete": True, "material_complete": True},
        )
    )
    steps.append(
        _Step("register", "verifier", 0, note="Diregistrasi dan diteruskan kepada tim pemeriksa.")
    )
    if target == S.REGISTERED:
        return steps
    steps.append(
        _Step(
            "start_examination",
            "examiner",
            r(2, 5),
            note="Surat panggilan klarifikasi dikirim kepada terlapor melalui atasan langsung.",
        )
    )
    if target == S.EXAMINATION:
        if sc.heard:
            steps.append(_hearing(sc, "reported", r(3, 6)))
        return steps
    steps.append(_hearing(sc, "reported", r(3, 7)))
    steps.append(_Step("add_clarification", "examiner", r(1, 4), fields=_witness_fields(rng)))
    if rng.random() < 0.4:
        steps.append(
            _Step("add_clarification", "examiner", r(1, 3), fields=_superior_fields(sc, rng))
        )
    if target == S.NOT_PROVEN:
        steps.append(_Step("conclude_not_proven", "examiner", r(2, 6), note=sc.finding))
        return steps + _closing(sc, rng)
    steps.append(
        _Step(
            "conclude_proven",
            "examiner",
            r(2, 6),
            note=(
                f"Terbukti {sc.finding}. Keterangan terlapor, saksi dan bukti saling bersesuaian."
            ),
        )
    )
    if target == S.PROVEN:
        return steps
    steps.append(
        _Step(
            "recommend",
            "examiner",
            r(2, 6),
            note="Rekomendasi hukuman disusun berdasarkan matriks SKB 2022.",
            fields=_recommend_fields(sc),
        )
    )
    if target == S.RECOMMENDED:
        return steps
    steps.append(
        _Step(
            "forward",
            "examiner",
            r(1, 4),
            fields=_forward_fields(sc),
            note="Rekomendasi dikirim dengan surat pengantar beserta berita acara pemeriksaan.",
        )
    )
    if target == S.FORWARDED:
        return steps
    steps.append(
        _Step(
            "decide",
            "ppk",
            r(12, 40),
            fields=_decide_fields(sc, rng),
            note="Salinan keputusan hukuman disiplin diterima.",
        )
    )
    return steps + _closing(sc, rng)


def _closing(sc: _Scenario, rng: random.Random) -> list[_Step]:
    if sc.status != S.CLOSED:
        return []
    return [
        _Step(
            "close",
            "verifier",
            rng.randint(2, 7),
            note="Hasil penanganan telah disampaikan kepada pelapor dan terlapor; berkas diarsipkan.",
        )
    ]


def _hearing(sc: _Scenario, capacity: str, gap: int) -> _Step:
    def fields(case: Case, at: datetime) -> dict[str, Any]:
        return {
            "held_on": timezone.localdate(at),
            "person_heard": case.subject_name,
            "capacity": capacity,
            "summary": sc.heard or "Memberikan keterangan sesuai pertanyaan pemeriksa.",
        }

    return _Step("add_clarification", "examiner", gap, fields=fields)


def _witness_fields(rng: random.Random) -> Callable[[Case, datetime], dict[str, Any]]:
    name, says = rng.choice(_WITNESSES), rng.choice(_WITNESS_SAYS)
    return lambda case, at: {
        "held_on": timezone.localdate(at),
        "person_heard": name,
        "capacity": "witness",
        "summary": says,
    }


def _superior_fields(
    sc: _Scenario, rng: random.Random
) -> Callable[[Case, datetime], dict[str, Any]]:
    says = rng.choice(_SUPERIOR_SAYS)
    name = f"{rng.choice(_WITNESSES)} (atasan langsung)"
    return lambda case, at: {
        "held_on": timezone.localdate(at),
        "person_heard": name,
        "capacity": "superior",
        "summary": says,
    }


def _recommend_fields(sc: _Scenario) -> Callable[[Case, datetime], dict[str, Any]]:
    def fields(case: Case, at: datetime) -> dict[str, Any]:
        if sc.sanction:
            kind = SanctionKind.objects.get(code=sc.sanction)
        else:
            catalogue = case.employee.kind if case.employee else PNS
            kind = (
                SanctionKind.objects.filter(
                    employee_kind=catalogue, category=case.suggested_sanction_category
                )
                .order_by("order")
                .first()
            )
        return {"sanction_kind": kind, "override_reason": sc.override}

    return fields


def _ppk_title(agency: Agency | None) -> str:
    region = agency.region if agency else None
    if region is None or region.kind == AgencyKind.PROVINCE:
        return "Gubernur Kepulauan Bangka Belitung selaku PPK"
    if region.kind == AgencyKind.CITY:
        return f"Wali Kota {region.name.removeprefix('Kota ')} selaku PPK"
    return f"Bupati {region.name.removeprefix('Kabupaten ')} selaku PPK"


def _forward_fields(sc: _Scenario) -> Callable[[Case, datetime], dict[str, Any]]:
    def fields(case: Case, at: datetime) -> dict[str, Any]:
        if sc.forward.startswith("other:"):
            return {"target": "other_agency", "target_name": sc.forward.removeprefix("other:")}
        if sc.forward == "receiving_body":
            return {"target": "receiving_body"}
        return {"target": "ppk", "target_name": _ppk_title(case.agency)}

    return fields


def _decide_fields(sc: _Scenario, rng: random.Random) -> Callable[[Case, datetime], dict[str, Any]]:
    serial = rng.randint(40, 480)

    def fields(case: Case, at: datetime) -> dict[str, Any]:
        day = timezone.localdate(at)
        office = "BKPSDMD" if case.agency and case.agency.path.startswith("19/19.OPD") else "BKPSDM"
        kind = (
            SanctionKind.objects.get(code=sc.decision)
            if sc.decision
            else case.recommended_sanction_kind
        )
        return {
            "decision_number": f"800.1.6.4/{serial:03d}/{office}/{day.year}",
            "decision_date": day,
            "sanction_kind": kind,
            "override_reason": sc.decision_override,
        }

    return fields


# Days before the last step's status runs out, per status, for the cases meant to be in time.
_IN_TIME_MAX = {
    S.VERIFICATION: 3,
    S.AWAITING_INFO: 1,
    S.REGISTERED: 3,
    S.EXAMINATION: 8,
    S.PROVEN: 3,
    S.RECOMMENDED: 1,
    S.FORWARDED: 6,
}


def _plan(sc: _Scenario, holidays: frozenset[date], now: datetime) -> _Plan:
    # One random stream per scenario: the items dated relative to today then cannot
    # shift the draws, and so the data, of the historical ones.
    clock = _Clock(random.Random(f"{SEED}:{sc.key}"), holidays)
    rng = clock.rng
    steps = [] if sc.status in {NEW, DISMISSED} else _steps_for(sc, rng)
    if sc.recent is None:
        assert sc.on is not None, sc.key
        # Reporters file within days; Bawaslu forwards after its own assessment.
        delay = rng.randint(5, 10) if sc.channel == BAW else rng.randint(0, 4)
        day = sc.on + timedelta(days=delay)
        submitted = (
            clock.office_time(clock.workday(day, +1))
            if sc.channel in {BAW, MON}
            else _aware(day, rng.randint(6, 22), rng.randint(0, 59))
        )
        t = submitted
        for step in steps:
            t = step.at = clock.later(t, step.gap)
        if not steps or t < now - timedelta(hours=1):
            return _Plan(sc, sc.on, submitted, clock, steps)
        # Would run into the future (an old clock or a long path): anchor it at yesterday.
    if steps:
        assert sc.status not in _IN_TIME_MAX or (sc.recent or 1) <= _IN_TIME_MAX[sc.status], sc.key
        local_now = timezone.localtime(now)
        t = clock.office_time(
            clock.workday(local_now.date() - timedelta(days=max(sc.recent or 1, 1)), -1)
        )
        for i in range(len(steps) - 1, -1, -1):
            steps[i].at = t
            t = clock.earlier(t, steps[i].gap)
        submitted = steps[0].at - timedelta(hours=rng.randint(2, 40))
    else:
        ago = timedelta(days=sc.recent or 0, hours=rng.randint(1, 10), minutes=rng.randint(0, 59))
        submitted = now - ago
    incident = timezone.localdate(submitted) - timedelta(days=rng.randint(0, 4))
    return _Plan(sc, incident, submitted, clock, steps)


def _submission(
    plan: _Plan,
    employees: dict[str, Employee],
    violation_types: dict[str, ViolationType],
    serial: int,
) -> ReportSubmission:
    sc, rng = plan.scenario, plan.clock.rng
    emp = employees.get(sc.emp) if sc.emp else None
    name = sc.name or (_plain_name(emp.name) if emp else "")
    agency = sc.agency or (
        emp.agency.name
        if emp and emp.agency.kind != "unit"
        else (emp.agency.parent.name if emp else "")
    )
    files = []
    if sc.shot:
        app, title, lines = sc.shot
        files.append(
            EvidenceUpload(
                name=f"Screenshot_{plan.submitted_at:%Y%m%d}_{serial:03d}.png",
                file=io.BytesIO(_screenshot_png(app, title, lines)),
            )
        )
    identity: dict[str, str] = {}
    if sc.reporter:
        slug = re.sub(r"[^a-z]+", ".", sc.reporter.lower()).strip(".")[:30]
        identity = {
            "reporter_name": sc.reporter,
            "reporter_phone": rng.choice(_PHONE_PREFIXES) + f"{rng.randint(0, 99999999):08d}",
            "reporter_email": f"{slug}@example.org" if rng.random() < 0.6 else "",
        }
    return ReportSubmission(
        reported_name=name,
        incident_date=plan.incident,
        violation_type=violation_types[sc.code],
        description=sc.text,
        channel=sc.channel,
        reported_agency=agency,
        incident_place=sc.place,
        evidence_links=list(sc.links),
        evidence_files=files,
        idempotency_key=f"demo-{sc.key}",
        submitted_at=plan.submitted_at,
        **identity,
    )


_TITLES = re.compile(r"^(?:(?:Drs?|dr|Ir|H|Hj)\.\s+)+")


def _plain_name(name: str) -> str:
    """'Drs. H. Marzuki, S.Pi., M.Si.' -> 'Marzuki': how a reporter writes it."""
    return _TITLES.sub("", name.split(",")[0]).strip()


def _ppk_for(case: Case, ppks: list[User]) -> User:
    """The most local PPK whose agency contains the case's agency."""
    path = case.agency.path if case.agency else ""
    for user in sorted(ppks, key=lambda u: len(u.agency.path), reverse=True):
        if path.startswith(user.agency.path):
            return user
    raise DemoError(f"no PPK for {case.number}")


def _case_run(
    plan: _Plan,
    report: Report,
    employees: dict[str, Employee],
    users: dict[str, User],
) -> Case:
    sc, clock = plan.scenario, plan.clock
    ppks = [u for u in users.values() if u.role == Role.PPK]
    actors = {
        "verifier": users["verifikator"],
        "examiner": users["pemeriksa"],
        "bawaslu": users["bawaslu"],
    }
    open_step, *rest = plan.steps
    case = case_open_from_report(
        report=report,
        actor=actors["verifier"],
        employee=employees.get(sc.emp) if sc.emp else None,
        at=open_step.at,
    )
    trailing = [_Step("comment", role, 0, note=note) for role, note in sc.comments]
    for step in rest + trailing:
        if step.at is None:  # trailing comments: some weeks after the last step
            step.at = min(
                clock.later(case.status_changed_at, 14), timezone.now() - timedelta(hours=1)
            )
        actor = _ppk_for(case, ppks) if step.actor == "ppk" else actors[step.actor]
        fields = step.fields(case, step.at) if callable(step.fields) else (step.fields or {})
        case = case_transition(
            case=case,
            action=step.action,
            actor=actor,
            note=step.note,
            public_message=step.public,
            fields=fields,
            at=step.at,
        )
    return case


# --- Entry point ---------------------------------------------------------------------


def demo_summary(*, created: bool = False) -> DemoSummary:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("agency")
    }
    accounts = [
        DemoAccount(
            u.username,
            u.role,
            str(u.role_label),
            u.get_full_name(),
            u.agency.name if u.agency else "",
        )
        for u in (users[name] for name in DEMO_USERNAMES if name in users)
    ]
    counts = dict(Case.objects.values_list("status").annotate(n=Count("id")).order_by())
    by_status = Report.objects.values_list("status").annotate(n=Count("id")).order_by()
    reports = dict(by_status)
    return DemoSummary(
        created=created,
        accounts=accounts,
        case_counts={s.value: counts.get(s.value, 0) for s in CaseStatus},
        overdue=cases_overdue(Case.objects.all()).count(),
        reports=sum(reports.values()),
        reports_new=reports.get(ReportStatus.NEW, 0),
        reports_dismissed=reports.get(ReportStatus.DISMISSED, 0),
        employees=Employee.objects.count(),
    )


def demo_seed(*, stdout: TextIO | None = None) -> DemoSummary:
    """Seed the demo once; later calls change nothing and return the current summary."""
    if User.objects.filter(username=MARKER_USERNAME).exists():
        return demo_summary(created=False)
    if not Agency.objects.filter(code="19").exists() or not ViolationType.objects.exists():
        raise DemoError("Reference data is missing: run `netralitas load_reference_data` first.")

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    rng = random.Random(SEED)
    # Whole minutes: the "recent" items are then stable within a minute of each other.
    now = timezone.now().replace(second=0, microsecond=0)
    with transaction.atomic():
        users = _accounts_create()
        say(f"Akun demo: {len(users)}")
        employees = _employees_create(rng, timezone.localdate(now))
        say(f"Pegawai: {len(employees)}")
        violation_types = {v.code: v for v in ViolationType.objects.all()}
        holidays = frozenset(Holiday.objects.values_list("date", flat=True))
        plans = [_plan(sc, holidays, now) for sc in SCENARIOS]
        # Reports in the order they arrived, so ids and the inbox read naturally.
        reports: dict[str, Report] = {}
        for serial, plan in enumerate(sorted(plans, key=lambda p: p.submitted_at), start=1):
            sc = plan.scenario
            submitted_by = (
                users["verifikator"]
                if sc.channel == MON
                else users["bawaslu"]
                if sc.channel == BAW
                else None
            )
            report, _created = report_submit(
                submission=_submission(plan, employees, violation_types, serial),
                submitted_by=submitted_by,
            )
            reports[sc.key] = report
        say(f"Laporan: {len(reports)}")
        # Cases in the order they were opened, so case numbers run with time.
        case_plans = sorted((p for p in plans if p.steps), key=lambda p: p.steps[0].at)
        for plan in case_plans:
            _case_run(plan, reports[plan.scenario.key], employees, users)
        say(f"Kasus: {len(case_plans)}")
        for plan in plans:
            sc = plan.scenario
            if sc.status == DISMISSED:
                reason = sc.finding or (
                    f"Duplikat laporan {reports[sc.dup_of].tracking_code} tentang kejadian yang sama."
                )
                report_dismiss(report=reports[sc.key], actor=users["verifikator"], reason=reason)
        monitoring = monitoring_demo_seed(employees=employees, verifier=users["verifikator"])
        say(
            f"Pemantauan: {monitoring.posts} pesan, {monitoring.findings} temuan, "
            f"{monitoring.clusters} klaster"
        )
        integrity = integrity_demo_seed(employees=employees, users=users)
        say(f"Pakta integritas: {integrity.pacts} pakta, {integrity.events} sosialisasi")
    return demo_summary(created=True)
