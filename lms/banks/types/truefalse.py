"""True/false: the answer is a bool."""
from __future__ import annotations

from typing import Any

from lms.banks.types.base import QuestionType, Score


class TrueFalse(QuestionType):
    name = "truefalse"
    fields = frozenset({"answer"})
    label = "判断题"

    @classmethod
    def validate(cls, data: dict) -> list[tuple[str, str]]:
        problems = []
        if not isinstance(data.get("answer"), bool):
            problems.append(("answer", f"判断题答案应为 true 或 false，而不是 {data.get('answer')!r}"))
        return problems

    @classmethod
    def grade(cls, revision, response: Any, *, partial: bool = False) -> Score:
        correct = isinstance(response, bool) and response is revision.data.get("answer")
        return Score(revision.points if correct else 0.0, revision.points)
