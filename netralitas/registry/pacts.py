"""Integrity pacts and socialisation events: the writes.

An employee's neutrality integrity pact (pakta integritas netralitas ASN) is recorded in
one of two ways:

* staff upload the signed sheet (:func:`pact_record_upload`), checked by its content:
  a PDF or a photo/scan, nothing else;
* the employee acknowledges the pact text through a personal link
  (:func:`pact_link_make`, then :func:`pact_acknowledge_link`). Civil servants have no
  login, so the link itself is the credential: signed with the project key and a salt of
  its own, bound to the employee and the election, expiring, and used up once a pact
  exists for that pair. Nothing is stored for a link that is never used.

A pact is unique per employee and election (database constraints); recording it twice
is an error for staff and a no-op for the employee's own acknowledgement.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import IO, Any

import yaml
from django.conf import settings
from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from netralitas.accounts.models import User
from netralitas.core.timeutil import local_today
from netralitas.elections.models import Election
from netralitas.elections.selectors import election_for_date
from netralitas.registry.models import (
    Agency,
    Employee,
    IntegrityPact,
    PactMethod,
    SocialisationEvent,
)
from netralitas.registry.nip import normalize_nip
from netralitas.registry.selectors import integrity_may_record
from netralitas.reports.uploads import SniffedFile, UploadRejected, inspect_upload

logger = logging.getLogger(__name__)

PACT_TEXT_FILE = Path(__file__).parent / "data" / "integrity_pact.yaml"
LINK_SALT = "netralitas.registry.pact-link"
CLIENT_HASH_SALT = "netralitas.registry.pact-client"
# Long enough for an agency to pass links around on WhatsApp and for staff on leave to
# come back; short enough that a forwarded link does not stay usable for a whole term.
LINK_MAX_AGE = timedelta(days=settings.PACT_LINK_DAYS)
PACT_MAX_BYTES: int = settings.PACT_MAX_BYTES
# A signed sheet is a document or a photo of one; video, audio and GIF have no business here.
PACT_FILE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp"})
# Readers accept a PDF whose end-of-file marker is within the last 1024 bytes; a file
# without one was cut off during upload or is not really a PDF.
PDF_EOF_WINDOW = 1024
# Active content a scanned sheet never has. A tripwire, not a sanitiser: names inside
# compressed object streams are not seen. Files are always served as downloads.
PDF_ACTIVE_MARKERS = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
EARLIEST_DATE = date(2014, 1, 1)  # UU 5/2014 (ASN), the start of the neutrality principle
MAX_UNLISTED_ATTENDEES = 100_000


class PactInputError(Exception):
    """Input that cannot be recorded; ``errors`` maps a field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class PactNotAllowed(PermissionError):
    pass


class PactLinkInvalid(Exception):
    """A personal link that cannot be used: ``reason`` is "tampered", "expired" or "gone"
    (the employee or election no longer exists or is inactive)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PactUpload:
    name: str
    file: IO[bytes]


@dataclass(frozen=True)
class PactLink:
    employee: Employee
    election: Election | None
    issued_by_id: int | None


@dataclass(frozen=True)
class PactText:
    version: str
    title: str
    opening: str
    commitments: list[str]
    basis: str


@cache
def pact_text() -> PactText:
    data = yaml.safe_load(PACT_TEXT_FILE.read_text(encoding="utf-8"))
    return PactText(
        version=str(data["version"]),
        title=data["title"],
        opening=data["opening"],
        commitments=list(data["commitments"]),
        basis=data["basis"],
    )


def _check_may_record(actor: User, agency: Agency) -> None:
    if not integrity_may_record(user=actor, agency=agency):
        raise PactNotAllowed("role or scope does not allow recording for this agency")


def _check_day(day: date, field: str, errors: dict[str, list[str]]) -> None:
    if day > local_today():
        errors.setdefault(field, []).append(_("The date cannot be in the future."))
    elif day < EARLIEST_DATE:
        errors.setdefault(field, []).append(_("The date is too far in the past."))


def _date_text(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _already_signed(pact: IntegrityPact) -> PactInputError:
    return PactInputError(
        {
            "employee": [
                _("%(name)s already has a pact for this period, signed on %(date)s.")
                % {"name": pact.employee.name, "date": _date_text(pact.signed_at)}
            ]
        }
    )


def _existing_pact(employee: Employee, election: Election | None) -> IntegrityPact | None:
    pacts = IntegrityPact.objects.select_related("employee").filter(employee=employee)
    if election is None:
        return pacts.filter(election__isnull=True).first()
    return pacts.filter(election=election).first()


# --- The signed sheet ------------------------------------------------------------------


def _shown_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable())
    return base[:79] + "…" if len(base) > 80 else base


def pact_file_check(fileobj: IO[Any], *, name: str, max_bytes: int = PACT_MAX_BYTES) -> SniffedFile:
    """Identify a signed sheet by its content (reports.uploads: magic bytes, Pillow
    decode, size cap) and keep only PDF and photos. Raises PactInputError on "file"."""
    try:
        sniffed = inspect_upload(fileobj, name=name, max_bytes=max_bytes)
    except UploadRejected as exc:
        if exc.code != "type_not_allowed":
            raise PactInputError({"file": [str(exc)]}) from exc
        sniffed = None
    if sniffed is None or sniffed.content_type not in PACT_FILE_TYPES:
        raise PactInputError(
            {
                "file": [
                    _(
                        "“%(name)s” is not a PDF or a photo of the signed sheet. "
                        "Upload a PDF, JPEG, PNG or WebP file."
                    )
                    % {"name": _shown_name(name)}
                ]
            }
        )
    if sniffed.content_type == "application/pdf":
        _check_pdf(fileobj, name, sniffed.size)
    return sniffed


def _check_pdf(fileobj: IO[Any], name: str, size: int) -> None:
    try:
        fileobj.seek(max(0, size - PDF_EOF_WINDOW))
        tail = fileobj.read(PDF_EOF_WINDOW)
        fileobj.seek(0)
        active = False
        overlap = b""
        longest = max(len(m) for m in PDF_ACTIVE_MARKERS)
        while chunk := fileobj.read(64 * 1024):
            window = overlap + chunk
            if any(marker in window for marker in PDF_ACTIVE_MARKERS):
                active = True
                break
            overlap = window[-(longest - 1) :]
    finally:
        fileobj.seek(0)
    if b"%%EOF" not in tail:
        raise PactInputError(
            {"file": [_("“%(name)s” is incomplete or damaged.") % {"name": _shown_name(name)}]}
        )
    if active:
        raise PactInputError(
            {
                "file": [
                    _(
                        "“%(name)s” contains scripts or embedded files. Scan or export the "
                        "signed sheet again as a plain PDF or a photo."
                    )
                    % {"name": _shown_name(name)}
                ]
            }
        )


def _store_file(pact: IntegrityPact, upload: PactUpload, sniffed: SniffedFile) -> None:
    pact.file_sha256 = sniffed.sha256
    pact.file_extension = sniffed.extension.lstrip(".")
    pact.file_content_type = sniffed.content_type
    pact.file_size = sniffed.size
    name = f"pacts/{sniffed.sha256}{sniffed.extension}"
    if default_storage.exists(name):
        # Same bytes, same name: a collective sheet already stored for a colleague.
        pact.file.name = name
        return
    upload.file.seek(0)
    pact.file.save(name, File(upload.file), save=False)


def pact_record_upload(
    *,
    employee: Employee,
    election: Election | None,
    signed_on: date,
    upload: PactUpload,
    actor: User,
) -> IntegrityPact:
    """Record the signed sheet of ``employee``'s pact, uploaded by ``actor``."""
    _check_may_record(actor, employee.agency)
    errors: dict[str, list[str]] = {}
    if not employee.is_active:
        errors["employee"] = [_("This employee is no longer active.")]
    _check_day(signed_on, "signed_on", errors)
    try:
        sniffed = pact_file_check(upload.file, name=upload.name)
    except PactInputError as exc:
        errors.update(exc.errors)
    if errors:
        raise PactInputError(errors)
    existing = _existing_pact(employee, election)
    if existing is not None:
        raise _already_signed(existing)
    # The sheet carries a date, not a time: the start of that day in local time (WIB).
    signed_at = timezone.make_aware(datetime.combine(signed_on, time.min))
    pact = IntegrityPact(
        employee=employee,
        agency=employee.agency,
        election=election,
        method=PactMethod.UPLOAD,
        signed_at=signed_at,
        recorded_by=actor,
    )
    # Stored before the row: if the insert then loses a race, the file is an unused
    # content-addressed copy, never a row pointing at nothing.
    _store_file(pact, upload, sniffed)
    try:
        with transaction.atomic():
            pact.save()
    except IntegrityError:
        existing = _existing_pact(employee, election)
        if existing is None:
            raise
        raise _already_signed(existing) from None
    logger.info("integrity pact uploaded pact=%s employee=%s", pact.pk, employee.pk)
    return pact


# --- The employee's own acknowledgement -------------------------------------------------


def pact_acknowledge(
    *,
    employee: Employee,
    election: Election | None,
    client_address: str = "",
    issued_by_id: int | None = None,
    at: datetime | None = None,
) -> tuple[IntegrityPact, bool]:
    """Record that ``employee`` acknowledged the pact text. Idempotent: when a pact
    already exists for this employee and election (acknowledged or uploaded), it is
    returned with created=False and nothing changes."""
    existing = _existing_pact(employee, election)
    if existing is not None:
        return existing, False
    if not employee.is_active:
        raise PactInputError({"employee": [_("This employee is no longer active.")]})
    pact = IntegrityPact(
        employee=employee,
        agency=employee.agency,
        election=election,
        method=PactMethod.ACKNOWLEDGEMENT,
        signed_at=at or timezone.now(),
        text_version=pact_text().version,
        link_issued_by_id=issued_by_id,
        # Keyed with the project secret: the stored value cannot be reversed by hashing
        # the whole IPv4 space.
        client_hash=salted_hmac(CLIENT_HASH_SALT, client_address, algorithm="sha256").hexdigest()
        if client_address
        else "",
    )
    try:
        with transaction.atomic():
            pact.save()
    except IntegrityError:
        # A double click or two tabs: the first one won, which is the same outcome.
        existing = _existing_pact(employee, election)
        if existing is None:
            raise
        return existing, False
    # Ids only: the log must not say who signed what (no personal data in logs).
    logger.info("integrity pact acknowledged pact=%s employee=%s", pact.pk, employee.pk)
    return pact, True


def pact_link_make(*, employee: Employee, election: Election | None, actor: User) -> str:
    """A personal acknowledgement token for ``employee`` (the path part of the link)."""
    _check_may_record(actor, employee.agency)
    if not employee.is_active:
        raise PactInputError({"employee": [_("This employee is no longer active.")]})
    payload = {"e": employee.pk, "v": election.pk if election else None, "by": actor.pk}
    # The payload is readable (signed, not encrypted): it holds ids only, no name or NIP.
    return signing.dumps(payload, salt=LINK_SALT)


def pact_link_expires_on(*, now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now()) + LINK_MAX_AGE


def pact_link_read(token: str, *, check_age: bool = True) -> PactLink:
    """The employee and election a token was made for. Raises PactLinkInvalid."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE if check_age else None)
    except signing.SignatureExpired as exc:
        raise PactLinkInvalid("expired") from exc
    except signing.BadSignature as exc:
        raise PactLinkInvalid("tampered") from exc
    # A valid signature over an unexpected shape means the salt or key leaked elsewhere.
    if not isinstance(data, dict) or not isinstance(data.get("e"), int):
        raise PactLinkInvalid("tampered")
    employee_id, election_id = data["e"], data.get("v")
    if election_id is not None and not isinstance(election_id, int):
        raise PactLinkInvalid("tampered")
    employee = (
        Employee.objects.select_related("agency").filter(pk=employee_id, is_active=True).first()
    )
    election = None
    if election_id is not None:
        election = Election.objects.filter(pk=election_id).first()
        if election is None:
            raise PactLinkInvalid("gone")
    if employee is None:
        raise PactLinkInvalid("gone")
    issued_by = data.get("by")
    return PactLink(
        employee=employee,
        election=election,
        issued_by_id=issued_by if isinstance(issued_by, int) else None,
    )


def pact_for_link(link: PactLink) -> IntegrityPact | None:
    """The pact already recorded for a link's employee and election, if any."""
    return _existing_pact(link.employee, link.election)


def pact_acknowledge_link(*, token: str, client_address: str = "") -> tuple[IntegrityPact, bool]:
    """The employee's acknowledgement through their link. A repeat returns the first
    pact (created=False) even once the link has expired, so a retried submit that
    crossed the expiry still lands on the confirmation."""
    try:
        link = pact_link_read(token)
    except PactLinkInvalid as exc:
        if exc.reason != "expired":
            raise
        link = pact_link_read(token, check_age=False)
        existing = pact_for_link(link)
        if existing is None:
            raise
        return existing, False
    return pact_acknowledge(
        employee=link.employee,
        election=link.election,
        client_address=client_address,
        issued_by_id=link.issued_by_id,
    )


# --- The agency head -------------------------------------------------------------------


def agency_head_set(*, agency: Agency, employee: Employee | None, actor: User) -> Agency:
    """Record who heads ``agency`` (None: not known). The head must work in the agency's
    subtree; the explicit head is what "head has not signed" is computed from."""
    _check_may_record(actor, agency)
    if employee is not None:
        if not employee.is_active:
            raise PactInputError({"head": [_("This employee is no longer active.")]})
        if not employee.agency.path.startswith(agency.path):
            raise PactInputError({"head": [_("The head must be an employee of this agency.")]})
    agency.head = employee
    agency.save(update_fields=["head"])
    logger.info(
        "agency head set agency=%s employee=%s", agency.pk, employee.pk if employee else None
    )
    return agency


# --- Socialisation events --------------------------------------------------------------


def _attendees_resolve(
    agency: Agency,
    attendees: Iterable[Employee],
    attendee_nips: Sequence[str],
    errors: dict[str, list[str]],
) -> list[Employee]:
    chosen = {e.pk: e for e in attendees}
    for employee in chosen.values():
        if not employee.agency.path.startswith(agency.path):
            errors.setdefault("attendees", []).append(
                _("%(name)s does not work in this agency.") % {"name": employee.name}
            )
    nips = []
    for raw in attendee_nips:
        nip = normalize_nip(raw)
        if nip and nip not in nips:
            nips.append(nip)
    if nips:
        found = {
            e.nip: e
            for e in Employee.objects.select_related("agency").filter(nip__in=nips, is_active=True)
        }
        unknown = [nip for nip in nips if nip not in found]
        outside = [
            nip
            for nip in nips
            if nip in found and not found[nip].agency.path.startswith(agency.path)
        ]
        if unknown:
            errors.setdefault("attendee_nips", []).append(
                _("No active employee has these NIPs: %(nips)s.") % {"nips": ", ".join(unknown)}
            )
        if outside:
            errors.setdefault("attendee_nips", []).append(
                _("These NIPs belong to employees of another agency: %(nips)s.")
                % {"nips": ", ".join(outside)}
            )
        for nip in nips:
            if nip in found:
                chosen.setdefault(found[nip].pk, found[nip])
    return list(chosen.values())


def socialisation_record(
    *,
    agency: Agency,
    held_on: date,
    title: str,
    actor: User,
    place: str = "",
    organiser: str = "",
    attendees: Iterable[Employee] = (),
    attendee_nips: Sequence[str] = (),
    unlisted_attendee_count: int = 0,
    notes: str = "",
    election: Election | None = None,
) -> SocialisationEvent:
    """Record a socialisation event held for ``agency``. Attendees come from the
    agency's subtree (chosen, or typed as NIPs from the attendance sheet); people not
    on the registry are counted in ``unlisted_attendee_count``. The election defaults
    to the one whose timeline contains the date (or the next within a year)."""
    _check_may_record(actor, agency)
    errors: dict[str, list[str]] = {}
    title = " ".join(title.split())
    if not title:
        errors["title"] = [_("Give the event a title.")]
    elif len(title) > 200:
        errors["title"] = [_("At most 200 characters.")]
    _check_day(held_on, "held_on", errors)
    if not 0 <= unlisted_attendee_count <= MAX_UNLISTED_ATTENDEES:
        errors["unlisted_attendee_count"] = [
            _("Enter a number between 0 and %(max)d.") % {"max": MAX_UNLISTED_ATTENDEES}
        ]
    people = _attendees_resolve(agency, attendees, attendee_nips, errors)
    if not people and unlisted_attendee_count <= 0 and "unlisted_attendee_count" not in errors:
        errors.setdefault("attendees", []).append(
            _("Record at least one attendee: choose employees or give the number of others.")
        )
    if errors:
        raise PactInputError(errors)
    with transaction.atomic():
        event = SocialisationEvent.objects.create(
            agency=agency,
            held_on=held_on,
            title=title,
            place=" ".join(place.split())[:200],
            organiser=" ".join(organiser.split())[:200],
            unlisted_attendee_count=unlisted_attendee_count,
            notes=notes.strip(),
            election=election or election_for_date(day=held_on),
            recorded_by=actor,
        )
        event.attendees.add(*people)
    logger.info("socialisation event recorded event=%s agency=%s", event.pk, agency.pk)
    return event
