"""Adding a question type touches one module: a registered class is validated, imported,
stored, previewed, rendered for trainees and graded with nothing else changed."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from lms.banks.models import Question
from lms.banks.preview import preview
from lms.banks.services import grade_response, trainee_view
from lms.banks.types import QUESTION_TYPES, QuestionType, Score
from lms.banks.types.base import register
from lms.extensions import db


@pytest.fixture
def number_type():
    """A numeric-answer type, as one module would define it."""

    @register
    class Number(QuestionType):
        name = "number"
        label = "数值题"
        order = 9
        fields = frozenset({"answer"})
        body_template = ('<p class="question-stem">{{ q.stem }}</p>'
                         '<input type="number" name="{{ name }}" value="{{ response or \'\' }}">')

        @classmethod
        def validate(cls, data):
            ok = isinstance(data.get("answer"), (int, float)) and not isinstance(data.get("answer"), bool)
            return [] if ok else [("answer", "数值题答案应为数字")]

        @classmethod
        def grade(cls, revision, response, *, partial=False):
            right = isinstance(response, (int, float)) and abs(response - revision.data["answer"]) < 1e-9
            return Score(revision.points if right else 0.0, revision.points)

    yield Number
    del QUESTION_TYPES["number"]


BANK = """\
code: numbers
title: 数值
categories: [{code: N, title: 数}]
questions:
  - {id: N-1, category: N, type: number, difficulty: 1, points: 2, stem: 一加一等于几？, answer: 2}
  - {id: N-2, category: N, type: number, difficulty: 1, points: 2, stem: 二加二等于几？, answer: 四}
"""


def test_a_registered_type_works_everywhere(number_type, load_bank, app):
    report = load_bank(("n.yaml", BANK))
    assert report.files[0].rejected == ["N-2"] and "数值题答案应为数字" in report.files[0].errors[0]
    assert load_bank(("n.yaml", BANK.split("  - {id: N-2")[0])).ok
    revision = db.session.scalar(select(Question)).current
    assert grade_response(revision, 2).points == 2 and grade_response(revision, 3).points == 0
    with app.test_request_context():
        view = trainee_view(revision, random.Random(1))
        assert view["type"] == "number" and "answer" not in view
        html = preview({"type": "number", "stem": "三加三？", "points": "1", "answer": ""})["html"]
    assert 'type="number"' in html and "数值题" in html
