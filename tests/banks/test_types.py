"""The question-type registry: validation and the grading rules of each type."""
from __future__ import annotations

import random

import pytest

from lms.banks.models import QuestionRevision
from lms.banks.types import QUESTION_TYPES, normalize_text, validate_content


def revision(type_, points=2.0, stem="题干", **data) -> QuestionRevision:
    return QuestionRevision(id=7, number=1, type=type_, difficulty=2, points=points, stem=stem, data=data)


def grade(rev, response, **kw):
    return QUESTION_TYPES[rev.type].grade(rev, response, **kw)


OPTIONS = [{"key": k, "text": f"选项{k}"} for k in "ABCD"]


def test_single_is_exact():
    rev = revision("single", options=OPTIONS, answer="B")
    assert grade(rev, "B").points == 2
    assert grade(rev, "C").points == 0
    assert grade(rev, ["B"]).points == 0
    assert grade(rev, None).points == 0


def test_truefalse_is_exact_and_wants_a_bool():
    rev = revision("truefalse", points=1, answer=False)
    assert grade(rev, False).points == 1
    assert grade(rev, True).points == 0
    assert grade(rev, 0).points == 0
    assert grade(rev, "false").points == 0


def test_multiple_all_or_nothing_by_default():
    rev = revision("multiple", points=3, options=OPTIONS, answer=["A", "C"])
    assert grade(rev, ["C", "A"]).points == 3
    assert grade(rev, ["A"]).points == 0
    assert grade(rev, ["A", "C", "D"]).points == 0


def test_multiple_partial_credit_per_correct_choice_zero_with_a_wrong_one():
    rev = revision("multiple", points=3, options=OPTIONS, answer=["A", "B", "C"])
    assert grade(rev, ["A"], partial=True).points == 1
    assert grade(rev, ["A", "B"], partial=True).points == 2
    assert grade(rev, ["A", "B", "D"], partial=True).points == 0
    assert grade(rev, [], partial=True).points == 0


def test_multiple_partial_uses_gift_weights_when_present():
    rev = revision("multiple", points=4, options=OPTIONS, answer=["A", "B"],
                   weights={"A": 75, "B": 25, "C": -50, "D": -100})
    assert grade(rev, ["A"], partial=True).points == 3
    assert grade(rev, ["B"], partial=True).points == 1
    assert grade(rev, ["A", "C"], partial=True).points == 1
    assert grade(rev, ["B", "D"], partial=True).points == 0  # never below zero
    assert grade(rev, ["A", "B"], partial=True).points == 4
    assert grade(rev, ["A"]).points == 0  # weights only matter for partial credit


def test_fill_normalizes_and_credits_each_blank():
    rev = revision("fill", points=2, stem="甲____乙____", answer=[["社会团体", "社团"], "ISO 9001"])
    assert grade(rev, ["社团", "iso9001"]).points == 2
    assert grade(rev, [" 社会 团体 ", "ＩＳＯ　９００１"]).points == 2  # full-width and spaces
    assert grade(rev, ["社会组织", "ISO 9001"]).points == 1
    assert grade(rev, ["社团"]).points == 1
    assert grade(rev, "社团").points == 0
    assert normalize_text("Ａ Ｂｃ") == "abc"


def test_essay_needs_manual_grading():
    rev = revision("essay", points=10, rubric=[{"criterion": "x", "points": 10}])
    score = grade(rev, "我的论述")
    assert score.needs_manual and score.points == 0 and score.max_points == 10


def content(**overrides):
    base = {"type": "single", "difficulty": 2, "points": 1, "stem": "题干", "options": OPTIONS, "answer": "A"}
    base.update(overrides)
    return base


@pytest.mark.parametrize("overrides, field, words", [
    ({"type": "bogus"}, "type", "题型"),
    ({"difficulty": 6}, "difficulty", "1–5"),
    ({"difficulty": True}, "difficulty", "1–5"),
    ({"points": 0}, "points", "分值"),
    ({"stem": "  "}, "stem", "题干"),
    ({"answer": "E"}, "answer", "选项键"),
    ({"options": OPTIONS[:1]}, "options", "至少"),
    ({"options": OPTIONS + [{"key": "A", "text": "重复"}]}, "options", "重复"),
    ({"type": "multiple", "answer": ["A", "X"]}, "answer", "X"),
    ({"type": "multiple", "answer": []}, "answer", "至少一个"),
    ({"type": "multiple", "answer": ["A"], "weights": {"A": 50}}, "weights", "100"),
    ({"type": "truefalse", "options": None, "answer": "yes"}, "answer", "true"),
    ({"type": "fill", "options": None, "stem": "没有空", "answer": ["x"]}, "stem", "____"),
    ({"type": "fill", "options": None, "stem": "a____b____", "answer": ["x"]}, "answer", "2 个空"),
    ({"type": "essay", "options": None, "points": 10, "rubric": [{"criterion": "a", "points": 4}]}, "rubric", "不一致"),
    ({"type": "essay", "options": None, "rubric": None}, "rubric", "评分细则"),
    ({"tags": ["a,b"]}, "tags", "逗号"),
])
def test_validation_names_the_field_and_the_problem(overrides, field, words):
    problems = validate_content(content(**overrides))
    assert any(f == field and words in p for f, p in problems), problems


def test_valid_content_has_no_problems():
    assert validate_content(content()) == []


def test_choice_options_are_shuffled_but_keep_their_keys():
    rev = revision("single", options=OPTIONS, answer="B")
    orders = {tuple(o["key"] for o in QUESTION_TYPES["single"].public_view(rev, random.Random(seed))["options"])
              for seed in range(20)}
    assert len(orders) > 1
    for order in orders:
        assert sorted(order) == ["A", "B", "C", "D"]
    view = QUESTION_TYPES["single"].public_view(rev, random.Random(1))
    assert {o["key"]: o["text"] for o in view["options"]} == {o["key"]: o["text"] for o in OPTIONS}


def test_multiple_with_bad_answer_and_weights_is_reported_not_crashing():
    problems = validate_content(content(type="multiple", answer=[None, None], weights={}))
    assert ("answer", "多选题答案应为选项键列表，至少一个") in problems


def test_grade_response_dispatches_on_the_revision_type():
    from lms.banks.services import grade_response

    rev = revision("multiple", points=2, options=OPTIONS, answer=["A", "B"])
    assert grade_response(rev, ["A"], partial=True).points == 1
    assert grade_response(rev, ["A"]).points == 0
