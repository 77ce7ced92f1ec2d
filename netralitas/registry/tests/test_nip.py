from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

# gettext_lazy needs settings once a message is turned into str; under
# pytest-django the project settings are already configured.
if not settings.configured:
    settings.configure(USE_I18N=False)

from netralitas.registry.nip import (  # noqa: E402
    NipError,
    NipInfo,
    normalize_nip,
    parse_nip,
    validate_nip,
)

TODAY = date(2025, 6, 1)


def error_code(value: str, kind: str | None = None) -> str:
    with pytest.raises(NipError) as caught:
        parse_nip(value, kind=kind, today=TODAY)
    assert str(caught.value)  # every error carries a readable message
    return caught.value.code


def test_it_parses_a_valid_pns_nip() -> None:
    info = parse_nip("198507142010011001", today=TODAY)
    assert info == NipInfo(
        nip="198507142010011001",
        birth_date=date(1985, 7, 14),
        appointed_year=2010,
        appointed_month=1,
        sex="M",
        serial=1,
    )


def test_it_parses_a_valid_pppk_nip() -> None:
    info = parse_nip("198507142023212999", kind="PPPK", today=TODAY)
    assert info.appointed_year == 2023
    assert info.appointed_month is None
    assert info.sex == "F"
    assert info.serial == 999


def test_it_accepts_a_regular_month_for_pppk_too() -> None:
    info = parse_nip("198507142023052001", kind="pppk", today=TODAY)
    assert info.appointed_month == 5


def test_it_rejects_the_pppk_month_for_pns() -> None:
    assert error_code("198507142023212001") == "appointment"
    assert error_code("198507142023212001", kind="PNS") == "appointment"


def test_it_accepts_common_formatting() -> None:
    for written in (
        "19850714 201001 1 001",
        " 19850714.201001.1.001 ",
        "19850714-201001-1-001",
        "19850714\t201001 1  001",
    ):
        assert parse_nip(written, today=TODAY).nip == "198507142010011001"


def test_it_normalizes_without_validating() -> None:
    assert normalize_nip("19850714 201001 1 001") == "198507142010011001"
    assert normalize_nip("12-ab") == "12ab"


def test_it_rejects_wrong_length() -> None:
    assert error_code("19850714201001100") == "length"
    assert error_code("1985071420100110011") == "length"
    assert error_code("") == "length"


def test_it_rejects_non_digits() -> None:
    assert error_code("1985O7142010011001") == "digits"
    assert error_code("19850714201001100a") == "digits"
    # Arabic-Indic digits pass str.isdigit() but are not a NIP.
    assert error_code("١٩٨٥٠٧١٤٢٠١٠٠١١٠٠١") == "digits"


def test_it_rejects_impossible_birth_dates() -> None:
    assert error_code("198502302010011001") == "birth_date"  # 30 February
    assert error_code("198513012010011001") == "birth_date"  # month 13
    assert error_code("198507002010011001") == "birth_date"  # day 0


def test_it_rejects_implausible_birth_years() -> None:
    assert error_code("193912312010011001") == "birth_date"
    assert error_code("202606012010011001") == "birth_date"
    assert parse_nip("194001012000011001", today=TODAY).birth_date.year == 1940


def test_it_rejects_invalid_appointment_months() -> None:
    assert error_code("198507142010001001") == "appointment"
    assert error_code("198507142010131001") == "appointment"
    assert error_code("198507142010221001", kind="PPPK") == "appointment"


def test_it_rejects_appointment_in_the_future() -> None:
    assert error_code("198507142025071001") == "appointment"
    assert error_code("198507142026211001", kind="PPPK") == "appointment"
    assert parse_nip("198507142025061001", today=TODAY).appointed_month == 6
    assert parse_nip("198507142025211001", kind="PPPK", today=TODAY)


def test_it_rejects_appointment_before_age_18() -> None:
    assert error_code("198507142003061001") == "age"
    assert error_code("198507142002211001", kind="PPPK") == "age"
    # Month precision: appointed in the month of the 18th birthday is fine.
    assert parse_nip("198507142003071001", today=TODAY).appointed_year == 2003
    assert parse_nip("198507142003211001", kind="PPPK", today=TODAY)


def test_it_rejects_invalid_sex_digit() -> None:
    for digit in "03459":
        assert error_code(f"19850714201001{digit}001") == "sex"


def test_it_rejects_serial_zero() -> None:
    assert error_code("198507142010011000") == "serial"


def test_it_rejects_an_unknown_kind_as_a_programming_error() -> None:
    with pytest.raises(ValueError) as caught:
        parse_nip("198507142010011001", kind="honorer", today=TODAY)
    assert not isinstance(caught.value, NipError)


def test_it_validates_django_style() -> None:
    validate_nip("19850714 201001 1 001")
    validate_nip("198507142023211001", kind="PPPK")
    with pytest.raises(ValidationError) as caught:
        validate_nip("198507142010011000")
    assert caught.value.code == "serial"
    with translation.override("en"):  # the message is translated when it is shown
        assert caught.value.messages == ["The serial number in the NIP cannot be 000."]


def test_it_makes_nip_error_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_nip("x", today=TODAY)
