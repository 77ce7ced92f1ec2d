"""``netralitas revoke_token PREFIX``: revoke a staff API token by its prefix.

The prefix is the eight characters after ``ntr_`` that ``create_token`` prints;
the whole raw token is accepted too.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.accounts.models import ApiToken

PREFIX_LENGTH = ApiToken._meta.get_field("prefix").max_length


class Command(BaseCommand):
    help = "Revoke a staff API token, given its prefix."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", help="The token's prefix (or the whole token).")

    def handle(self, *args, prefix: str, **options) -> None:
        text = prefix.strip()
        tokens = ApiToken.objects.active()
        if len(text) > PREFIX_LENGTH + 4:
            # A whole token: match its digest, which also rules out prefix collisions.
            tokens = tokens.filter(digest=ApiToken.hash(text))
        else:
            if len(text) == PREFIX_LENGTH + 4 and text.startswith("ntr_"):
                text = text[4:]
            if len(text) != PREFIX_LENGTH:
                raise CommandError(_("A token prefix has %(n)d characters.") % {"n": PREFIX_LENGTH})
            tokens = tokens.filter(prefix=text)
        found = list(tokens.select_related("user"))
        if not found:
            raise CommandError(_("No active token with this prefix."))
        if len(found) > 1:
            # Two tokens sharing 48 random bits is rare, but revoking the wrong one is worse
            # than asking for the whole token.
            raise CommandError(
                _("%(n)d active tokens share this prefix; give the whole token.")
                % {"n": len(found)}
            )
        token = found[0]
        # Conditional update: a concurrent revoke leaves the first timestamp in place.
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        self.stdout.write(
            _("Token %(prefix)s of %(username)s (%(name)s) revoked.")
            % {"prefix": token.prefix, "username": token.user.username, "name": token.name}
        )
