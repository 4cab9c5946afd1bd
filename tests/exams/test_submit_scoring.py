"""Answers are scored as they are saved (lms.exams.grading.UNANSWERED); the submit totals the stored
scores, read under the closing UPDATE. What a trainee would see go wrong: an answer accepted just
before the close, or changed back and forth, or saved out of order, scored wrongly; a paper of the
older version (scored only at the deadline) left unscored; a rule changed after sittings began."""
from __future__ import annotations

from sqlalchemy import func, select, update

from lms.core.audit import AuditEvent
from lms.core.errors import ValidationFailed
from lms.exams import attempts, services
from lms.exams.exams import SETTINGS_FIELDS
from lms.exams.models import Attempt, AttemptItem
from lms.extensions import db
from tests.exams.conftest import OBJECTIVE_BLUEPRINT, letter, of_type, put_answer, right, start_attempt, wrong


def _save(client, headers, attempt: dict, question: dict, answer, seq: int) -> dict:
    response = put_answer(client, headers, attempt, question, answer, seq)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _submit(client, headers, attempt: dict) -> dict:
    response = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_an_answer_saved_just_before_the_close_is_scored(app, setup, client, api_token, monkeypatch):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = start_attempt(client, headers, s.exam.id)
    late = attempt["questions"][0]
    closing = attempts.close

    def a_save_first(executor, attempt_id, *args):
        with app.app_context():  # another request's save, accepted after this submit read the attempt
            services.save_answer(s.trainee, attempt_id, late["id"], right(late), 1)
            db.session.commit()
        return closing(executor, attempt_id, *args)

    monkeypatch.setattr(attempts, "close", a_save_first)
    submitted = _submit(client, headers, attempt)
    assert submitted["status"] == "graded" and submitted["score"] == late["points"]
    assert submitted["answers"][str(late["id"])]["seq"] == 1


def test_the_score_follows_the_last_answer_not_the_last_request(setup, client, api_token):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = start_attempt(client, headers, s.exam.id)
    first, second, third = attempt["questions"][:3]
    _save(client, headers, attempt, first, right(first), 1)
    _save(client, headers, attempt, first, wrong(first), 2)
    _save(client, headers, attempt, first, right(first), 3)  # changed back: right
    _save(client, headers, attempt, second, right(second), 2)
    late = _save(client, headers, attempt, second, wrong(second), 1)  # an older save arriving late
    assert late["applied"] is False
    _save(client, headers, attempt, third, right(third), 1)
    _save(client, headers, attempt, third, wrong(third), 2)  # changed to wrong
    submitted = _submit(client, headers, attempt)
    assert submitted["score"] == first["points"] + second["points"]
    assert submitted["passed"] is False  # 2 of 5 points, pass mark 60 %


def test_a_paper_scored_only_at_the_deadline_is_scored_when_it_closes(setup, client, api_token):
    # Attempts in progress when this version is installed have answers without scores.
    s = setup()
    headers = api_token(s.trainee)
    attempt = start_attempt(client, headers, s.exam.id)
    for seq, question in enumerate(attempt["questions"], 1):
        _save(client, headers, attempt, question, right(question), seq)
    db.session.execute(update(AttemptItem).where(AttemptItem.attempt_id == attempt["id"])
                       .values(score=None, needs_manual=False, graded_at=None))
    db.session.commit()
    submitted = _submit(client, headers, attempt)
    assert submitted["status"] == "submitted"  # the essay waits for a grader
    items = db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt["id"])).all()
    essay = of_type(attempt, "essay")
    assert {(i.revision_id == essay["id"], i.score, i.needs_manual) for i in items} == \
        {(False, i.points, False) for i in items if i.revision_id != essay["id"]} | {(True, None, True)}


def test_the_partial_credit_rule_scores_the_saves_and_cannot_change_once_sittings_began(setup, client, api_token):
    s = setup(multiple_partial=True)
    headers = api_token(s.trainee)
    attempt = start_attempt(client, headers, s.exam.id)
    multiple = of_type(attempt, "multiple")
    _save(client, headers, attempt, multiple, [letter(multiple, "甲")], 1)  # one of the two right choices
    item = db.session.scalar(select(AttemptItem).where(AttemptItem.attempt_id == attempt["id"],
                                                       AttemptItem.revision_id == multiple["id"]))
    assert item.score == multiple["points"] / 2

    staff = api_token(s.staff)
    refused = client.put(f"/api/v1/exams/{s.exam.id}", json={"multiple_partial": False}, headers=staff)
    assert refused.status_code == 422 and "multiple_partial" in refused.get_json()["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(type(s.exam), s.exam.id).multiple_partial is True
    renamed = client.put(f"/api/v1/exams/{s.exam.id}", json={"title": "结业考试（补）"}, headers=staff)
    assert renamed.status_code == 200  # other settings still change


def test_the_rule_changes_freely_before_anyone_starts(setup):
    s = setup(multiple_partial=True)
    settings = {name: getattr(s.exam, name) for name in SETTINGS_FIELDS}
    services.save_exam(s.staff, s.cohort, {**settings, "multiple_partial": False}, s.exam)
    assert s.exam.multiple_partial is False
    db.session.add(Attempt(exam_id=s.exam.id, user_id=s.trainee.id, number=1, status="submitted", seed=1,
                           started_at=s.exam.opens_at, deadline=s.exam.closes_at, max_score=0, tab_switches=0))
    db.session.flush()
    try:
        services.save_exam(s.staff, s.cohort, {**settings, "multiple_partial": True}, s.exam)
    except ValidationFailed as refused:
        assert "multiple_partial" in refused.fields
    else:
        raise AssertionError("the rule changed after a sitting began")


def test_a_second_submit_scores_nothing_and_records_nothing(setup, client, api_token, monkeypatch):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = start_attempt(client, headers, s.exam.id)
    first = _submit(client, headers, attempt)
    monkeypatch.setattr(attempts, "score_attempt", lambda *a: (_ for _ in ()).throw(AssertionError("scored again")))
    again = _submit(client, headers, attempt)
    assert again["submitted_at"] == first["submitted_at"] and again["score"] == first["score"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.finalize", AuditEvent.object_id == attempt["id"])) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.finalize"))
    assert event.actor_id == s.trainee.id and db.session.get(Attempt, attempt["id"]).status == "graded"


def test_a_submit_that_prefers_a_minimal_reply_gets_the_attempt_without_the_paper(setup, client, api_token):
    # The exam page goes on to the result page: it asks for the attempt without its paper.
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = start_attempt(client, headers, s.exam.id)
    question = attempt["questions"][0]
    _save(client, headers, attempt, question, right(question), 1)
    minimal = client.post(f"/api/v1/attempts/{attempt['id']}/submit",
                          headers={**headers, "Prefer": 'respond-async, return="minimal"; x=y'})
    assert minimal.status_code == 200 and minimal.headers["Preference-Applied"] == "return=minimal"
    whole = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()
    assert minimal.get_json() == {k: v for k, v in whole.items() if k not in ("questions", "answers", "server_time")} | \
        {"server_time": minimal.get_json()["server_time"]}
    assert minimal.get_json()["score"] == question["points"]
    other = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers={**headers, "Prefer": "return=representation"})
    assert "questions" in other.get_json() and "Preference-Applied" not in other.headers
