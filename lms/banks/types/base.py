"""What every question type shares: the score, the base class and common field checks."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

from lms.banks.enums import Difficulty, QuestionField

MAX_STEM = 10_000
MAX_TEXT = 20_000
MAX_POINTS = 1000
MAX_TAG = 40
MAX_TAGS_TEXT = 1000  # the length of QuestionRevision.tags_text


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    needs_manual: bool = False


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def shown(value: Any, limit: int = 40, quote: bool = True) -> str:
    """A value quoted in a problem (repr, or the text itself with quote=False), cut short: a
    hostile file's 50 KB line is not echoed back."""
    text = repr(value) if quote or not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + "…"


TYPE_FIELDS = ("options", "answer", "rubric", "weights")


def unused_field_problems(kind, data: dict) -> list[tuple[str, str]]:
    return [(field, _l("%(type)s不使用此字段", type=kind.label)) for field in TYPE_FIELDS
            if field not in kind.fields and data.get(field) not in (None, [], {}, "")]


def common_problems(data: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, Any]] = []
    difficulty = data.get("difficulty")
    if not (isinstance(difficulty, int) and Difficulty.get(difficulty) is not None):
        problems.append(("difficulty", _l("难度应为 %(low)s–%(high)s 的整数，而不是 %(value)s",
                                          low=min(Difficulty).value, high=max(Difficulty).value,
                                          value=shown(difficulty))))
    points = data.get("points")
    if not (is_number(points) and 0 < points <= MAX_POINTS):
        problems.append(("points", _l("分值应为大于 0、不超过 %(max)s 的数，而不是 %(value)s", max=MAX_POINTS,
                                      value=shown(points))))
    stem = data.get("stem")
    if not isinstance(stem, str) or not stem.strip():
        problems.append(("stem", _l("题干不能为空")))
    elif len(stem) > MAX_STEM:
        problems.append(("stem", _l("题干过长（超过 %(max)s 字）", max=MAX_STEM)))
    for field in (QuestionField.EXPLANATION, QuestionField.SOURCE):
        value, label = data.get(field), QuestionField.label_of(field)
        if value is not None and not isinstance(value, str):
            problems.append((field.value, _l("%(field)s应为文本", field=label)))
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            problems.append((field.value, _l("%(field)s过长（超过 %(max)s 字）", field=label, max=MAX_TEXT)))
    tags = data.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) and t.strip()
                                                                and "," not in t and len(t) <= MAX_TAG for t in tags)):
        problems.append(("tags", _l("标签应为文本列表（每个不超过 %(max)s 字，不含逗号）", max=MAX_TAG)))
    elif tags and sum(len(t.strip()) + 1 for t in tags) + 1 > MAX_TAGS_TEXT:  # stored as ",a,b," (tags_text)
        problems.append(("tags", _l("标签合计过长（连同分隔符不超过 %(max)s 字）", max=MAX_TAGS_TEXT)))
    return problems


QUESTION_TYPES: dict[str, type[QuestionType]] = {}


def register(kind: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: put a question type in the registry (modules are found automatically)."""
    QUESTION_TYPES[kind.name] = kind
    return kind


class QuestionType:
    """Base class; subclasses are stateless and used through their class methods."""

    name: ClassVar[str]
    label: ClassVar[Any]  # lazily translated: `label = _l("单选题")`
    order: ClassVar[int]  # position in lists and menus
    fields: ClassVar[frozenset[str]]  # type-specific fields it uses (of options, answer, rubric, weights)
    # Jinja source of the trainee view's body (inside the question's fieldset), given the
    # public view `q`, the input `name` and the saved `response`.
    body_template: ClassVar[str] = '<p class="question-stem">{{ q.stem }}</p>'

    @classmethod
    def validate(cls, data: dict) -> list[tuple[str, str]]:
        raise NotImplementedError

    @classmethod
    def public_view(cls, revision, rng: random.Random) -> dict:
        """What a trainee sees: never the answer, explanation, rubric or weights."""
        return {"id": revision.id, "type": cls.name, "stem": revision.stem, "options": [],
                "points": revision.points}

    @classmethod
    def grade(cls, revision, response: Any, *, partial: bool = False) -> Score:
        raise NotImplementedError

    @staticmethod
    def round(points: float) -> float:
        return round(points + 0.0, 2)
