"""True/false: the answer is a bool."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from lms.banks.types.base import QuestionType, Score, register, shown


@register
class TrueFalse(QuestionType):
    name = "truefalse"
    order = 3
    fields = frozenset({"answer"})
    label = _l("判断题")
    # the two answers as trainees and the editor show them
    answer_labels = {True: _l("正确"), False: _l("错误")}
    body_template = (
        '<p class="question-stem">{{ q.stem }}</p><div class="options">'
        '<label class="option"><input type="radio" name="{{ name }}" value="true"'
        '{% if response is sameas true %} checked{% endif %}> <span>{{ kind.answer_labels[true] }}</span></label>'
        '<label class="option"><input type="radio" name="{{ name }}" value="false"'
        '{% if response is sameas false %} checked{% endif %}> <span>{{ kind.answer_labels[false] }}</span></label>'
        '</div>')

    @classmethod
    def validate(cls, data: dict) -> list[tuple[str, str]]:
        problems = []
        if not isinstance(data.get("answer"), bool):
            problems.append(("answer", _l("判断题答案应为 true 或 false，而不是 %(value)s",
                                          value=shown(data.get("answer")))))
        return problems

    @classmethod
    def grade(cls, revision, response: Any, *, partial: bool = False) -> Score:
        correct = isinstance(response, bool) and response is revision.data.get("answer")
        return Score(revision.points if correct else 0.0, revision.points)
