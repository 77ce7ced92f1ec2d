"""Encryption at rest for reporter identity (Fernet, keys from settings/environment)."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    # The first key encrypts; every key decrypts, so keys can be rotated.
    return MultiFernet([Fernet(k.encode()) for k in settings.ENCRYPTION_KEYS])


def encrypt_text(value: str) -> str:
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong NETRALITAS_ENCRYPTION_KEY?") from exc
