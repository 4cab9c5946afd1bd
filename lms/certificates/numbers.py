"""Certificate numbers: `SH-2026-000123-K7Q4M9XR2-C`.

region  2-9 letters/digits, chosen by the issuer (for example SH, 310000, LNSHENFU)
year    the year of issue, 4 digits
serial  6 or more digits, sequential within region and year (readable, sortable)
random  9 Crockford base-32 characters (45 bits; no I, L, O, U), so numbers cannot be
        enumerated from a known one
check   one character, ISO 7064 MOD 37-2 over every letter and digit before it. It
        catches any single mistyped character and any swap of two adjacent characters
        (37 is prime and 2 generates its multiplicative group). Its value ranges over 37
        symbols; numbers whose check would be the 37th (`*`) or I, L, O or U are never
        issued (a new random part is drawn), so a printed number holds only letters and
        digits, and no letter that reads as a digit.
"""
from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 9
_UNUSED_CHECKS = set("ILOU*")
_SHAPE = re.compile(r"^([0-9A-Z]{2,9})-(\d{4})-(\d{6,})-([0-9A-Z]{9})-([0-9A-Z])$")


def _check_value(body: str) -> int:
    """ISO 7064 MOD 37-2: the value (0-36) that completes `body`."""
    total = 0
    for char in body:
        total = ((total + ALPHANUMERIC.index(char)) * 2) % 37
    return (38 - total) % 37


def check_character(text: str) -> str:
    """The check symbol of `text` (its letters and digits); `*` for the value 36."""
    body = "".join(c for c in text.upper() if c in ALPHANUMERIC)
    return (ALPHANUMERIC + "*")[_check_value(body)]


def new_cert_no(region_code: str, year: int, serial: int, rng=secrets) -> str:
    """A new number. `rng` needs `choice()` (the `secrets` module, or a seeded Random)."""
    region = "".join(c for c in region_code.upper() if c in ALPHANUMERIC)
    if not 2 <= len(region) <= 9:
        raise ValueError(f"region code must have 2 to 9 letters or digits: {region_code!r}")
    if not 1000 <= year <= 9999 or serial < 0:
        raise ValueError(f"bad year or serial: {year!r}, {serial!r}")
    while True:
        random_part = "".join(rng.choice(CROCKFORD) for _ in range(RANDOM_LENGTH))
        head = f"{region}-{year:04d}-{serial:06d}-{random_part}"
        check = check_character(head)
        if check not in _UNUSED_CHECKS:
            return f"{head}-{check}"


def normalize_cert_no(text: str) -> str:
    """What a person typed, as the canonical form: trimmed, upper case, no inner spaces."""
    return "".join((text or "").split()).upper()


def cert_no_problem(text: str) -> str | None:
    """None for a well-formed number, else a (lazily translated) sentence saying what is wrong."""
    number = normalize_cert_no(text)
    if not number:
        return _l("请输入证书编号")
    match = _SHAPE.match(number)
    if match is None:
        return _l("证书编号格式不正确，应形如 %(example)s", example="SH-2026-000123-K7Q4M9XR2-C")
    if check_character(number[:-1]) != match.group(5):
        return _l("证书编号校验位不符，请核对是否有输错或前后颠倒的字符")
    return None
