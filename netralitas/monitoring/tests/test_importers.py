"""The importers on sample exports the project wrote in each format (no database)."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netralitas.monitoring.importers import (
    ImportFormatError,
    LineError,
    ParsedPost,
    detect_format,
    parse_file,
    post_key,
)
from netralitas.monitoring.importers.base import normalise_handle, normalise_phone
from netralitas.monitoring.importers.whatsapp import chat_name

FIXTURES = Path(__file__).parent / "fixtures"
WIB = ZoneInfo("Asia/Jakarta")


def items(name: str, fmt: str = "auto", **kwargs):
    return list(parse_file(FIXTURES / name, fmt, **kwargs)[1])


def posts_of(found):
    return [i for i in found if isinstance(i, ParsedPost)]


def errors_of(found):
    return [(i.line, i.error) for i in found if isinstance(i, LineError)]


def test_it_reads_an_android_export_in_indonesian():
    found = items("wa_android_id.txt", group="Guru SDN 3")
    posts = posts_of(found)
    # system lines (encryption, group created, member added) and the deleted message are
    # not posts; the impossible date is a numbered error
    assert [p.author_name or p.author_phone for p in posts] == [
        "Budi Santoso",
        "6281270010002",
        "Siti Aminah",
        "Ibu Siti Aminah S.Pd",
        "6281270010002",
    ]
    assert posts[0].text == (
        "Selamat malam bapak ibu\nbesok rapat KKG jam 8 di ruang guru\nmohon hadir tepat waktu 🙏"
    )
    assert posts[0].posted_at == datetime(2024, 1, 14, 19, 32, tzinfo=WIB)
    assert posts[0].line == 4 and posts[0].group == "Guru SDN 3"
    assert posts[1].media == "<Media tidak disertakan>" and posts[1].text == ""
    assert posts[2].text.startswith("*Diteruskan*\nAyo bapak ibu")
    assert errors_of(found) == [(13, "invalid date or time (day is out of range for month)")]


def test_it_reads_an_android_export_with_us_dates_and_12_hour_time():
    posts = posts_of(items("wa_android_en_us.txt"))
    # "1/14/24" can only be month first; 11:05 PM is 23:05; the subject change (with a
    # colon inside the subject) and the deleted message are not posts
    assert [(p.author_name, p.posted_at) for p in posts] == [
        ("Budi Santoso", datetime(2024, 1, 14, 19, 32, tzinfo=WIB)),
        ("Rudi Hartono", datetime(2024, 1, 14, 23, 5, tzinfo=WIB)),
        ("Rudi Hartono", datetime(2024, 2, 3, 9, 15, tzinfo=WIB)),
    ]
    assert posts[2].media == "<Media omitted>"


def test_it_reads_ios_exports_with_seconds_and_invisible_marks():
    posts = posts_of(items("wa_ios_en.txt", group="Guru SDN 3"))
    assert [(p.author_name, p.text) for p in posts] == [
        ("Budi Santoso", "Good evening"),
        ("Budi Santoso", "Good evening"),
        ("Rudi", ""),
        ("Rudi Hartono", "multi\nline message"),
    ]
    assert posts[0].posted_at == datetime(2024, 1, 14, 19, 32, 5, tzinfo=WIB)
    assert posts[2].media == "image omitted"
    id_posts = posts_of(items("wa_ios_id.txt"))
    assert id_posts[1].posted_at == datetime(2024, 1, 14, 19, 33, 10, tzinfo=WIB)


def test_ambiguous_dates_follow_the_given_order(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("03/04/24 10.00 - Budi: halo\n", encoding="utf-8")
    assert posts_of(items(str(path)))[0].posted_at.month == 4  # Indonesian default: day first
    month_first = posts_of(list(parse_file(path, day_first=False)[1]))[0]
    assert month_first.posted_at.month == 3


def test_it_reads_the_zip_with_media_and_takes_the_chat_name(tmp_path):
    archive = tmp_path / "WhatsApp Chat - Guru SDN 3.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "WhatsApp Chat with Guru SDN 3.txt",
            "14/01/24 19.32 - Budi: IMG-20240114-WA0003.jpg (file terlampir)\nfoto kegiatan\n",
        )
        z.writestr("IMG-20240114-WA0003.jpg", b"\xff\xd8\xff")
    assert detect_format(archive) == "whatsapp"
    (post,) = posts_of(items(str(archive)))
    assert post.group == "Guru SDN 3"
    assert post.media == "IMG-20240114-WA0003.jpg (file terlampir)"
    assert post.text == "foto kegiatan"


def test_a_text_file_without_headers_is_not_a_whatsapp_export(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nno headers here\n", encoding="utf-8")
    with pytest.raises(ImportFormatError):
        items(str(path))
    with pytest.raises(ImportFormatError, match="no WhatsApp message header"):
        items(str(path), "whatsapp")


def test_it_reads_a_telegram_chat_with_entities_forwards_and_replies():
    found = items("telegram_chat.json")
    posts = posts_of(found)
    assert [p.external_id for p in posts] == ["2", "3", "4", "6"]  # 1 is a service message
    forwarded = posts[1]
    assert forwarded.text == "Ayo coblos 02 tgl 14 Feb! #PrabowoGibran"
    assert forwarded.forwarded and forwarded.action == "share"
    assert forwarded.extra == {"forwarded_from": "Relawan 02 Babel"}
    assert forwarded.posted_at == datetime.fromtimestamp(1704978900, UTC)
    assert posts[2].reply_to == "3"
    assert posts[3].media == "photo"
    assert forwarded.group == "Info ASN Babel" and forwarded.group_id == "1700123456"
    (error,) = errors_of(found)
    line = (FIXTURES / "telegram_chat.json").read_text().splitlines()[error[0] - 1]
    assert line.strip() == '"id": 5,'  # reported where the bad message is
    assert "neither a string nor entities" in error[1]


def test_it_reads_a_full_telegram_export():
    posts = posts_of(items("telegram_full.json"))
    assert len(posts) == 5
    personal = posts[-1]
    assert personal.text == "pak besok cuti ya" and personal.group == ""


def test_a_broken_json_file_is_rejected_with_its_line(tmp_path):
    path = tmp_path / "result.json"
    path.write_text('{\n "name": "x",\n "messages": [\n  {"id": 1,,}\n ]\n}\n', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="line 4"):
        items(str(path), "telegram")


def test_it_reads_x_v2_responses_with_users():
    found = items("x_search.json")
    posts = posts_of(found)
    assert [(p.author_handle, p.action) for p in posts] == [
        ("Budi_S", "post"),
        ("rudi.h", "share"),
        ("siti_a", "comment"),
    ]
    assert posts[0].url == "https://x.com/Budi_S/status/1745000000000000001"
    assert posts[0].posted_at == datetime(2024, 1, 8, 1, 0, tzinfo=UTC)
    assert posts[2].reply_to == "1745000000000000002"
    assert errors_of(found) == [(1, "tweet 1745000000000000004: invalid created_at 'kemarin'")]


def test_x_pages_as_json_lines_keep_going_after_a_bad_page():
    found = items("x_pages.jsonl")
    assert detect_format(FIXTURES / "x_pages.jsonl") == "x"
    assert len(posts_of(found)) == 4
    assert (2, "not valid JSON (Expecting property name enclosed in double quotes)") in errors_of(
        found
    )


def test_it_reads_csv_with_semicolons_and_reports_bad_rows():
    found = items("posts.csv")
    posts = posts_of(found)
    assert [p.external_id for p in posts] == ["fb-1", "ig-2", "fb-6"]
    assert posts[1].posted_at == datetime(2024, 11, 10, 19, 30, tzinfo=WIB)
    assert posts[1].author_handle == "@rudi.h"
    assert posts[2].text == "teks dengan\nbaris kedua" and posts[2].group == "Grup Warga"
    assert errors_of(found) == [
        (4, "'text' is missing or empty"),
        (
            5,
            "unknown platform 'myspace' (facebook, instagram, x, tiktok, youtube, whatsapp, telegram)",
        ),
        (6, "posted_at '10/11/2024' is not ISO 8601 (2024-01-14T19:32)"),
        (9, "unknown action 'ngepost' (post, share, comment, like, message)"),
    ]


def test_a_csv_without_a_text_column_is_rejected(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("author,content\nBudi,halo\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="no 'text' column"):
        items(str(path))


def test_it_reads_json_lines():
    found = items("posts.jsonl")
    assert detect_format(FIXTURES / "posts.jsonl") == "jsonl"
    assert [p.platform for p in posts_of(found)] == ["tiktok", "youtube"]
    assert [line for line, _e in errors_of(found)] == [2, 3]


def test_keys_identify_posts_by_external_id_or_content():
    a = ParsedPost(
        "whatsapp",
        "whatsapp",
        "halo",
        datetime(2024, 1, 1, 8, 0, tzinfo=WIB),
        author_name="Budi",
        group="G",
    )
    b = ParsedPost(
        "whatsapp",
        "whatsapp",
        "halo  ",
        datetime(2024, 1, 1, 8, 0, 30, tzinfo=WIB),
        author_name="Budi",
        group="G",
    )
    assert post_key(a) == post_key(b)  # same minute, same text up to spacing
    assert post_key(a, 1) != post_key(a)  # the second identical message that minute
    other_group = ParsedPost(
        "whatsapp", "whatsapp", "halo", a.posted_at, author_name="Budi", group="H"
    )
    assert post_key(other_group) != post_key(a)
    t1 = ParsedPost("telegram", "telegram", "x", None, external_id="5", group_id="1")
    t2 = ParsedPost("telegram", "telegram", "edited", None, external_id="5", group_id="1")
    assert post_key(t1) == post_key(t2)


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("0812-7001-0002", "6281270010002"),
        ("+62 812 7001 0002", "6281270010002"),
        ("812 7001 0002", "6281270010002"),
        ("12", ""),
    ],
)
def test_phone_numbers_are_normalised(raw, phone):
    assert normalise_phone(raw) == phone


def test_handles_are_normalised():
    assert normalise_handle("@Budi_S") == "budi_s"
    assert normalise_handle("https://www.instagram.com/rudi.h/?hl=id") == "rudi.h"


def test_chat_names_come_from_export_file_names():
    assert chat_name("WhatsApp Chat with Guru SDN 3.txt") == "Guru SDN 3"
    assert chat_name("Chat WhatsApp dengan Dinas Kominfo (2).txt") == "Dinas Kominfo"
    assert chat_name("_chat.txt") == ""
