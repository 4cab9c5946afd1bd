"""The question-type registry. Each type validates its own data, builds the trainee's
view and grades a response; adding a type means adding one module and one entry here.

`data` given to validate() is the neutral question content: type, difficulty, points,
stem, options [{key, text}], answer, explanation, source, rubric, tags, weights.
"""
from __future__ import annotations

from lms.banks.types.base import QuestionType, Score, common_problems, unused_field_problems
from lms.banks.types.choice import MultipleChoice, SingleChoice
from lms.banks.types.essay import Essay
from lms.banks.types.fill import BLANK, Fill, normalize_text
from lms.banks.types.truefalse import TrueFalse

QUESTION_TYPES: dict[str, type[QuestionType]] = {
    "single": SingleChoice,
    "multiple": MultipleChoice,
    "truefalse": TrueFalse,
    "fill": Fill,
    "essay": Essay,
}


def validate_content(data: dict) -> list[tuple[str, str]]:
    """Every problem with a question's content, as (field, problem) pairs."""
    problems = common_problems(data)
    name = data.get("type")
    kind = QUESTION_TYPES.get(name) if isinstance(name, str) else None
    if kind is None:
        problems.append(("type", f"题型 {data.get('type')!r} 不存在，应为 {' / '.join(QUESTION_TYPES)} 之一"))
        return problems
    return problems + unused_field_problems(kind, data) + kind.validate(data)


def question_type(name: str) -> type[QuestionType]:
    return QUESTION_TYPES[name]


__all__ = ["BLANK", "QUESTION_TYPES", "QuestionType", "Score", "normalize_text", "question_type",
           "validate_content"]
