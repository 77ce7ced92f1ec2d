"""The guide against the database's reference data: what the page links to must exist."""

from __future__ import annotations

import pytest

from netralitas.elections.guidance import default_guidance
from netralitas.elections.models import ViolationType

pytestmark = pytest.mark.django_db


def test_it_refers_only_to_active_violation_types_loaded_from_the_reference_data():
    referenced = {code for item in default_guidance().items for code in item.violation_types}
    loaded = set(ViolationType.objects.filter(is_active=True).values_list("code", flat=True))
    assert referenced, "the guide names no violation type"
    assert referenced <= loaded, sorted(referenced - loaded)
