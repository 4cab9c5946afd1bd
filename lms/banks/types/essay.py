"""Essay: graded by hand against a rubric whose criteria add up to the question's points."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from lms.banks.types.base import MAX_TEXT, QuestionType, Score, is_number, register


@register
class Essay(QuestionType):
    name = "essay"
    order = 5
    fields = frozenset({"answer", "rubric"})
    label = _l("论述题")
    response_label = _l("作答")
    body_template = ('<p class="question-stem">{{ q.stem }}</p>'
                     '<textarea name="{{ name }}" rows="8" aria-label="{{ kind.response_label }}">'
                     '{{ response or "" }}</textarea>')

    @classmethod
    def validate(cls, data: dict) -> list[tuple[str, str]]:
        problems = []
        rubric = data.get("rubric")
        if not isinstance(rubric, list) or not rubric:
            return [("rubric", _l("论述题需要评分细则 rubric: [{criterion, points}]"))]
        for number, item in enumerate(rubric, 1):
            if not (isinstance(item, dict) and isinstance(item.get("criterion"), str) and item["criterion"].strip()
                    and len(item["criterion"]) <= MAX_TEXT and is_number(item.get("points")) and item["points"] > 0):
                problems.append(("rubric", _l("评分细则第 %(n)s 项应有 criterion（文本）和 points（正数）", n=number)))
        if not problems and is_number(data.get("points")):
            total = sum(item["points"] for item in rubric)
            if abs(total - data["points"]) > 1e-9:
                problems.append(("rubric", _l("评分细则分值之和 %(total)s 与题目分值 %(points)s 不一致",
                                              total=f"{total:g}", points=f"{data['points']:g}")))
        if data.get("answer") is not None and not isinstance(data.get("answer"), str):
            problems.append(("answer", _l("论述题的参考答案应为文本")))
        elif isinstance(data.get("answer"), str) and len(data["answer"]) > MAX_TEXT:
            problems.append(("answer", _l("参考答案过长（超过 %(max)s 字）", max=MAX_TEXT)))
        return problems

    @classmethod
    def grade(cls, revision, response: Any, *, partial: bool = False) -> Score:
        return Score(0.0, revision.points, needs_manual=True)
