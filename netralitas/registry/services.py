"""Registry writes: employees and their social accounts from personnel spreadsheets.

:func:`employees_import` takes the rows of :mod:`netralitas.registry.spreadsheet` and
applies them in one transaction. Employees are found by NIP, or, for non-ASN staff without
one, by their exact name within the agency. A row that cannot be applied (unknown agency,
an account registered to someone else, values that contradict an earlier row for the same
employee) is reported by row and column and changes nothing; the other rows are applied. A
dry run does all of it and rolls back, so its summary is exactly the real one.

Two imports of overlapping files at the same moment: the second one to insert the same NIP
or account fails on the unique constraint and rolls back whole; run again, it finds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from netralitas.registry.models import Agency, Employee, EmployeeKind, SocialAccount
from netralitas.registry.spreadsheet import AccountRow, EmployeeRow, RowError, SheetItem

# Employee fields a row can set, in the order changes are listed.
FIELDS = ("name", "kind", "position", "rank", "agency", "holds_leadership_post", "is_active")
# The spreadsheet field (hence the column) behind each model field.
_ROW_FIELD = {"agency": "agency_code"}
CHUNK = 500  # values per IN (...) query, well under every database's parameter limit

T = TypeVar("T")
_Fail = Callable[[str, str], None]


class RowAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


class AccountAction(StrEnum):
    CREATED = "created"
    EXISTING = "existing"


@dataclass(slots=True)
class RowChange:
    """What one good row did (or, in a dry run, would do)."""

    row: int
    action: RowAction
    nip: str
    name: str
    # field -> (old, new); old is None for a new employee. Agencies are given by code.
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    account: AccountAction | None = None
    account_label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": str(self.action),
            "nip": self.nip,
            "name": self.name,
            "fields": {name: {"old": old, "new": new} for name, (old, new) in self.fields.items()},
            "account": str(self.account) if self.account else None,
        }


@dataclass(slots=True)
class EmployeeImportSummary:
    dry_run: bool = False
    employees_created: int = 0
    employees_updated: int = 0
    employees_unchanged: int = 0
    accounts_created: int = 0
    accounts_existing: int = 0
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({error.row for error in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "employees": {
                "created": self.employees_created,
                "updated": self.employees_updated,
                "unchanged": self.employees_unchanged,
            },
            "accounts": {"created": self.accounts_created, "existing": self.accounts_existing},
            "rejected_rows": self.rejected_rows,
            "changes": [change.as_dict() for change in self.changes],
            "errors": [
                {"row": error.row, "column": error.column, "error": error.error}
                for error in self.errors
            ],
        }


def employees_import(*, rows: Iterable[SheetItem], dry_run: bool) -> EmployeeImportSummary:
    """Apply the parsed rows of one file (parse errors among them are reported as they are)."""
    items = list(rows)
    summary = EmployeeImportSummary(dry_run=dry_run)
    with transaction.atomic():
        register = _Register([item for item in items if isinstance(item, EmployeeRow)])
        for item in items:
            if isinstance(item, RowError):
                summary.errors.append(item)
            else:
                _import_row(item, register, summary)
        outcomes = list(register.outcome.values())
        summary.employees_created = outcomes.count(RowAction.CREATE)
        summary.employees_updated = outcomes.count(RowAction.UPDATE)
        summary.employees_unchanged = outcomes.count(RowAction.UNCHANGED)
        if dry_run:
            transaction.set_rollback(True)
    return summary


@dataclass(slots=True)
class _Account:
    employee_id: int
    owner: str  # "name (NIP)", for the error that names who holds the account


class _Register:
    """What the database holds for the file's rows, loaded in a few queries and kept up
    to date as rows are applied, so that a later row sees what an earlier one did."""

    def __init__(self, rows: Sequence[EmployeeRow]) -> None:
        # Codes are matched case-insensitively; the whole tree is a few hundred nodes.
        self.agencies = {agency.code.upper(): agency for agency in Agency.objects.all()}
        self.by_nip: dict[str, Employee] = {}
        for nips in _chunks(sorted({row.nip for row in rows if row.nip})):
            for employee in Employee.objects.select_related("agency").filter(nip__in=nips):
                self.by_nip[employee.nip] = employee
        # Non-ASN staff without NIP, by (agency, name).
        self.by_name: dict[tuple[int, str], list[Employee]] = {}
        agency_ids = {
            agency.pk
            for row in rows
            if not row.nip and (agency := self.agencies.get(row.agency_code.upper()))
        }
        for ids in _chunks(sorted(agency_ids)):
            for employee in Employee.objects.select_related("agency").filter(
                Q(nip__isnull=True) | Q(nip=""), agency_id__in=ids
            ):
                self._index_name(employee)
        self.accounts: dict[tuple[str, str, str], _Account] = {}
        self._load_accounts([row.account for row in rows if row.account])
        # Values each employee was given by earlier rows of this file: field -> (row, value).
        self.given: dict[int, dict[str, tuple[int, Any]]] = {}
        # Per employee: create beats update beats unchanged, whatever the row order.
        self.outcome: dict[int, RowAction] = {}

    def _index_name(self, employee: Employee) -> None:
        self.by_name.setdefault((employee.agency_id, _name_key(employee.name)), []).append(employee)

    def _load_accounts(self, accounts: list[AccountRow]) -> None:
        handles = sorted({a.handle for a in accounts if a.handle})
        phones = sorted({a.phone for a in accounts if a.phone})
        # Stored URLs may end with "/", which the parser strips.
        urls = sorted({u for a in accounts if a.url for u in (a.url, a.url + "/")})
        for name, values in (("handle", handles), ("phone", phones), ("url", urls)):
            for chunk in _chunks(values):
                for account in SocialAccount.objects.select_related("employee").filter(
                    **{f"{name}__in": chunk}
                ):
                    self.add_account(account)

    def add_account(self, account: SocialAccount) -> None:
        known = _Account(account.employee_id, _owner(account.employee))
        for key in _account_keys(
            account.platform, account.handle, account.phone, account.url.rstrip("/")
        ):
            self.accounts.setdefault(key, known)

    def find_accounts(self, account: AccountRow) -> list[tuple[str, _Account]]:
        """(the spreadsheet field that matched, the account) for each registered match."""
        found = []
        for key in _account_keys(account.platform, account.handle, account.phone, account.url):
            if key in self.accounts:
                found.append((key[1], self.accounts[key]))
        return found

    def add_employee(self, employee: Employee) -> None:
        if employee.nip:
            self.by_nip[employee.nip] = employee
        else:
            self._index_name(employee)

    def record(self, employee: Employee, action: RowAction) -> None:
        order = (RowAction.UNCHANGED, RowAction.UPDATE, RowAction.CREATE)
        previous = self.outcome.get(employee.pk, RowAction.UNCHANGED)
        self.outcome[employee.pk] = max(previous, action, key=order.index)


def _import_row(row: EmployeeRow, register: _Register, summary: EmployeeImportSummary) -> None:
    errors: list[RowError] = []

    def fail(name: str, message: str) -> None:
        errors.append(RowError(row.row, row.column(_ROW_FIELD.get(name, name)), message))

    agency = register.agencies.get(row.agency_code.upper()) if row.agency_code else None
    if row.agency_code and agency is None:
        fail("agency", _("Unknown agency code %(code)s.") % {"code": row.agency_code})
    employee = _find_employee(row, agency, register, fail)
    wanted = _wanted(row, agency, new=employee is None)
    if employee is None:
        _check_new(row, wanted, fail)
        changes = {name: (None, _shown(value)) for name, value in wanted.items()}
    else:
        _check_consistent(row, employee, wanted, register, fail)
        changes = {
            name: (_shown(getattr(employee, name)), _shown(value))
            for name, value in wanted.items()
            if getattr(employee, name) != value
        }
    account_action = None
    if row.account is not None:
        account_action = _check_account(row.account, employee, register, fail)
    if errors:
        summary.errors.extend(errors)
        return

    if employee is None:
        action = RowAction.CREATE
        employee = Employee(nip=row.nip or None, **wanted)
        # The parser has validated the NIP against the kind and every length, so
        # full_clean() would only repeat it (and cost a uniqueness query per row).
        employee.save()
        register.add_employee(employee)
    elif changes:
        action = RowAction.UPDATE
        for name in changes:
            setattr(employee, name, wanted[name])
        employee.save(update_fields=list(changes))
    else:
        action = RowAction.UNCHANGED
    register.record(employee, action)
    given = register.given.setdefault(employee.pk, {})
    for name, value in wanted.items():
        given.setdefault(name, (row.row, value))

    label = ""
    if row.account is not None:
        label = _account_label(row.account)
        if account_action == AccountAction.CREATED:
            account = SocialAccount.objects.create(
                employee=employee,
                platform=row.account.platform,
                handle=row.account.handle,
                url=row.account.url,
                phone=row.account.phone,
                verified=row.account.verified,
            )
            register.add_account(account)
            summary.accounts_created += 1
        else:
            summary.accounts_existing += 1
    summary.changes.append(
        RowChange(
            row=row.row,
            action=action,
            nip=employee.nip or "",
            name=employee.name,
            fields=changes if action != RowAction.UNCHANGED else {},
            account=account_action,
            account_label=label,
        )
    )


def _find_employee(
    row: EmployeeRow, agency: Agency | None, register: _Register, fail: _Fail
) -> Employee | None:
    if row.nip:
        return register.by_nip.get(row.nip)
    if agency is None:
        return None
    namesakes = register.by_name.get((agency.pk, _name_key(row.name)), [])
    if len(namesakes) > 1:
        fail(
            "name",
            _(
                "%(count)d employees without a NIP are named %(name)s in this agency: "
                "tell them apart in the admin first."
            )
            % {"count": len(namesakes), "name": row.name},
        )
        return None
    return namesakes[0] if namesakes else None


def _wanted(row: EmployeeRow, agency: Agency | None, *, new: bool) -> dict[str, Any]:
    """The model values the row gives; an empty cell gives nothing."""
    values: dict[str, Any] = {
        "name": row.name or None,
        "kind": row.kind or None,
        "position": row.position,
        "rank": row.rank,
        "agency": agency,
        "holds_leadership_post": row.holds_leadership_post,
        "is_active": row.is_active,
    }
    if not row.nip and not new:
        values["name"] = None  # the name is what found the employee: it does not change
    return {name: values[name] for name in FIELDS if values[name] is not None}


def _check_new(row: EmployeeRow, wanted: dict[str, Any], fail: _Fail) -> None:
    if "name" not in wanted:
        fail("name", _("A new employee needs a name."))
    if "kind" not in wanted:
        fail("kind", _("A new employee needs a kind: PNS, PPPK or non-ASN."))
    if "agency" not in wanted and not row.agency_code:
        fail("agency", _("A new employee needs an agency code."))


def _check_consistent(
    row: EmployeeRow,
    employee: Employee,
    wanted: dict[str, Any],
    register: _Register,
    fail: _Fail,
) -> None:
    """The same employee on several rows (one per account) must not say two things."""
    given = register.given.get(employee.pk, {})
    for name, value in wanted.items():
        if name in given and given[name][1] != value:
            earlier, earlier_value = given[name]
            fail(
                name,
                _("Row %(row)d gives this employee %(value)s instead.")
                % {"row": earlier, "value": value_label(name, earlier_value)},
            )


def _check_account(
    account: AccountRow, employee: Employee | None, register: _Register, fail: _Fail
) -> AccountAction:
    found = register.find_accounts(account)
    for matched, known in found:
        if employee is None or known.employee_id != employee.pk:
            # Moving an account between people is a decision for a person, in the admin.
            fail(
                matched,
                _("This account is already registered to %(owner)s.") % {"owner": known.owner},
            )
            break
    return AccountAction.EXISTING if found else AccountAction.CREATED


def _account_keys(
    platform: str, handle: str, phone: str, url: str
) -> Iterator[tuple[str, str, str]]:
    if handle:
        yield (platform, "handle", handle)
    if phone:
        yield (platform, "phone", phone)
    if url:
        yield (platform, "url", url)


def _account_label(account: AccountRow) -> str:
    phone = f"+{account.phone}" if account.phone else ""
    who = f"@{account.handle}" if account.handle else phone or account.url
    return f"{account.platform} {who}"


def _owner(employee: Employee) -> str:
    return f"{employee.name} ({employee.nip})" if employee.nip else str(employee.name)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _shown(value: Any) -> Any:
    """A value as the summary (and its JSON) shows it: agencies by code."""
    return value.code if isinstance(value, Agency) else value


def value_label(name: str, value: Any) -> str:
    """A field's value as a person reads it in a message: yes/no, the kind's label,
    an agency's code, text in quotes."""
    shown = _shown(value)
    if isinstance(shown, bool):
        return str(_("yes") if shown else _("no"))
    if name == "kind":
        return str(EmployeeKind(shown).label)
    return f'"{shown}"'


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
