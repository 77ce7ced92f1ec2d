"""Charts as inline SVG markup, drawn on the server: no JavaScript, no external resource
(the product runs on government intranets without a CDN).

A pure library (no Django import): numbers and already translated labels in, an SVG string
out. Every label comes from the database, so every text node and attribute is escaped
here, not by the caller. Charts carry ``viewBox`` and ``width="100%"`` so they scale to
the column they sit in, from a phone to a laptop; each is ``role="img"`` with a text
alternative, and the page puts a table with the same numbers (and the same links) next
to it for assistive technology.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Okabe–Ito colours: told apart by readers with the common colour-vision deficiencies,
# and each at least 3:1 against white (WCAG 1.4.11 for graphics).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
INK = "#1b1f24"
MUTED = "#4a5260"
GRID = "#d5d9e0"

# XML 1.0 forbids most control characters; a label imported from a chat export may hold one.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Formatter = Callable[[int], str]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None
    # The full text of the tooltip when it says more than the label (a code's name).
    title: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    colour: str = PALETTE[0]
    # One link per value, None where the value has no list behind it (or may not be opened).
    hrefs: Sequence[str | None] | None = None


def _text(value: object) -> str:
    return escape(_CONTROL.sub("", str(value)), quote=True)


def truncate(label: str, limit: int) -> str:
    """At most ``limit`` characters, cut in the middle: the end of a label tells similar
    ones apart ("… Kabupaten Belitung", "…2024: Masa kampanye"), so it is kept."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    if limit < 20:
        return label[: limit - 1].rstrip() + "…"
    room = limit - 3  # " … "
    cut_head, cut_tail = room * 11 // 20, len(label) - (room - room * 11 // 20)
    head, tail = label[:cut_head], label[cut_tail:]
    # Whole words where a word boundary is near.
    if label[cut_head] != " " and " " in head[len(head) // 2 :]:
        head = head[: head.rindex(" ")]
    if label[cut_tail - 1] != " " and " " in tail[: len(tail) // 2]:
        tail = tail[tail.index(" ") + 1 :]
    return f"{head.rstrip(' :,')} … {tail.lstrip()}"


def _open_svg(width: float, height: float, label: str, css: str, style: str = "") -> str:
    style_attr = f' style="{style}"' if style else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="100%"{style_attr} role="img" aria-label="{_text(label)}" class="chart {css}" '
        f'font-family="system-ui, sans-serif" preserveAspectRatio="xMinYMin meet">'
        f"<title>{_text(label)}</title>"
    )


def _link(href: str | None, inner: str, css: str) -> str:
    if not href:
        return f'<g class="{css}">{inner}</g>'
    # tabindex -1: the table beside the chart holds the same links; one tab stop per
    # number is enough for keyboard users.
    return f'<a class="{css}" href="{_text(href)}" tabindex="-1">{inner}</a>'


def _summary(title: str, pairs: Sequence[tuple[str, str]]) -> str:
    """The chart's text alternative: its title and every value, as a screen reader reads."""
    shown = "; ".join(f"{label}: {value}" for label, value in pairs[:30])
    more = " …" if len(pairs) > 30 else ""
    return f"{title}. {shown}{more}" if shown else title


# --- horizontal bars -------------------------------------------------------------------

BAR_WIDTH = 340  # viewBox units: about a phone's width or a third of a laptop's, so
BAR_HEIGHT = 14  # the text is drawn near its own size in both
ROW_HEIGHT = 36  # the label on its own line above the bar: long agency names fit
LABEL_CHARS = 46


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    colour: str = PALETTE[0],
    fmt: Formatter = str,
    empty_text: str = "",
) -> str:
    """One horizontal bar per item, largest scale at the widest value; the label above
    each bar (truncated, the full text in its tooltip) and the number at its end."""
    value_room = 56  # room right of the longest bar for its number
    span = BAR_WIDTH - value_room
    top = max((b.value for b in bars), default=0)
    height = max(len(bars), 1) * ROW_HEIGHT + 4
    parts = [
        _open_svg(
            BAR_WIDTH,
            height,
            _summary(title, [(b.label, fmt(b.value)) for b in bars]),
            "chart-bars",
        )
    ]
    if not bars:
        parts.append(f'<text x="0" y="22" font-size="13" fill="{MUTED}">{_text(empty_text)}</text>')
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT
        width = 0.0 if top <= 0 else span * bar.value / top
        if bar.value > 0:
            width = max(width, 2.0)  # a tiny count still shows as a bar
        shown = truncate(bar.label, LABEL_CHARS)
        tooltip = f"{bar.title or bar.label}: {fmt(bar.value)}"
        inner = (
            f"<title>{_text(tooltip)}</title>"
            f'<text x="0" y="{y + 13}" font-size="13" fill="{INK}">{_text(shown)}</text>'
            f'<rect x="0" y="{y + 17}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'rx="2" fill="{colour}"/>'
            f'<text x="{width + 4:.1f}" y="{y + 29}" font-size="13" font-weight="700" '
            f'fill="{INK}">{_text(fmt(bar.value))}</text>'
        )
        parts.append(_link(bar.href, inner, "bar"))
    parts.append("</svg>")
    return "".join(parts)


# --- grouped columns (the monthly trend) -----------------------------------------------

COLUMN_HEIGHT = 220
LEFT = 50  # y-axis labels
BOTTOM = 40  # category labels, two lines
LEGEND = 28
COLUMN = 11  # one series' column width
GROUP_MIN = 42  # a category is at least as wide as its label ("Okt", the year beneath)
PLOT_MIN = 340  # a chart of one or two months is not blown up to the page's width


def nice_ticks(top: int, count: int = 4) -> list[int]:
    """Round y-axis steps (1, 2, 2.5, 5 × 10ⁿ) from 0 to at least ``top``."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    step = max(1, math.ceil(step))
    ticks = list(range(0, top + step, step))
    if ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def column_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    fmt: Formatter = str,
    empty_text: str = "",
) -> str:
    """Columns grouped by category (a month), one colour per series, with a legend, a
    y-axis and each value printed above its column. A category "Okt 2024" is written on
    two lines, the year only where it changes.

    Two years of months do not fit a phone's width legibly: the chart keeps its drawn
    size as a minimum (the page scrolls it sideways) rather than shrinking its text."""
    group = max(COLUMN * max(len(series), 1) + 8, GROUP_MIN)
    plot_width = max(group * len(categories), PLOT_MIN)
    width = LEFT + plot_width + 8
    height = LEGEND + COLUMN_HEIGHT + BOTTOM
    top = max((v for s in series for v in s.values), default=0)
    ticks = nice_ticks(top)
    scale = (COLUMN_HEIGHT - 34) / ticks[-1]  # 34: room for the number above the tallest
    base = LEGEND + COLUMN_HEIGHT
    pairs = [
        (f"{s.name}, {category}", fmt(s.values[i]))
        for i, category in enumerate(categories)
        for s in series
    ]
    # Between 1 and 1.5 times its drawn size: text from 11 to 18 pixels.
    size = f"min-width:{width:.0f}px;max-width:{width * 1.5:.0f}px"
    parts = [_open_svg(width, height, _summary(title, pairs), "chart-columns", size)]
    # Legend: a swatch and the series name, in order.
    x = LEFT
    for s in series:
        parts.append(
            f'<rect x="{x}" y="6" width="13" height="13" rx="2" fill="{s.colour}"/>'
            f'<text x="{x + 18}" y="17" font-size="12" fill="{INK}">{_text(s.name)}</text>'
        )
        x += 34 + 7 * len(s.name)
    for tick in ticks:
        y = base - tick * scale
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 5}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{_text(fmt(tick))}</text>'
        )
    if not categories:
        parts.append(
            f'<text x="{LEFT + 6}" y="{base - 10}" font-size="13" fill="{MUTED}">'
            f"{_text(empty_text)}</text>"
        )
    previous_second = ""
    for i, category in enumerate(categories):
        left = LEFT + i * group + (group - COLUMN * len(series)) / 2
        for j, s in enumerate(series):
            value = s.values[i]
            h = value * scale
            if value > 0:
                h = max(h, 1.5)  # a tiny count still shows
            cx = left + j * COLUMN
            inner = (
                f"<title>{_text(f'{s.name}, {category}: {fmt(value)}')}</title>"
                f'<rect x="{cx:.1f}" y="{base - h:.1f}" width="{COLUMN - 1}" '
                f'height="{h:.1f}" fill="{s.colour}"/>'
            )
            if value > 0:
                # Turned a quarter, so a five-digit count fits above an 11-unit column.
                tx, ty = cx + COLUMN / 2 + 3, base - h - 3
                inner += (
                    f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="10" fill="{INK}" '
                    f'transform="rotate(-90 {tx:.1f} {ty:.1f})">{_text(fmt(value))}</text>'
                )
            href = s.hrefs[i] if s.hrefs is not None else None
            parts.append(_link(href if value > 0 else None, inner, "column"))
        first, _space, second = category.rpartition(" ") if " " in category else (category, "", "")
        if second == previous_second:
            second = ""  # the year once, under its first month
        else:
            previous_second = second
        centre = LEFT + i * group + group / 2
        parts.append(
            f'<text x="{centre:.1f}" y="{base + 16}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{_text(truncate(first, 9))}</text>'
        )
        if second:
            parts.append(
                f'<text x="{centre:.1f}" y="{base + 31}" font-size="11" text-anchor="middle" '
                f'fill="{MUTED}">{_text(truncate(second, 9))}</text>'
            )
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{base}" y2="{base}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
