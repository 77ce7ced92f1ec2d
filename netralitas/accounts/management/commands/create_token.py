"""``netralitas create_token USERNAME [--name NAME]``: issue a staff API bearer token.

The raw token goes to standard output alone, once, so a script can capture it
(``TOKEN=$(netralitas create_token budi)``); only its SHA-256 is stored, so it can
never be shown again. Revoke it with ``netralitas revoke_token PREFIX``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netralitas.accounts.models import ApiToken, User

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


class Command(BaseCommand):
    help = "Issue a bearer token for the staff API and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The staff account the token acts as.")
        parser.add_argument(
            "--name", default="", help="What the token is for, e.g. 'dashboard BKPSDM'."
        )

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user named '%(username)s'.") % {"username": username})
        if not user.is_active:
            raise CommandError(
                _("The account '%(username)s' is deactivated.") % {"username": username}
            )
        # The API authenticates only accounts with a role (api/auth.py): a token for any
        # other account would be issued but refused on every call.
        if not user.role:
            raise CommandError(
                _("The account '%(username)s' has no role; give it one before issuing a token.")
                % {"username": username}
            )
        name = name.strip() or "cli"
        if len(name) > NAME_MAX_LENGTH:
            raise CommandError(
                _("The name may be at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}
            )
        token, raw = ApiToken.issue(user=user, name=name)
        # Notes on stderr, the token alone on stdout.
        self.stderr.write(
            _(
                "Token %(prefix)s issued for %(username)s (%(role)s). Store it now: it cannot be shown again."
            )
            % {"prefix": token.prefix, "username": user.username, "role": user.role}
        )
        self.stdout.write(raw)
