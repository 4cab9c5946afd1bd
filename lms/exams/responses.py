"""An attempt's responses: the shape each question type takes, and the option letters.

In an attempt the options of a choice question are lettered A, B, C… in the order the trainee
sees them (DESIGN §9 "Exam option letters"): the page, the API and the result speak only those
letters, so a shuffled paper never tells which option the bank calls A. The item keeps the
display order as the bank's keys (`AttemptItem.option_order`), and a response is stored in the
bank's keys: grading, item analysis and the question statistics read what they always read, and
attempts sat before letters were introduced need no rewriting.

Attempts that were in progress when letters were introduced (`Attempt.bank_letters`) keep
speaking the bank's keys until they close: their open pages and the answers queued in the
browser hold those keys, and reading them as letters would silently change answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from string import ascii_uppercase
from typing import Any
from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from lms.core.errors import ValidationFailed

MAX_BLANKS = 100


def shown_keys(order: list[str], bank_letters: bool = False) -> list[str]:
    """The keys the trainee sees for options in this order: A, B, C… (or the bank's own keys)."""
    return list(order) if bank_letters else list(ascii_uppercase[:len(order)])


@dataclass(frozen=True)
class Shape:
    """What a response of one question type looks like, and how its option keys translate."""

    valid: Callable[[Any, list[str]], bool]  # (response, the keys the trainee sees)
    problem: Callable[[str], Any]  # what was expected, given the keys the trainee sees ("A, B, C")
    keyed: bool = False  # a choice: the response holds option keys


def _single(response, keys) -> bool:
    return response is None or (isinstance(response, str) and response in keys)


def _multiple(response, keys) -> bool:
    return isinstance(response, list) and all(isinstance(r, str) and r in keys for r in response) \
        and len(set(response)) == len(response)


def _fill(response, keys) -> bool:
    return response is None or (isinstance(response, list) and len(response) <= MAX_BLANKS
                                and all(isinstance(r, str) for r in response))


SHAPES: dict[str, Shape] = {
    "single": Shape(_single, lambda keys: _l("应为一个选项字母（%(keys)s）", keys=keys), keyed=True),
    "multiple": Shape(_multiple, lambda keys: _l("应为不重复的选项字母列表（%(keys)s）", keys=keys), keyed=True),
    "truefalse": Shape(lambda r, _k: r is None or isinstance(r, bool), lambda _keys: _l("应为 true 或 false")),
    "fill": Shape(_fill, lambda _keys: _l("应为文本列表，每空一项")),
    "essay": Shape(lambda r, _k: r is None or isinstance(r, str), lambda _keys: _l("应为文本")),
}


def _translate(response, table: dict[str, str]):
    if isinstance(response, list):
        return sorted(table[r] for r in response)
    return table[response] if response is not None else None


def to_stored(kind: str, response: Any, order: list[str], bank_letters: bool = False) -> Any:
    """A response as the trainee sent it → as stored (the bank's keys). 422 naming `response`
    when it is not of the question type's shape."""
    shape = SHAPES.get(kind)
    if shape is None:
        return response
    keys = shown_keys(order, bank_letters)
    if not shape.valid(response, keys):
        raise ValidationFailed(_l("答案的格式与题型不符"), {"response": shape.problem(", ".join(keys))})
    if not shape.keyed:
        return response
    return _translate(response, dict(zip(keys, order, strict=True)))


def to_shown(kind: str, stored: Any, order: list[str], bank_letters: bool = False) -> Any:
    """A stored response → in the keys the trainee sees. What is not this type's shape (stored
    before shapes were checked at saving) is shown as no answer."""
    shape = SHAPES.get(kind)
    if shape is None:
        return stored
    if not shape.valid(stored, list(order)):
        return None if kind != "multiple" else []
    if not shape.keyed:
        return stored
    return _translate(stored, dict(zip(order, shown_keys(order, bank_letters), strict=True)))
