import re
from itertools import product

from netralitas.reports.tracking import (
    ALPHABET,
    check_symbol,
    is_valid_tracking_code,
    new_tracking_code,
    normalize_tracking_code,
)

CANONICAL = re.compile(r"NTR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


def symbols_of(code: str) -> str:
    return code.removeprefix("NTR-").replace("-", "")


def as_code(symbols: str) -> str:
    return f"NTR-{symbols[0:4]}-{symbols[4:8]}-{symbols[8:12]}"


def test_it_formats_codes_canonically() -> None:
    for _ in range(200):
        code = new_tracking_code()
        assert CANONICAL.fullmatch(code), code
        assert normalize_tracking_code(code) == code
        assert is_valid_tracking_code(code)


def test_it_uses_the_crockford_alphabet() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_it_does_not_repeat_codes() -> None:
    codes = {new_tracking_code() for _ in range(10_000)}
    assert len(codes) == 10_000


def test_it_uses_every_symbol_in_the_random_part() -> None:
    seen = set("".join(symbols_of(new_tracking_code())[:11] for _ in range(500)))
    assert seen == set(ALPHABET)


def test_it_normalizes_what_people_type() -> None:
    code = as_code("0123456789A" + check_symbol("0123456789A"))
    body = symbols_of(code)
    variants = [
        code.lower(),
        body,
        body.lower(),
        f"NTR{body}",
        f"ntr {body[0:4]} {body[4:8]} {body[8:12]}",
        f"  {body[0:4]}-{body[4:8]}-{body[8:12]}  ",
        f"NTR–{body[0:4]}–{body[4:8]}–{body[8:12]}",  # en dashes
        "O" + body[1:],  # letter O for zero
        "o" + body[1:],
        "0I" + body[2:],  # letter I for one
        "0l" + body[2:],  # lower-case L for one
    ]
    for typed in variants:
        assert normalize_tracking_code(typed) == code, typed


def test_it_maps_u_to_v() -> None:
    body = "VVVVVVVVVVV" + check_symbol("VVVVVVVVVVV")
    assert normalize_tracking_code(body.replace("V", "u")) == as_code(body)


def test_it_rejects_malformed_input() -> None:
    code = new_tracking_code()
    body = symbols_of(code)
    for bad in [
        "",
        "NTR",
        body[:-1],
        body + "0",
        "XYZ" + body,
        body[:5] + "*" + body[6:],
        body[:5] + "é" + body[6:],
        code + "-" * 100,
        None,
        12345,
    ]:
        assert normalize_tracking_code(bad) is None, bad  # type: ignore[arg-type]
        assert not is_valid_tracking_code(bad)  # type: ignore[arg-type]


def test_it_detects_every_single_symbol_substitution() -> None:
    for _ in range(20):
        body = symbols_of(new_tracking_code())
        for position, replacement in product(range(len(body)), ALPHABET):
            if replacement == body[position]:
                continue
            typo = body[:position] + replacement + body[position + 1 :]
            assert normalize_tracking_code(typo) is None, (body, typo)


def test_it_detects_every_adjacent_transposition() -> None:
    for _ in range(200):
        body = symbols_of(new_tracking_code())
        for i in range(len(body) - 1):
            if body[i] == body[i + 1]:
                continue
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            assert normalize_tracking_code(swapped) is None, (body, swapped)


def test_it_detects_transpositions_for_every_symbol_pair() -> None:
    # Exhaustive over symbol pairs at each position, independent of luck.
    rest = "0" * 12
    for i, (a, b) in product(range(10), product(ALPHABET, repeat=2)):
        if a == b:
            continue
        head = rest[:i] + a + b + rest[i + 2 : 11]
        body = head + check_symbol(head)
        swapped = body[:i] + b + a + body[i + 2 :]
        assert normalize_tracking_code(body) == as_code(body)
        assert normalize_tracking_code(swapped) is None
    # The last random symbol and the check symbol can be swapped too.
    for a in ALPHABET:
        head = "0" * 10 + a
        body = head + check_symbol(head)
        if body[10] != body[11]:
            assert normalize_tracking_code(body[:10] + body[11] + body[10]) is None
