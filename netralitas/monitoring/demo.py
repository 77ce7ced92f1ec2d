"""Demo monitoring data: the exports the team receives, imported, scanned and partly reviewed.

Three files written the way WhatsApp and a spreadsheet export them (two office groups in
the Pilkada 2024 campaign, and posts the team copied from Facebook, Instagram and X) go
through the real importers and the detector. The result has findings awaiting review, a
confirmed one that opened a case, a dismissed one, and a coordinated cluster: the same
forwarded message posted within hours by civil servants of three agencies.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from netralitas.accounts.models import User
from netralitas.monitoring.models import DismissReason, Finding, FindingStatus
from netralitas.monitoring.services import (
    finding_confirm,
    finding_dismiss,
    posts_import,
    posts_scan,
)
from netralitas.registry.models import ChatGroup, Employee, Platform, SocialAccount

# Employee keys of core.demo with the accounts the team has registered for them.
PHONES = {
    "guru_sma1_pkp": "+6281273401122",
    "guru_sma3_pkp": "+6281367702215",
    "guru_smk2_pkp": "+6285267110934",
    "lurah_ketapang": "+6281929304411",
    "honorer_gerunggang": "+6287797123088",
    "camat_pangkalbalam": "+6281271908876",
}
HANDLES = {
    "humas_kominfo": (Platform.INSTAGRAM, "wahyu.kurniawan.babel"),
    "prakom_kominfo": (Platform.X, "aprilhandayani"),
}

FORWARD = (
    "*Diteruskan*\n"
    "Assalamualaikum bapak ibu 🙏 Pilgub Babel 27 Nov jgn salah pilih ya. "
    "Yg sudah terbukti kerjanya cuma satu: coblos nomor 1 Erzaldi-Yuri, Babel lanjut maju! "
    "☝️☝️ sebarkan ke grup keluarga"
)

# 14/10/24 19.32 - Name: text  (Android, Indonesian locale; unsaved contacts as numbers)
GURU_GROUP = "Guru SMA SMK Negeri Pangkalpinang"
GURU_EXPORT = f"""\
01/10/24 06.58 - Pesan dan panggilan dienkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.
01/10/24 07.02 - Yuliana Safitri: Selamat pagi bapak ibu, jadwal ANBK gelombang 2 sudah dikirim ke email sekolah 🙏
01/10/24 07.05 - +62 813-6770-2215: Siap bu, terima kasih
03/10/24 12.40 - Rina Marlina: Mohon izin, yg belum isi e-Kinerja bulan September ditunggu sampai Jumat ya
08/10/24 19.15 - +62 813-6770-2215: <Media tidak disertakan>
08/10/24 19.16 - +62 813-6770-2215: Info dari KPU: debat publik pertama cagub Babel tgl 20 Oktober, disiarkan langsung. Nomor urut 1 Erzaldi-Yuri, nomor urut 2 Hidayat-Hellyana
09/10/24 06.30 - Yuliana Safitri: Pengingat: ASN dilarang foto bersama paslon dengan pose jari ya bapak ibu, termasuk like dan komen di postingan kampanye
21/10/24 20.05 - +62 813-6770-2215: Pak Hidayat tadi malam jawabannya paling mantap, sudah pengalaman. Tgl 27 kite pilih nomor 2 lah bapak ibu, biar Babel berubah 💪
21/10/24 20.07 - Rina Marlina: Pesan ini telah dihapus
12/11/24 18.02 - +62 813-6770-2215: {FORWARD}
12/11/24 18.10 - Yuliana Safitri: Pak, tolong jgn kirim yg begini di grup dinas ya 🙏
15/11/24 07.10 - Rina Marlina: Besok upacara Hari Guru, pakaian PDH khaki, kumpul jam 07.00
"""

# [12/11/24 19.40.22] Name: text  (iOS, Indonesian locale)
KELURAHAN_GROUP = "Info ASN Kecamatan Pangkalbalam"
KELURAHAN_EXPORT = f"""\
[01/11/24 08.00.00] Info ASN Kecamatan Pangkalbalam: \u200ePesan dan panggilan dienkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.
[01/11/24 08.01.10] Rizal Effendi: Selamat pagi, rapat koordinasi persiapan TPS di aula kecamatan jam 09.00
[05/11/24 10.22.31] Agus Salim: Data DPT kelurahan Ketapang sudah kami serahkan ke PPS 👍
[12/11/24 19.40.22] Agus Salim: {FORWARD}
[12/11/24 19.45.03] Dedi Kurniawan: mantap pak lurah ☝️☝️ gass nomor 1
[13/11/24 08.15.40] Rizal Effendi: Bapak ibu, mohon diingat surat edaran netralitas ASN dari Sekda. Tidak ada kampanye di grup kantor.
[20/11/24 16.03.12] Agus Salim: Logistik pilkada untuk TPS 03 dan 07 sudah tiba di kantor lurah
"""

# The team's own spreadsheet of posts seen on public accounts (platform;author;...).
PUBLIC_POSTS = """\
platform;author;author_handle;author_phone;text;posted_at;url;action;external_id;group
instagram;Wahyu Kurniawan;@wahyu.kurniawan.babel;;Liputan kunjungan kerja Pj Gubernur ke RSUD Depati Hamzah pagi ini #DiskominfoBabel;2024-10-15T10:12:00+07:00;https://instagram.com/p/demo1;post;ig-demo-1;
x;Aprilia Handayani;@aprilhandayani;;Yg bajunya kuning2 kemarin janji honorer diangkat semua, lima tahun kemana aja? jangan pilih yg cuma pintar janji 🙄;2024-11-02T21:30:00+07:00;https://x.com/aprilhandayani/status/demo2;post;x-demo-2;
facebook;Dedi Kurniawan;dedi.kurniawan.77;;{forward};2024-11-12T21:05:00+07:00;https://facebook.com/demo3;share;fb-demo-3;
facebook;Bujang Sahang;bujang.sahang;;Ayo warga Mentok, 27 November coblos nomor 1! Erzaldi-Yuri untuk Babel;2024-11-14T09:00:00+07:00;https://facebook.com/demo4;post;fb-demo-4;
x;Aprilia Handayani;@aprilhandayani;;Jangan lupa 27 November datang ke TPS ya, suara kita menentukan. Jangan golput!;2024-11-25T19:00:00+07:00;https://x.com/aprilhandayani/status/demo5;post;x-demo-5;
""".format(forward=FORWARD.replace("\n", " "))


@dataclass
class MonitoringDemo:
    posts: int
    findings: int
    clusters: int


def monitoring_demo_seed(*, employees: dict[str, Employee], verifier: User) -> MonitoringDemo:
    """Register accounts, import the three exports, scan, and review part of the queue."""
    for key, phone in PHONES.items():
        SocialAccount.objects.create(
            employee=employees[key], platform=Platform.WHATSAPP, phone=phone, verified=True
        )
    for key, (platform, handle) in HANDLES.items():
        SocialAccount.objects.create(
            employee=employees[key], platform=platform, handle=handle, verified=True
        )
    guru = ChatGroup.objects.create(
        platform=Platform.WHATSAPP,
        name=GURU_GROUP,
        external_id=GURU_GROUP,
        agency=employees["guru_sma1_pkp"].agency,
    )
    guru.members.add(employees["guru_sma1_pkp"], employees["guru_smk2_pkp"])
    kelurahan = ChatGroup.objects.create(
        platform=Platform.WHATSAPP,
        name=KELURAHAN_GROUP,
        external_id=KELURAHAN_GROUP,
        agency=employees["camat_pangkalbalam"].agency,
    )
    kelurahan.members.add(
        employees["camat_pangkalbalam"],
        employees["lurah_ketapang"],
        employees["honorer_gerunggang"],
    )
    with tempfile.TemporaryDirectory() as folder:
        exports = [
            ("WhatsApp Chat with Guru SMA SMK Negeri Pangkalpinang.txt", GURU_EXPORT, GURU_GROUP),
            (
                "WhatsApp Chat - Info ASN Kecamatan Pangkalbalam.txt",
                KELURAHAN_EXPORT,
                KELURAHAN_GROUP,
            ),
            ("pantauan-akun-publik-november.csv", PUBLIC_POSTS, ""),
        ]
        posts = 0
        for name, content, group in exports:
            path = Path(folder) / name
            path.write_text(content, encoding="utf-8")
            posts += posts_import(path=path, actor=verifier, group=group, day_first=True).imported
    scanned = posts_scan()
    _review(verifier)
    return MonitoringDemo(
        posts=posts,
        findings=scanned.flagged,
        clusters=Finding.objects.filter(cluster__isnull=False).values("cluster").distinct().count(),
    )


def _review(verifier: User) -> None:
    """Confirm the campaign call in the teachers' group (it opens a case, and the same
    teacher's forward joins it), dismiss the post of a citizen who is not a civil servant,
    and leave the rest in the queue."""
    queue = Finding.objects.select_related("post").order_by("post__posted_at", "id")
    call = queue.filter(post__text__contains="kite pilih nomor 2").first()
    if call is not None:
        confirmed = finding_confirm(
            finding=call,
            actor=verifier,
            note="Ajakan memilih di grup WhatsApp dinas pada masa kampanye.",
        )
        forward = queue.filter(
            post__employee=call.post.employee, post__text__startswith="*Diteruskan*"
        ).first()
        if forward is not None and forward.status == FindingStatus.NEW:
            finding_confirm(finding=forward, actor=verifier, case=confirmed.case)
    outsider = queue.filter(post__employee__isnull=True, post__author_name="Bujang Sahang").first()
    if outsider is not None:
        finding_dismiss(
            finding=outsider,
            actor=verifier,
            reason=DismissReason.NOT_EMPLOYEE,
            note="Akun warga, bukan ASN; tidak ada di data kepegawaian.",
        )
