"""A period report as a PDF (reportlab platypus): A4, ready to send to a PPK or Bawaslu.

Layout: a summary page (key figures and notes), two charts drawn with
reportlab.graphics (the ten agencies with the most reports and cases, the monthly
trend), then one table per dimension, the overdue cases and the PPK follow-up. Tables
split across pages with their header row repeated; every page has "Page X of Y" and the
generation time in the footer.

Everything is drawn locally with the PDF standard font Helvetica: no font files, no
network (the intranet servers have none). The document is built with reportlab's
``invariant`` mode, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
import math
import unicodedata
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import TimeStamp
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from netralitas.dashboards.period import Column, PeriodReport, Table

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# One colour per entity, the same in every chart; dark enough to print in greyscale.
ENTITY_COLOURS = {
    "reports": colors.HexColor("#1f5f8b"),
    "findings": colors.HexColor("#c77c02"),
    "cases": colors.HexColor("#8b1f2f"),
}
HEADER_BACKGROUND = colors.HexColor("#e4e9ef")
STRIPE = colors.HexColor("#f5f7f9")
RULE = colors.HexColor("#9aa5b1")
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"


# --- text -------------------------------------------------------------------------------


def _plain(text: Any) -> str:
    """Text the standard PDF fonts can draw: they cover Windows-1252 (all of Indonesian),
    so anything else is reduced to its closest ASCII rather than drawn as a blank box."""
    text = str(text)
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(ascii_form or "?")
    return "".join(out)


def _markup(text: Any) -> str:
    return escape(_plain(text))


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _date(value: date | None) -> str:
    return date_format(value, "j M Y") if value else "—"


def _month(value: date) -> str:
    return date_format(value, "F Y")


def _generated(report: PeriodReport) -> str:
    local = timezone.localtime(report.generated_at)
    return f"{date_format(local, 'j F Y H:i')} {local.tzname() or ''}".strip()


# --- styles -----------------------------------------------------------------------------


class _Styles:
    def __init__(self) -> None:
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=9.5)
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=8, leading=10, textColor=colors.HexColor("#444")
        )
        self.office = ParagraphStyle(
            "office", parent=self.body, fontName=FONT_BOLD, fontSize=11, spaceAfter=2 * mm
        )
        self.title = ParagraphStyle(
            "title", parent=base["Title"], fontName=FONT_BOLD, fontSize=18, leading=22
        )
        self.h1 = ParagraphStyle(
            "h1", parent=base["Heading1"], fontName=FONT_BOLD, fontSize=13, spaceBefore=5 * mm
        )
        self.h2 = ParagraphStyle("h2", parent=base["Heading2"], fontName=FONT_BOLD, fontSize=11)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8, leading=9.6)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=FONT_BOLD)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_right_bold = ParagraphStyle(
            "cell_right_bold", parent=self.cell_right, fontName=FONT_BOLD
        )
        self.figure_label = ParagraphStyle("figure_label", parent=self.body, fontSize=10.5)
        self.figure_value = ParagraphStyle(
            "figure_value", parent=self.body, fontName=FONT_BOLD, fontSize=14, alignment=TA_RIGHT
        )


# --- page furniture -----------------------------------------------------------------


def _timestamp(moment: datetime) -> TimeStamp:
    stamp = TimeStamp(invariant=True)
    utc = moment.astimezone(UTC)
    stamp.t = utc.timestamp()
    stamp.lt = utc.timetuple()
    stamp.YMDhms = tuple(utc.timetuple())[:6]
    return stamp


def _canvas_class(report: PeriodReport) -> type[Canvas]:
    """A canvas that holds its pages until the end, so each footer can say "of Y"."""
    generated = _plain(_("Generated %(when)s · Netralitas") % {"when": _generated(report)})
    running_title = _plain(f"{report.title} · {report.period_label}")

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            # Invariant mode dates the file 1 Jan 2000; date it when the report was made.
            self._doc._timeStamp = _timestamp(report.generated_at)

        def showPage(self) -> None:  # noqa: N802 (reportlab's API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#555"))
            self.setStrokeColor(RULE)
            if number > 1:
                self.drawString(MARGIN, PAGE_HEIGHT - 11 * mm, running_title)
                self.line(
                    MARGIN, PAGE_HEIGHT - 12.5 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 12.5 * mm
                )
            self.line(MARGIN, 13 * mm, PAGE_WIDTH - MARGIN, 13 * mm)
            self.drawString(MARGIN, 9 * mm, generated)
            self.drawRightString(
                PAGE_WIDTH - MARGIN,
                9 * mm,
                _plain(_("Page %(number)s of %(total)s") % {"number": number, "total": total}),
            )
            self.restoreState()

    return NumberedCanvas


# --- tables -------------------------------------------------------------------------


def _cell(value: Any, column: Column, styles: _Styles, *, bold: bool = False) -> Paragraph:
    if column.kind == "int" and isinstance(value, int):
        return Paragraph(_number(value), styles.cell_right_bold if bold else styles.cell_right)
    if column.kind == "date" and isinstance(value, date):
        text = _date(value)
    elif column.kind == "month" and isinstance(value, date):
        text = _month(value)
    elif column.kind == "datetime" and isinstance(value, datetime):
        text = date_format(timezone.localtime(value), "j M Y H:i")
    elif value in (None, ""):
        text = "" if bold else "—"
    else:
        text = str(value)
    return Paragraph(_markup(text), styles.cell_bold if bold else styles.cell)


def _table_style(*, rows: int, has_totals: bool) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#d5dbe1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    last_body_row = rows - 1 - (1 if has_totals else 0)
    if last_body_row >= 1:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, last_body_row), [colors.white, STRIPE]))
    if has_totals:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
        commands.append(("BACKGROUND", (0, -1), (-1, -1), HEADER_BACKGROUND))
    return TableStyle(commands)


def _table(table: Table, styles: _Styles) -> list[Any]:
    columns = [c for c in table.columns if c.in_pdf]
    indexes = [table.columns.index(c) for c in columns]
    if not table.rows:
        return [Paragraph(_markup(_("No data in this period.")), styles.body)]
    header = [
        Paragraph(
            _markup(c.pdf_label or c.label),
            styles.cell_right_bold if c.kind == "int" else styles.cell_bold,
        )
        for c in columns
    ]
    data: list[list[Any]] = [header]
    for row in table.rows:
        data.append([_cell(row[i], c, styles) for i, c in zip(indexes, columns, strict=True)])
    if table.totals is not None:
        data.append(
            [
                _cell(table.totals[i], c, styles, bold=True)
                for i, c in zip(indexes, columns, strict=True)
            ]
        )
    weight = sum(c.weight for c in columns)
    widths = [CONTENT_WIDTH * c.weight / weight for c in columns]
    flowable = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    flowable.setStyle(_table_style(rows=len(data), has_totals=table.totals is not None))
    return [flowable]


def _section(number: int, table: Table, styles: _Styles) -> list[Any]:
    parts: list[Any] = [
        CondPageBreak(45 * mm),  # never a heading alone at the foot of a page
        Paragraph(_markup(f"{number}. {table.title}"), styles.h1),
        *_table(table, styles),
    ]
    if table.note:
        parts += [Spacer(1, 1.5 * mm), Paragraph(_markup(table.note), styles.small)]
    return parts


# --- charts -------------------------------------------------------------------------


def _axis_top(maximum: int) -> tuple[int, int]:
    """A round axis maximum and step with at most about six gridlines."""
    maximum = max(maximum, 1)
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(int(step), 1)
    return step * math.ceil(maximum / step), step


def _legend(report: PeriodReport, entities: list[str], drawing: Drawing) -> None:
    """A one-line legend at the drawing's top left (reportlab's Legend widget lays out
    columns, which a row of two or three entries does not need)."""
    x = 0.0
    y = drawing.height - 10
    for entity in entities:
        label = _plain(report.entity_labels[entity])
        drawing.add(Rect(x, y, 8, 8, fillColor=ENTITY_COLOURS[entity], strokeColor=None))
        drawing.add(String(x + 11, y + 1, label, fontName=FONT, fontSize=8))
        x += 11 + stringWidth(label, FONT, 8) + 14


def _agency_chart(report: PeriodReport) -> Drawing | None:
    top = report.agency_top(10)
    entities = list(report.entities)
    if not top or not any(sum(v.values()) for _label, v in top):
        return None
    bar_height = 4.2 * len(entities)
    height = len(top) * (bar_height + 6) + 40
    drawing = Drawing(CONTENT_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 25
    chart.width, chart.height = CONTENT_WIDTH - 165, height - 45
    chart.data = [[values[e] for _label, values in top] for e in entities]
    chart.categoryAxis.categoryNames = [_plain(label)[:34] for label, _v in top]
    chart.categoryAxis.reverseDirection = 1  # the largest at the top
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    top_value, step = _axis_top(max(max(series) for series in chart.data))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top_value
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dde2e7")
    chart.barWidth = 4
    chart.groupSpacing = 6
    for i, entity in enumerate(entities):
        chart.bars[i].fillColor = ENTITY_COLOURS[entity]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    _legend(report, entities, drawing)
    return drawing


def _month_chart(report: PeriodReport) -> Drawing | None:
    months = report.monthly()
    entities = list(report.entities)
    if not months or not any(sum(v.values()) for _m, v in months):
        return None
    height = 70 * mm
    drawing = Drawing(CONTENT_WIDTH, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 30, 40
    chart.width, chart.height = CONTENT_WIDTH - 45, height - 65
    chart.data = [[values[e] for _m, values in months] for e in entities]
    # A long period would crowd the axis: label about twelve months, evenly spaced.
    every = max(1, math.ceil(len(months) / 12))
    chart.categoryAxis.categoryNames = [
        date_format(month, "M Y") if i % every == 0 else "" for i, (month, _v) in enumerate(months)
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    top_value, step = _axis_top(max(max(series) for series in chart.data))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top_value
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dde2e7")
    chart.joinedLines = 1
    for i, entity in enumerate(entities):
        chart.lines[i].strokeColor = ENTITY_COLOURS[entity]
        chart.lines[i].strokeWidth = 1.5
        chart.lines[i].symbol = makeMarker("FilledCircle", size=3)
        chart.lines[i].symbol.fillColor = ENTITY_COLOURS[entity]
    drawing.add(chart)
    _legend(report, entities, drawing)
    return drawing


def _chart_block(title: str, drawing: Drawing | None, styles: _Styles) -> list[Any]:
    heading = Paragraph(_markup(title), styles.h2)
    if drawing is None:
        return [heading, Paragraph(_markup(_("No data in this period.")), styles.body)]
    return [KeepTogether([heading, drawing])]


# --- the document -------------------------------------------------------------------


def _summary(report: PeriodReport, styles: _Styles) -> list[Any]:
    meta = [
        (_("Period"), report.period_label),
        (_("Agencies covered"), report.scope_label),
        (_("Generated"), _generated(report)),
    ]
    parts: list[Any] = [
        Paragraph(_markup(report.office_name), styles.office),
        Paragraph(_markup(report.title), styles.title),
        Spacer(1, 3 * mm),
    ]
    meta_table = PdfTable(
        [
            [Paragraph(_markup(k), styles.cell_bold), Paragraph(_markup(v), styles.body)]
            for k, v in meta
        ],
        colWidths=[40 * mm, CONTENT_WIDTH - 40 * mm],
        hAlign="LEFT",
    )
    meta_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    parts += [meta_table, Paragraph(_markup(f"1. {_('Summary')}"), styles.h1)]
    figures = PdfTable(
        [
            [
                Paragraph(_markup(f.label), styles.figure_label),
                Paragraph(_number(f.value), styles.figure_value),
            ]
            for f in report.figures
        ],
        colWidths=[CONTENT_WIDTH - 35 * mm, 35 * mm],
        hAlign="LEFT",
    )
    figures.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    parts.append(figures)
    if report.overdue_holders:
        parts += [
            Spacer(1, 4 * mm),
            Paragraph(_markup(_("Overdue cases by who must act")), styles.h2),
        ]
        holders = PdfTable(
            [
                [
                    Paragraph(_markup(b.label), styles.body),
                    Paragraph(_number(b.count), styles.cell_right_bold),
                ]
                for b in report.overdue_holders
            ],
            colWidths=[CONTENT_WIDTH - 35 * mm, 35 * mm],
            hAlign="LEFT",
        )
        holders.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE)]))
        parts.append(holders)
    if report.notes:
        parts += [Spacer(1, 5 * mm), Paragraph(_markup(_("Notes")), styles.h2)]
        parts += [Paragraph(_markup(f"• {note}"), styles.small) for note in report.notes]
    return parts


def period_report_pdf(report: PeriodReport) -> bytes:
    styles = _Styles()
    story: list[Any] = _summary(report, styles)
    story += [
        PageBreak(),
        Paragraph(_markup(f"2. {_('Charts')}"), styles.h1),
        *_chart_block(
            _("The ten agencies with the most reports, findings and cases"),
            _agency_chart(report),
            styles,
        ),
        Spacer(1, 6 * mm),
        *_chart_block(_("Trend by month"), _month_chart(report), styles),
    ]
    for number, table in enumerate(report.tables.values(), start=3):
        story += _section(number, table, styles)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 2 * mm,
        title=_plain(f"{report.title} ({report.period_label})"),
        author=_plain(report.office_name),
        subject=_plain(report.scope_label),
        creator="Netralitas",
        lang=report.language,
        # Fixed document id and dates: the same report gives the same bytes.
        invariant=1,
    )
    doc.build(story, canvasmaker=_canvas_class(report))
    return buffer.getvalue()
