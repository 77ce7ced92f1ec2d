"""Validation of the Indonesian civil-servant number (NIP, Nomor Induk Pegawai).

A NIP has 18 digits:

    [0:8]   birth date, YYYYMMDD
    [8:14]  appointment (TMT CPNS), YYYYMM
    [14]    sex: 1 = male, 2 = female
    [15:18] serial number, 001-999

Example: ``19850714 201001 1 001``.

This module only checks that a number is *plausible*; it cannot tell whether it
was actually issued. Authoritative checks belong to BKN data, not to arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NIP_LENGTH = 18
# Older records go back to employees born just after 1940; anything earlier is
# a typo, and nobody born before then is still in service.
MIN_BIRTH_YEAR = 1940
# Nobody can be appointed CPNS/PPPK before adulthood.
MIN_APPOINTMENT_AGE = 18

# Observed practice, not a cited rule: NIPs issued to PPPK (contract civil
# servants) carry "21" where PNS numbers carry the appointment month, e.g.
# 19850714 202321 2 001. We have found no regulation that defines this, so it
# is accepted only when the caller says the employee is PPPK.
PPPK_MONTH = 21

KIND_PNS = "PNS"
KIND_PPPK = "PPPK"
_KINDS = frozenset({KIND_PNS, KIND_PPPK})

# People copy NIPs from letters and ID cards, which group the digits with
# spaces, dots or dashes.
_SEPARATORS = re.compile(r"[\s.\-]+")
# \d would also accept non-ASCII digits such as Arabic-Indic ones.
_ASCII_DIGITS = re.compile(r"[0-9]*")


class NipError(ValueError):
    """A NIP failed validation; ``code`` says which rule, ``message`` why."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        # Forces the lazy translation only when someone actually prints it.
        return str(self.message)


@dataclass(frozen=True)
class NipInfo:
    nip: str
    birth_date: date
    appointed_year: int
    # None for PPPK numbers, whose month digits are the "21" marker.
    appointed_month: int | None
    sex: Literal["M", "F"]
    serial: int


def normalize_nip(value: str) -> str:
    """Remove the separators people type; does not validate."""
    return _SEPARATORS.sub("", value)


def parse_nip(value: str, *, kind: str | None = None, today: date | None = None) -> NipInfo:
    """Parse and validate a NIP, raising NipError on the first broken rule.

    ``kind`` is "PNS", "PPPK" or None (treated as PNS). ``today`` defaults to
    the server date; pass it explicitly in tests and batch jobs.
    """
    is_pppk = _is_pppk(kind)
    today = today or date.today()
    nip = _check_shape(normalize_nip(value))
    birth = _parse_birth_date(nip[0:8], today)
    year, month = _parse_appointment(nip[8:14], birth, today, is_pppk)
    return NipInfo(
        nip=nip,
        birth_date=birth,
        appointed_year=year,
        appointed_month=month,
        sex=_parse_sex(nip[14]),
        serial=_parse_serial(nip[15:18]),
    )


def validate_nip(value: str, *, kind: str | None = None) -> None:
    """Django validator: raises ValidationError with the NipError's code."""
    try:
        parse_nip(value, kind=kind)
    except NipError as error:
        raise ValidationError(error.message, code=error.code) from error


def _is_pppk(kind: str | None) -> bool:
    if kind is None:
        return False
    # An unknown kind is a programming error, not bad user input, so it is a
    # plain ValueError rather than a NipError (whose message users see).
    if kind.upper() not in _KINDS:
        raise ValueError(f"Unknown civil-servant kind: {kind!r}")
    return kind.upper() == KIND_PPPK


def _check_shape(nip: str) -> str:
    if not _ASCII_DIGITS.fullmatch(nip):
        raise NipError("digits", _("NIP may contain only digits."))
    if len(nip) != NIP_LENGTH:
        raise NipError("length", _("NIP must be 18 digits."))
    return nip


def _parse_birth_date(digits: str, today: date) -> date:
    try:
        birth = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise NipError("birth_date", _("The birth date in the NIP is not a real date.")) from None
    if birth.year < MIN_BIRTH_YEAR or birth > today:
        raise NipError("birth_date", _("The birth date in the NIP is not plausible."))
    return birth


def _parse_appointment(
    digits: str, birth: date, today: date, is_pppk: bool
) -> tuple[int, int | None]:
    year, raw_month = int(digits[0:4]), int(digits[4:6])
    month = _appointment_month(raw_month, is_pppk)
    # Compare at month precision (the NIP has no appointment day); a PPPK
    # number has only a year, so compare whole years.
    appointed = (year, month or 12)
    if appointed > (today.year, today.month if month else 12):
        raise NipError("appointment", _("The appointment date in the NIP is in the future."))
    adult = (birth.year + MIN_APPOINTMENT_AGE, birth.month if month else 12)
    if appointed < adult:
        raise NipError(
            "age",
            _("The NIP says the employee was appointed before the age of 18."),
        )
    return year, month


def _appointment_month(raw_month: int, is_pppk: bool) -> int | None:
    if 1 <= raw_month <= 12:
        return raw_month
    if is_pppk and raw_month == PPPK_MONTH:
        return None
    raise NipError("appointment", _("The appointment month in the NIP is not valid."))


def _parse_sex(digit: str) -> Literal["M", "F"]:
    if digit == "1":
        return "M"
    if digit == "2":
        return "F"
    raise NipError("sex", _("The sex digit in the NIP must be 1 or 2."))


def _parse_serial(digits: str) -> int:
    serial = int(digits)
    if serial == 0:
        raise NipError("serial", _("The serial number in the NIP cannot be 000."))
    return serial
