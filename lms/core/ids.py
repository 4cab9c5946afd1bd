"""Check characters of Chinese identifiers.

- Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters.
- Citizen identity number (公民身份号码), GB 11643-1999: 18 characters.
"""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{2}}\d{{6}}[{USCC_ALPHABET}]{{10}}$")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str):
    """None if `code` is a well-formed USCC, else what is wrong (a lazily translated message)."""
    if len(code) != 18:
        return _l("统一社会信用代码应为18位")
    if not _USCC_RE.match(code):
        return _l("统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V），或第3至8位不是行政区划代码")
    if uscc_check_char(code[:17]) != code[17]:
        return _l("统一社会信用代码校验位不正确，请核对是否录入有误")
    return None


def normalize_uscc(code: str) -> str:
    return code.strip().upper()


_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=False)) % 11]


def id_number_problem(number: str, today: date | None = None):
    """None if `number` is a valid 18-digit identity number, else what is wrong (a lazily translated message)."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return _l("身份证号码应为18位，前17位为数字，最后一位为数字或X")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _l("身份证号码中的出生日期不存在")
    if born.year < 1900 or born > (today or date.today()):
        return _l("身份证号码中的出生日期不合理")
    if id_check_char(number[:17]) != number[17]:
        return _l("身份证号码校验位不正确，请核对是否录入有误")
    return None


def birth_date_of(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def normalize_id_number(number: str) -> str:
    return number.strip().upper()
