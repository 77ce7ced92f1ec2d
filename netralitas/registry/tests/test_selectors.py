import pytest

from netralitas.registry.selectors import employee_search

pytestmark = pytest.mark.django_db


def test_it_finds_employees_by_nip_as_people_write_it(employee):
    assert employee_search("19850714 201001") == [employee]
    assert employee_search("1985.0714") == [employee]


def test_it_finds_employees_by_part_of_the_name(employee):
    assert employee_search("hidayat") == [employee]


def test_it_needs_three_characters(employee):
    assert employee_search("19") == []
    assert employee_search("  ") == []
