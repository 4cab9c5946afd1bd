"""What every question type shares: the score, the base class and common field checks."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, ClassVar

MAX_STEM = 10_000
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    needs_manual: bool = False


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


TYPE_FIELDS = ("options", "answer", "rubric", "weights")


def unused_field_problems(kind, data: dict) -> list[tuple[str, str]]:
    return [(field, f"{kind.label}不使用此字段") for field in TYPE_FIELDS
            if field not in kind.fields and data.get(field) not in (None, [], {}, "")]


def common_problems(data: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    difficulty = data.get("difficulty")
    if not (isinstance(difficulty, int) and not isinstance(difficulty, bool) and 1 <= difficulty <= 5):
        problems.append(("difficulty", f"难度应为 1–5 的整数，而不是 {difficulty!r}"))
    points = data.get("points")
    if not (is_number(points) and 0 < points <= 1000):
        problems.append(("points", f"分值应为大于 0、不超过 1000 的数，而不是 {points!r}"))
    stem = data.get("stem")
    if not isinstance(stem, str) or not stem.strip():
        problems.append(("stem", "题干不能为空"))
    elif len(stem) > MAX_STEM:
        problems.append(("stem", f"题干过长（超过 {MAX_STEM} 字）"))
    for field, label in (("explanation", "解析"), ("source", "出处")):
        value = data.get(field)
        if value is not None and not isinstance(value, str):
            problems.append((field, f"{label}应为文本"))
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            problems.append((field, f"{label}过长"))
    tags = data.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) and t.strip()
                                                                and "," not in t and len(t) <= 40 for t in tags)):
        problems.append(("tags", "标签应为文本列表（每个不超过 40 字，不含逗号）"))
    return problems


QUESTION_TYPES: dict[str, type[QuestionType]] = {}


def register(kind: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: put a question type in the registry (modules are found automatically)."""
    QUESTION_TYPES[kind.name] = kind
    return kind


class QuestionType:
    """Base class; subclasses are stateless and used through their class methods."""

    name: ClassVar[str]
    label: ClassVar[str]  # Chinese; the web pages translate it
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
