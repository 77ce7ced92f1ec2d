"""Tracking codes that let a (possibly anonymous) reporter follow a report.

Canonical form: ``NTR-XXXX-XXXX-XXXC`` - 11 random symbols (55 bits) and one
check symbol, all from Crockford's base32 alphabet, which drops I, L, O and U
so that a code survives being read out over the phone or copied by hand.

The code is the only thing standing between the public and a report, so the
random part comes from ``secrets`` and is long enough that guessing is
hopeless when lookups are rate-limited: 2**55 is about 3.6e16 codes.

Check symbol
------------
Crockford's own check symbol works modulo 37 and needs the extra symbols
``* ~ $ = U``, which are awkward to say over the phone. A weighted sum modulo
32 cannot replace it: detecting every single substitution needs every weight
to be odd (invertible mod 32), while detecting every adjacent transposition
needs the difference of neighbouring weights to be odd as well - impossible
with two odd numbers.

So the weighted sum is taken in the finite field GF(32) instead of the
integers mod 32: a symbol's value (its index in the alphabet) is read as a
polynomial over GF(2) reduced modulo the primitive x^5 + x^2 + 1; addition
is XOR. With ``a = x`` and the 12 symbols s0..s11 (check symbol last), a
valid code satisfies

    a^11*s0 + a^10*s1 + ... + a*s10 + s11 = 0

- a single substitution changes the sum by a^k * d, with d != 0; a product of
  non-zero field elements is never zero, so it is always detected;
- swapping neighbours changes it by a^k * (a + 1) * d, and a + 1 != 0;
- swapping symbols two apart changes it by a^k * (a + 1)^2 * d: also caught.

This is the Damm algorithm with the quasigroup ``p * q = a*p + q`` over GF(32).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "NTR"
RANDOM_SYMBOLS = 11
CODE_SYMBOLS = RANDOM_SYMBOLS + 1
GROUP_SIZE = 4

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
# x^5 + x^2 + 1, primitive over GF(2): multiplying by x cycles through all 31
# non-zero elements, so the 12 weights a^11..a^0 are distinct and non-zero.
_FIELD_MODULUS = 0b100101
# Letters people type for the symbols Crockford left out.
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
# Spaces, ASCII hyphens and the dashes phones autocorrect hyphens into.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
# Longer input cannot be a code; do not spend effort on it.
_MAX_INPUT_LENGTH = 64


def new_tracking_code() -> str:
    """Return a fresh random code in canonical form."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return _format(symbols + check_symbol(symbols))


def normalize_tracking_code(text: str) -> str | None:
    """Canonical form of a code as a person typed it, or None if invalid.

    Accepts any case, spaces, missing hyphens, a missing "NTR" prefix, and the
    look-alikes O (zero), I/L (one) and U (V). Returns None when the input
    is malformed or the check symbol does not match.
    """
    if not isinstance(text, str) or len(text) > _MAX_INPUT_LENGTH:
        return None
    compact = _SEPARATORS.sub("", text).upper()
    if len(compact) == len(PREFIX) + CODE_SYMBOLS and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    symbols = compact.translate(_CONFUSABLES)
    if len(symbols) != CODE_SYMBOLS or not all(s in _VALUES for s in symbols):
        return None
    if _weighted_sum(symbols) != 0:
        return None
    return _format(symbols)


def is_valid_tracking_code(text: str) -> bool:
    return normalize_tracking_code(text) is not None


def check_symbol(symbols: str) -> str:
    """The symbol that makes ``symbols + check`` sum to zero (see module doc)."""
    # Appending c turns the sum S into a*S + c; in characteristic 2, -v == v,
    # so c = a*S gives zero.
    return ALPHABET[_times_a(_weighted_sum(symbols))]


def _weighted_sum(symbols: str) -> int:
    """Horner's rule: a^(n-1)*s0 + ... + a*s(n-2) + s(n-1) in GF(32)."""
    total = 0
    for symbol in symbols:
        total = _times_a(total) ^ _VALUES[symbol]
    return total


def _times_a(value: int) -> int:
    """Multiply by x in GF(32), reducing by the field modulus on overflow."""
    value <<= 1
    if value & 0b100000:
        value ^= _FIELD_MODULUS
    return value


def _format(symbols: str) -> str:
    groups = [symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE)]
    return "-".join([PREFIX, *groups])
