"""Checks of plain input values shared by the CE services: each returns the value or adds a
problem (in the reader's language) under the field's name."""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.core.enums import LabeledEnum
from lms.core.inputs import int_or_none


class Problems(dict):
    """field -> problem; `raise_if_any(message)` raises a ValidationFailed naming them all."""

    def raise_if_any(self, message) -> None:
        from lms.core.errors import ValidationFailed

        if self:
            raise ValidationFailed(message, dict(self))


def text(data: dict, name: str, problems: Problems, *, required: bool = True, max_length: int = 200) -> str:
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems[name] = _l("应为文本")
        return ""
    value = value.strip()
    if required and not value:
        problems[name] = _l("必填")
    elif len(value) > max_length:
        problems[name] = _l("不能超过 %(n)s 个字", n=max_length)
    return value


def choice(data: dict, name: str, enum: type[LabeledEnum], problems: Problems):
    member = enum.get(data.get(name))
    if member is None:
        problems[name] = _l("应为 %(values)s 之一", values=" / ".join(enum.values()))
    return member


def hours(value: Any, name: str, problems: Problems, *, high: float) -> float | None:
    """A number of hours: more than 0, at most `high`, in steps of 0.1."""
    number = _number(value)
    if number is None:
        problems[name] = _l("学时应为数字")
        return None
    if number > high:
        problems[name] = _l("学时不能超过 %(high)s", high=f"{high:g}")
        return None
    if abs(round(number, 1) - number) > 1e-9:
        problems[name] = _l("学时最多保留一位小数")
        return None
    if round(number, 1) <= 0:  # after rounding: 5e-324 is "more than 0" but stored as 0
        problems[name] = _l("学时应大于 0")
        return None
    return round(number, 1)


def whole(value: Any, name: str, problems: Problems, *, low: int, high: int) -> int | None:
    number = value if isinstance(value, int) and not isinstance(value, bool) else int_or_none(value)
    if number is None or not low <= number <= high:
        problems[name] = _l("应为 %(low)s 到 %(high)s 之间的整数", low=low, high=high)
        return None
    return number


def moment(value: Any, name: str, problems: Problems) -> datetime | None:
    """An aware datetime, or ISO 8601 text with its offset (2026-03-05T14:00:00+08:00)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
    else:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        problems[name] = _l("应为带时区的时间，如 2026-03-05T14:00:00+08:00")
        return None
    return parsed


def day(value: Any, name: str, problems: Problems, *, required: bool = True) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if value in (None, "") and not required:
        return None
    try:
        return date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        pass
    problems[name] = _l("应为日期，如 2026-03-05")
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None
