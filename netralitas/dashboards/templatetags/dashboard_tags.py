"""A number of the dashboard, linked to the list behind it when the role may open it.

A tag rather than an included template: the page prints some six hundred numbers, and an
include costs a template render each."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def count_link(count: int | None, href: str | None = None) -> str:
    if count is None:
        return "—"
    shown = formats.number_format(count, force_grouping=True)
    return format_html('<a href="{}">{}</a>', href, shown) if href else shown
