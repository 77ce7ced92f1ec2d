"""The inline SVG charts: well-formed, one mark per value, links only where allowed, every
label escaped. Pure functions: no database."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from netralitas.dashboards.charts import (
    LABEL_CHARS,
    PALETTE,
    Bar,
    Series,
    bar_chart,
    column_chart,
    nice_ticks,
    truncate,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_it_draws_one_bar_per_bucket_with_its_number():
    bars = [Bar("Disdik", 12, "/a"), Bar("Dinkes", 5, "/b"), Bar("Setda", 0, None)]
    root = parse(bar_chart(bars, title="Kasus menurut instansi", fmt=str))
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 ") and root.get("width") == "100%"
    assert "Disdik: 12" in root.get("aria-label")
    assert len(root.findall(".//svg:rect", NS)) == 3
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"12", "5", "0"} <= set(texts)
    widths = [float(r.get("width")) for r in root.findall(".//svg:rect", NS)]
    assert widths[0] > widths[1] > widths[2] == 0


def test_it_links_bars_only_when_allowed():
    allowed = parse(bar_chart([Bar("A", 3, "/list?dim=agency&key=A"), Bar("B", 1)], title="t"))
    links = allowed.findall("svg:a", NS)
    assert [a.get("href") for a in links] == ["/list?dim=agency&key=A"]  # parsed: & unescaped
    assert len(allowed.findall("svg:g", NS)) == 1
    plain = parse(bar_chart([Bar("A", 3), Bar("B", 1)], title="t"))
    assert plain.findall(".//svg:a", NS) == []


def test_it_escapes_labels_and_truncates_long_ones_with_a_tooltip():
    evil = '<script>alert("x")</script> & Dinas'
    long = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah Kabupaten Belitung"
    svg = bar_chart([Bar(evil, 2, '/x?"onload="'), Bar(long, 1)], title=f"T {evil}")
    assert "<script>" not in svg
    root = parse(svg)  # well-formed despite the markup in the labels
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert evil in texts
    shown = truncate(long, LABEL_CHARS)
    assert shown in texts and " … " in shown and len(shown) <= LABEL_CHARS
    assert shown.endswith("Kabupaten Belitung")  # the end tells agencies apart
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert f"{long}: 1" in titles
    assert root.find("svg:a", NS).get("href") == '/x?"onload="'


def test_it_drops_characters_xml_cannot_hold():
    root = parse(bar_chart([Bar("Grup\x07WA\x00", 1)], title="t"))
    assert "GrupWA" in [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_it_says_so_when_there_is_nothing_to_draw():
    root = parse(bar_chart([], title="t", empty_text="Tidak ada data."))
    assert [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")] == ["Tidak ada data."]


def test_it_draws_grouped_columns_per_month_with_a_legend():
    months = ["Sep 2024", "Okt 2024", "Nov 2024"]
    series = [
        Series("Laporan", [3, 0, 1], PALETTE[0], ["/r1", None, "/r3"]),
        Series("Kasus", [1, 2, 0], PALETTE[2], None),
    ]
    root = parse(column_chart(months, series, title="Per bulan"))
    assert root.get("role") == "img" and root.get("width") == "100%"
    columns = [g for g in root if g.tag.endswith("}a") or g.get("class") == "column"]
    assert len(columns) == 6  # one per month and series
    assert [a.get("href") for a in root.findall("svg:a", NS)] == ["/r1", "/r3"]
    fills = [r.get("fill") for r in root.findall("svg:rect", NS)]
    assert fills[:2] == [PALETTE[0], PALETTE[2]]  # the legend's swatches
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    # The month on one line, the year under its first month only.
    assert texts.count("2024") == 1 and {"Laporan", "Kasus", "Sep", "Okt", "Nov"} <= set(texts)
    assert "Laporan, Sep 2024: 3" in root.get("aria-label")


def test_it_never_links_an_empty_column():
    root = parse(column_chart(["Jan"], [Series("A", [0], hrefs=["/a"])], title="t"))
    assert root.findall(".//svg:a", NS) == []


def test_it_picks_round_axis_steps():
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(100) == [0, 25, 50, 75, 100]
    assert nice_ticks(98_765)[-1] == 100_000


def test_it_is_a_pure_library():
    # No Django import: the charts are drawn from numbers and strings only.
    import ast
    from pathlib import Path

    from netralitas.dashboards import charts

    tree = ast.parse(Path(charts.__file__).read_text())
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.startswith("django")]
