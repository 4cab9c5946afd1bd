"""Editor text fields round-trip to content for every shipped question."""
from __future__ import annotations

from sqlalchemy import select

from lms.banks.demo import seed_banks
from lms.banks.editing import content_from_fields, fields_from_content
from lms.banks.models import Question
from lms.banks.services import canonical, content_of
from lms.extensions import db


def test_fields_round_trip_for_every_shipped_question():
    seed_banks()
    for question in db.session.scalars(select(Question)):
        content = content_of(question.current)
        again, problems = content_from_fields(fields_from_content(content))
        assert not problems
        assert canonical(again) == canonical(content), question.external_id


def test_notation_problems_are_named():
    _content, problems = content_from_fields({"type": "single", "options": "A. 甲\n乙"})
    assert problems == {"options": "第 2 行应为“A. 选项内容”"}
    _content, problems = content_from_fields({"type": "multiple", "weights": "A=50"})
    assert "weights" in problems


def test_weights_and_rubric_notation():
    content, problems = content_from_fields({"type": "multiple", "options": "A. 甲\nB. 乙\nC. 丙", "answer": "A, B",
                                             "weights": "A:50, B:50%, c:-100", "rubric": ""})
    assert not problems
    assert content["answer"] == ["A", "B"] and content["weights"] == {"A": 50, "B": 50, "C": -100}


def test_fields_the_type_does_not_use_are_ignored():
    content, problems = content_from_fields({"type": "truefalse", "stem": "对吗？", "difficulty": "1", "points": "1",
                                             "answer": "正确", "options": "A. 甲\n乱写", "rubric": "x：1",
                                             "weights": "乱"})
    assert not problems
    assert "options" not in content and "rubric" not in content and "weights" not in content
    assert content["answer"] is True
