from __future__ import annotations

from django.db.models import Q

from netralitas.registry.models import Employee
from netralitas.registry.nip import normalize_nip


def employee_search(text: str, *, limit: int = 20) -> list[Employee]:
    """Employees by NIP prefix (spaces and dots allowed, as people write it) or name."""
    text = text.strip()
    if len(text) < 3:
        return []
    digits = normalize_nip(text)
    by_nip = Q(nip__startswith=digits) if digits.isdigit() else Q(pk__in=[])
    return list(
        Employee.objects.select_related("agency")
        .filter(by_nip | Q(name__icontains=text), is_active=True)
        .order_by("name")[:limit]
    )
