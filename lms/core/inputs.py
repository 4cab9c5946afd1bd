"""Input hygiene every request gets before a view sees it.

Text with a NUL or a lone UTF-16 surrogate cannot be stored (PostgreSQL refuses NUL, and a
lone surrogate breaks every later page that encodes it), JSON nested deeper than any real
request overflows the parser and whatever walks it, and numbers past 64 bits overflow the
database. Each is refused here with a 4xx naming the field, so no view has to think of it.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from lms.core.errors import AppError, ValidationFailed

MAX_JSON_DEPTH = 32
MAX_INT = 2**63 - 1
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class BadJson(AppError):
    code = "bad_json"


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that only matches what fits a 64-bit column: a larger id is simply not found."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def int_or_none(value: Any) -> int | None:
    """A whole number from a query string or form value, or None when it is not one or is out of range."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if -MAX_INT <= number <= MAX_INT else None


def bad_text(value: str) -> bool:
    return _BAD_TEXT.search(value) is not None


def check_text_fields(pairs) -> None:
    """Refuse (422) any (name, text) pair holding a NUL or a lone surrogate."""
    problems = {name: _l("含有无法保存的字符（空字符或无效的 Unicode）") for name, value in pairs
                if isinstance(value, str) and bad_text(value)}
    if problems:
        raise ValidationFailed(_l("提交的内容含有无法保存的字符"), problems)


def check_json(data: Any) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH, strings with NUL or lone surrogates, and
    integers beyond 64 bits; problems are named by their path (`answers.3.response`)."""
    problems: dict[str, Any] = {}
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack and len(problems) < 20:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadJson(_l("JSON 嵌套层数过多（最多 %(depth)d 层）", depth=MAX_JSON_DEPTH))
        if isinstance(value, str):
            if bad_text(value):
                problems[path or "body"] = _l("含有无法保存的字符（空字符或无效的 Unicode）")
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not -MAX_INT <= value <= MAX_INT:
                problems[path or "body"] = _l("数值超出范围")
        elif isinstance(value, dict):
            for key, item in value.items():
                if bad_text(key):
                    problems[path or "body"] = _l("含有无法保存的字符（空字符或无效的 Unicode）")
                stack.append((item, f"{path}.{key}" if path else str(key), depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((item, f"{path}.{index}" if path else str(index), depth + 1))
    if problems:
        raise ValidationFailed(_l("提交的内容含有无法保存的字符或超出范围的数值"), problems)
