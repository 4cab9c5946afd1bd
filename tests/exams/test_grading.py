"""Each question type's grading rule on an attempt, the essay queue and the results."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.banks.models import QuestionRevision
from lms.core.audit import AuditEvent
from lms.core.errors import ValidationFailed
from lms.exams import services
from lms.banks.types.base import QUESTION_TYPES
from lms.exams.grading import UNANSWERED, item_score
from lms.exams.models import Attempt, AttemptItem
from lms.extensions import db
from tests.exams.conftest import letter, right


def revision(kind, **data):
    points = data.pop("points", 2)
    stem = data.pop("stem", "题干 ____ 和 ____" if kind == "fill" else "题干")
    return QuestionRevision(type=kind, difficulty=1, points=points, stem=stem, data=data, number=1)


@pytest.mark.parametrize("response,expected", [("B", 4), ("A", 0), (None, 0), (["B"], 0)])
def test_single_choice_is_exact(response, expected):
    rev = revision("single", options=[{"key": "A", "text": "a"}, {"key": "B", "text": "b"}], answer="B")
    assert item_score(rev, 4, response, False) == (expected, False)


@pytest.mark.parametrize("response,expected", [(True, 1), (False, 0), ("true", 0), (None, 0)])
def test_truefalse_is_exact(response, expected):
    assert item_score(revision("truefalse", answer=True, points=1), 1, response, False) == (expected, False)


MULTI = dict(options=[{"key": k, "text": k} for k in "ABCD"], answer=["A", "B", "C"])


@pytest.mark.parametrize("response,all_or_nothing,partial", [
    (["A", "B", "C"], 3, 3), (["C", "A", "B"], 3, 3), (["A", "B"], 0, 2), (["A"], 0, 1),
    (["A", "D"], 0, 0), (["A", "B", "C", "D"], 0, 0), ([], 0, 0), ("A", 0, 0)])
def test_multiple_all_or_nothing_or_partial(response, all_or_nothing, partial):
    rev = revision("multiple", points=3, **MULTI)
    assert item_score(rev, 3, response, False) == (all_or_nothing, False)
    assert item_score(rev, 3, response, True) == (partial, False)


@pytest.mark.parametrize("response,expected", [
    (["社会团体", "标准化"], 4), (["社团", "标准化"], 4), (["ＳＯＣ", "标准化"], 2), ([" 社 团 ", "标准化"], 4),
    (["社团", "x"], 2), (["ABC", "标准化"], 2), ([], 0), (None, 0)])
def test_fill_normalized_with_alternatives(response, expected):
    rev = revision("fill", answer=[["社会团体", "社团"], "标准化"])
    assert item_score(rev, 4, response, False) == (expected, False)


def test_fill_folds_width_and_case():
    rev = revision("fill", answer=["GB/T 1.1", "iso"], points=2)
    assert item_score(rev, 2, ["ｇｂ／ｔ１．１", "ISO"], False) == (2, False)


def test_points_scale_to_the_paper_points():
    rev = revision("single", options=[{"key": "A", "text": "a"}, {"key": "B", "text": "b"}], answer="B", points=1)
    assert item_score(rev, 5, "B", False) == (5, False)


def test_essay_waits_for_a_grader_unless_empty():
    rev = revision("essay", rubric=[{"criterion": "c", "points": 10}], points=10)
    assert item_score(rev, 10, "我的论述", False) == (None, True)
    assert item_score(rev, 10, "   ", False) == (0.0, False)
    assert item_score(rev, 10, None, False) == (0.0, False)


UNANSWERABLE = {"single": dict(options=[{"key": "A", "text": "a"}, {"key": "B", "text": "b"}], answer="B"),
                "multiple": dict(options=[{"key": "A", "text": "a"}, {"key": "B", "text": "b"}], answer=["A"]),
                "truefalse": dict(answer=True), "fill": dict(answer=["x", "y"]),
                "essay": dict(rubric=[{"criterion": "c", "points": 2}])}


@pytest.mark.parametrize("kind", sorted(QUESTION_TYPES))
@pytest.mark.parametrize("partial", [False, True])
def test_a_paper_starts_scored_as_unanswered_for_every_type(kind, partial):
    # A drawn paper's items carry UNANSWERED; a type whose empty answer scored otherwise would be misscored.
    assert item_score(revision(kind, **UNANSWERABLE[kind]), 2, None, partial) == \
        (UNANSWERED["score"], UNANSWERED["needs_manual"])


def _sit(client, headers, exam_id, answer_for):
    attempt = client.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers).get_json()
    for seq, q in enumerate(attempt["questions"], 1):
        client.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
                   json={"response": answer_for(q), "seq": seq}, headers=headers)
    return client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()


def test_essay_goes_to_the_queue_and_grading_completes_the_attempt(setup, client, api_token):
    s = setup(release_policy="immediate")
    submitted = _sit(client, api_token(s.trainee), s.exam.id, right)
    assert submitted["status"] == "submitted" and "score" not in submitted
    queue = db.session.scalars(services.grading_queue(s.grader)).all()
    assert len(queue) == 1
    item = queue[0]
    with pytest.raises(ValidationFailed):
        services.grade_item(s.grader, item, 11)
    services.grade_item(s.grader, item, 7, "要点基本齐全")
    db.session.commit()
    db.session.expire_all()
    attempt = db.session.get(Attempt, submitted["id"])
    assert attempt.status == "graded" and attempt.score == 15 and attempt.max_score == 18 and attempt.passed
    services.grade_item(s.grader, db.session.get(AttemptItem, item.id), 2, "复核")
    db.session.commit()
    db.session.expire_all()
    attempt = db.session.get(Attempt, submitted["id"])
    assert attempt.score == 10 and attempt.passed is False  # 10/18 < 60 %
    regrade = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt_item.regrade"))
    assert regrade.details["old"] == 7 and regrade.details["new"] == 2 and regrade.actor_id == s.grader.id


def test_grader_of_another_institution_sees_nothing(setup, client, api_token, make_user, make_institution):
    s = setup()
    _sit(client, api_token(s.trainee), s.exam.id, right)
    outsider = make_user("grader", scope=make_institution())
    assert db.session.scalars(services.grading_queue(outsider)).all() == []


def test_release_by_hand_hides_the_score_until_released(setup, client, api_token):
    from tests.exams.conftest import OBJECTIVE_BLUEPRINT

    s = setup(blueprint=OBJECTIVE_BLUEPRINT, release_policy="manual")
    headers = api_token(s.trainee)
    submitted = _sit(client, headers, s.exam.id, right)
    assert submitted["status"] == "graded" and "score" not in submitted
    services.release_results(s.staff, db.session.get(services.Exam, s.exam.id))
    db.session.commit()
    shown = client.get(f"/api/v1/attempts/{submitted['id']}", headers=headers).get_json()
    assert shown["score"] == 5 and shown["passed"] is True


def test_release_after_grading_waits_for_the_window_to_close(setup, client, api_token):
    from tests.exams.conftest import OBJECTIVE_BLUEPRINT

    s = setup(blueprint=OBJECTIVE_BLUEPRINT, release_policy="after_grading")
    submitted = _sit(client, api_token(s.trainee), s.exam.id, right)
    assert "score" not in submitted


def test_wrong_answers_fail(setup, client, api_token):
    from tests.exams.conftest import OBJECTIVE_BLUEPRINT

    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    result = _sit(client, api_token(s.trainee), s.exam.id,
                  lambda q: letter(q, "甲") if q["type"] == "single" else False)
    assert result["score"] == 0 and result["passed"] is False


def test_category_report(setup, client, api_token):
    from tests.exams.conftest import OBJECTIVE_BLUEPRINT

    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    result = _sit(client, api_token(s.trainee), s.exam.id,
                  lambda q: letter(q, "乙") if q["type"] == "single" else False)
    report = services.category_report(db.session.get(Attempt, result["id"]))
    assert sorted((r["category"], r["score"], r["max_score"]) for r in report) == [
        ("标准体系", 0, 2), ("法律法规", 3, 3)]


def test_grading_per_criterion_lists_the_graded_and_regrades(setup, client, api_token, login):
    import re

    s = setup(release_policy="immediate")
    _sit(client, api_token(s.trainee), s.exam.id, right)
    [item] = db.session.scalars(services.grading_queue(s.grader)).all()
    rubric = services.rubric_of(item)
    assert rubric and sum(r["points"] for r in rubric) == item.points
    login(s.grader)
    page = client.get(f"/grading/items/{item.id}").get_data(as_text=True)
    for number, r in enumerate(rubric):
        assert re.search(rf'<label for="criterion-{number}">{re.escape(r["criterion"])}</label>', page)
    too_much = {f"criterion-{n}": str(r["points"] + 1) for n, r in enumerate(rubric)}
    response = client.post(f"/grading/items/{item.id}", data={**too_much, "comment": ""})
    assert response.status_code == 200 and f'应为 0–{rubric[0]["points"]:g}' in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    blank = client.post(f"/grading/items/{item.id}", data={"comment": ""}).get_data(as_text=True)
    assert "应为 0–" in blank
    db.session.expire_all()
    assert db.session.get(AttemptItem, item.id).score is None
    given = {f"criterion-{n}": "1.5" if n == 0 else "0" for n in range(len(rubric))}
    assert client.post(f"/grading/items/{item.id}", data={**given, "comment": "要点一"}).status_code == 302
    db.session.expire_all()
    graded = db.session.get(AttemptItem, item.id)
    assert graded.score == 1.5 and graded.criterion_scores == [1.5] + [0.0] * (len(rubric) - 1)
    listing = client.get("/grading?show=graded").get_data(as_text=True)
    assert f"/grading/items/{item.id}" in listing and "1.5 / " in listing
    assert "没有待阅的答卷" in client.get("/grading").get_data(as_text=True)
    page = client.get(f"/grading/items/{item.id}").get_data(as_text=True)
    assert "重新评分" in page and 'value="1.5"' in page
    again = {f"criterion-{n}": f"{r['points']:g}" for n, r in enumerate(rubric)}
    response = client.post(f"/grading/items/{item.id}", data={**again, "comment": "复核"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/grading?show=graded")
    db.session.expire_all()
    assert db.session.get(AttemptItem, item.id).score == item.points
    regrade = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt_item.regrade"))
    assert regrade.details["old"] == 1.5 and regrade.details["old_criteria"][0] == 1.5
