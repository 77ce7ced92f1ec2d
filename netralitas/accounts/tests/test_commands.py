"""``create_token`` and ``revoke_token``: the operator's way to hand out API access."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from netralitas.accounts.models import ApiToken
from netralitas.api.auth import StaffToken


def _create(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def _revoke(*args: str) -> str:
    out = StringIO()
    call_command("revoke_token", *args, stdout=out)
    return out.getvalue()


def _authenticates(raw: str):
    return StaffToken().authenticate(_FakeRequest(), raw)


class _FakeRequest:
    user = None


def test_it_prints_a_raw_token_once_and_stores_only_its_hash(verifier):
    raw, note = _create("verifier", "--name", "dashboard BKPSDM")
    token = ApiToken.objects.get()
    assert raw.startswith("ntr_") and len(raw) > 40
    assert token.user == verifier
    assert token.name == "dashboard BKPSDM"
    assert token.digest == ApiToken.hash(raw)
    assert token.prefix == raw[4:12]
    # Nothing stored can give the token back.
    stored = [str(v) for v in ApiToken.objects.values().get().values()]
    assert all(raw not in v for v in stored)
    # The note names the prefix, never the token itself.
    assert token.prefix in note and raw not in note


def test_it_issues_a_token_the_api_accepts(examiner):
    raw, _ = _create("examiner")
    assert _authenticates(raw) == examiner
    assert ApiToken.objects.get().name == "cli"


def test_it_issues_a_new_token_each_time(verifier):
    first, _ = _create("verifier")
    second, _ = _create("verifier")
    assert first != second
    assert ApiToken.objects.filter(user=verifier).count() == 2


def test_it_rejects_an_unknown_user(db):
    with pytest.raises(CommandError):
        _create("nobody")
    assert not ApiToken.objects.exists()


def test_it_rejects_a_user_without_a_role(outsider):
    with pytest.raises(CommandError):
        _create("outsider")
    assert not ApiToken.objects.exists()


def test_it_rejects_a_deactivated_user(verifier):
    verifier.is_active = False
    verifier.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        _create("verifier")
    assert not ApiToken.objects.exists()


def test_it_rejects_an_overlong_name(verifier):
    with pytest.raises(CommandError):
        _create("verifier", "--name", "x" * 101)


def test_it_revokes_a_token_by_prefix(verifier):
    raw, _ = _create("verifier")
    token = ApiToken.objects.get()
    out = _revoke(token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.prefix in out and raw not in out
    assert _authenticates(raw) is None


def test_it_revokes_only_the_token_named(verifier, examiner):
    kept_raw, _ = _create("examiner")
    _create("verifier")
    revoked = ApiToken.objects.get(user=verifier)
    _revoke(revoked.prefix)
    assert _authenticates(kept_raw) == examiner
    assert ApiToken.objects.get(user=examiner).revoked_at is None


def test_it_accepts_the_prefix_with_its_ntr_marker_or_the_whole_token(verifier):
    first, _ = _create("verifier")
    second, _ = _create("verifier")
    _revoke("ntr_" + first[4:12])
    _revoke(second)
    assert ApiToken.objects.active().count() == 0


def test_it_refuses_an_unknown_or_malformed_prefix(verifier):
    _create("verifier")
    for prefix in ("zzzzzzzz", "abc", ""):
        with pytest.raises(CommandError):
            _revoke(prefix)
    assert ApiToken.objects.active().count() == 1


def test_it_refuses_to_revoke_twice(verifier):
    _create("verifier")
    token = ApiToken.objects.get()
    _revoke(token.prefix)
    first_revocation = ApiToken.objects.get().revoked_at
    with pytest.raises(CommandError):
        _revoke(token.prefix)
    assert ApiToken.objects.get().revoked_at == first_revocation


def test_it_asks_for_the_whole_token_when_prefixes_collide(verifier):
    first, _ = _create("verifier")
    second, _ = _create("verifier")
    ApiToken.objects.update(prefix="SAMEPREF")
    with pytest.raises(CommandError):
        _revoke("SAMEPREF")
    _revoke(second)
    assert _authenticates(first) == verifier
    assert _authenticates(second) is None


# Django's command runner closes every connection when it returns, which would end the
# enclosing test transaction on PostgreSQL; this test therefore commits for real.
@pytest.mark.django_db(transaction=True)
def test_it_runs_through_the_console_script(verifier, capsys):
    from netralitas.cli import main

    main(["create_token", "verifier", "--name", "ci"])
    captured = capsys.readouterr()
    raw = captured.out.strip()
    assert ApiToken.objects.get(name="ci").digest == ApiToken.hash(raw)


def test_a_token_prefix_never_reads_as_a_command_line_option(verifier, monkeypatch):
    # token_urlsafe draws "-" as the first character one time in 64.
    draws = iter(["-dashfirst" + "x" * 33, "plainfirst" + "y" * 33])
    monkeypatch.setattr("netralitas.accounts.models.secrets.token_urlsafe", lambda n: next(draws))
    token, raw = ApiToken.issue(user=verifier, name="laptop")
    assert token.prefix == "plainfir"
    assert raw.startswith("ntr_plainfirst")
    _revoke(token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
