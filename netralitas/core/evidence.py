"""The detector's evidence on a page: the text with its spans highlighted, and the reasons
in the user's language. Shared by the review queue and the self-check."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_BR = mark_safe("<br>\n")  # a constant, never user text


def _lines(piece: str) -> SafeString:
    return format_html_join(_BR, "{}", ((line,) for line in piece.split("\n")))


def evidence_spans(text: str, evidence: Iterable[Any]) -> list[tuple[int, int, str]]:
    """The stored spans that still fit the text: offsets inside it and, where the span
    kept its text, the same text there (a stale span is left out, not mis-placed)."""
    spans = []
    for span in evidence:
        if not isinstance(span, dict):
            continue
        start, end = span.get("start"), span.get("end")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
            continue
        if "text" in span and span["text"] != text[start:end]:
            continue
        spans.append((start, end, why_label(str(span.get("why") or ""))))
    return sorted(spans)


# The detector is a library without Django: its reasons are English strings, translated
# here for the page (unknown ones are shown as they are).
WHY_LABELS = {
    "campaign hashtag": gettext_lazy("campaign hashtag"),
    "candidate name": gettext_lazy("candidate name"),
    "candidate nickname": gettext_lazy("candidate nickname"),
    "party": gettext_lazy("party"),
    "campaign slogan": gettext_lazy("campaign slogan"),
    "finger gesture": gettext_lazy("finger gesture"),
    "campaign symbol": gettext_lazy("campaign symbol"),
    "described by colour": gettext_lazy("described by colour"),
    "number": gettext_lazy("number"),
    "call to vote": gettext_lazy("call to vote"),
    "imperative": gettext_lazy("imperative"),
    "praise": gettext_lazy("praise"),
    "attack": gettext_lazy("attack"),
    "promise tied to a win": gettext_lazy("promise tied to a win"),
    "campaign event or material": gettext_lazy("campaign event or material"),
    "news marker": gettext_lazy("news marker"),
    "rule quote": gettext_lazy("rule quote"),
    "turnout / election administration": gettext_lazy("turnout / election administration"),
    "post-result": gettext_lazy("post-result"),
    "sport context": gettext_lazy("sport context"),
    "rule: negated call to vote for a target": gettext_lazy(
        "rule: a call not to vote for a contestant"
    ),
    "rule: bare ballot number or gesture": gettext_lazy("rule: a bare ballot number or gesture"),
}
_NUMBERED_WHY = re.compile(r"^(ballot number|finger gesture) \(?(\d+)\)?$")


def why_label(why: str) -> str:
    numbered = _NUMBERED_WHY.match(why)
    if numbered:
        label = _("ballot number") if numbered[1] == "ballot number" else _("finger gesture")
        return f"{label} {numbered[2]}"
    return str(WHY_LABELS.get(why, why))


def highlighted_text(text: str, evidence: Iterable[Any]) -> SafeString:
    """The post as HTML: every piece of text escaped, the evidence in ``<mark>`` with the
    detector's reason as its title. Overlapping spans are cut at every boundary, so marks
    never nest and a piece covered by two spans carries both reasons."""
    spans = evidence_spans(text, evidence)
    cuts = sorted({0, len(text)} | {s for s, _e, _w in spans} | {e for _s, e, _w in spans})
    parts: list[SafeString] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        whys = list(dict.fromkeys(w for s, e, w in spans if s <= start and end <= e))
        piece = _lines(text[start:end])
        if whys:
            parts.append(format_html('<mark title="{}">{}</mark>', "; ".join(whys), piece))
        else:
            parts.append(piece)
    return format_html_join("", "{}", ((part,) for part in parts))


# --- helpers --------------------------------------------------------------------------
