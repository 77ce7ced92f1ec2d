from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from netralitas.accounts.models import ApiToken


class StaffToken(HttpBearer):
    """Bearer token of a staff account (``netralitas create_token``)."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token or len(token) > 200:
            return None
        found = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(digest=ApiToken.hash(token))
            .first()
        )
        if found is None or not found.user.is_active or not found.user.role:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
