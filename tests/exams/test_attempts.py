"""Starting, resuming, saving and submitting attempts through the JSON API."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from lms.core.time import utcnow
from lms.exams.models import Attempt, AttemptItem
from lms.extensions import db
from tests.exams.conftest import of_type, right, wrong


def start(client, headers, exam_id):
    return client.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers)


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_deadline_is_start_plus_duration(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    response = start(client, headers, s.exam.id)
    assert response.status_code == 201
    data = response.get_json()
    assert when(data["deadline"]) - when(data["started_at"]) == timedelta(minutes=60)
    assert 3590 <= data["remaining_seconds"] <= 3600
    assert when(data["server_time"]).utcoffset() == timedelta(0)
    assert len(data["questions"]) == 7 and data["answers"] == {}


def test_extension_adds_minutes(setup, client, api_token):
    from lms.exams import services

    s = setup()
    services.set_extension(s.staff, s.exam, s.trainee.id, 15, "视力障碍")
    db.session.commit()
    data = start(client, api_token(s.trainee), s.exam.id).get_json()
    assert when(data["deadline"]) - when(data["started_at"]) == timedelta(minutes=75)


def test_deadline_never_after_the_window_closes(setup, client, api_token):
    s = setup(closes_at=utcnow() + timedelta(minutes=20))
    data = start(client, api_token(s.trainee), s.exam.id).get_json()
    db.session.expire_all()
    assert when(data["deadline"]) == s.exam.closes_at
    assert data["remaining_seconds"] <= 20 * 60


def test_starting_again_resumes_the_same_attempt(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    first = start(client, headers, s.exam.id).get_json()
    qid = of_type(first)["id"]
    assert client.put(f"/api/v1/attempts/{first['id']}/answers/{qid}", json={"response": "B", "seq": 1},
                      headers=headers).status_code == 200
    again = start(client, headers, s.exam.id)
    assert again.status_code == 200
    data = again.get_json()
    assert data["id"] == first["id"] and data["deadline"] == first["deadline"]
    assert data["questions"] == first["questions"]  # same paper, same option order
    assert data["answers"] == {str(qid): {"response": "B", "seq": 1}}
    fetched = client.get(f"/api/v1/attempts/{first['id']}", headers=headers).get_json()
    assert fetched["answers"] == data["answers"] and fetched["deadline"] == first["deadline"]


def test_window_not_open_or_closed_refuses_start(setup, client, api_token):
    s = setup(opens_at=utcnow() + timedelta(hours=1))
    response = start(client, api_token(s.trainee), s.exam.id)
    assert response.status_code == 409 and "尚未开始" in response.get_json()["error"]["message"]


def test_not_enrolled_is_404(setup, client, api_token, make_user):
    s = setup()
    stranger = make_user("trainee")
    assert start(client, api_token(stranger), s.exam.id).status_code == 404


def test_lower_sequence_number_never_overwrites(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    attempt = start(client, headers, s.exam.id).get_json()
    qid = next(q["id"] for q in attempt["questions"] if q["type"] == "single")
    url = f"/api/v1/attempts/{attempt['id']}/answers/{qid}"
    assert client.put(url, json={"response": "C", "seq": 5}, headers=headers).get_json()["applied"] is True
    stale = client.put(url, json={"response": "A", "seq": 3}, headers=headers)
    assert stale.status_code == 200
    assert stale.get_json()["applied"] is False and stale.get_json()["seq"] == 5
    same = client.put(url, json={"response": "D", "seq": 5}, headers=headers).get_json()
    assert same["applied"] is False
    answers = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()["answers"]
    assert answers[str(qid)] == {"response": "C", "seq": 5}


def test_bad_seq_and_unknown_question(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    attempt = start(client, headers, s.exam.id).get_json()
    qid = attempt["questions"][0]["id"]
    bad = client.put(f"/api/v1/attempts/{attempt['id']}/answers/{qid}", json={"response": None, "seq": "x"},
                     headers=headers)
    assert bad.status_code == 422 and "seq" in bad.get_json()["error"]["fields"]
    assert client.put(f"/api/v1/attempts/{attempt['id']}/answers/999999", json={"response": "A", "seq": 1},
                      headers=headers).status_code == 404


def _move_deadline(attempt_id: int, seconds_from_now: float) -> None:
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id)
                       .values(deadline=utcnow() + timedelta(seconds=seconds_from_now)))
    db.session.commit()


def test_save_within_grace_is_accepted(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    attempt = start(client, headers, s.exam.id).get_json()
    _move_deadline(attempt["id"], -2)  # deadline passed 2 s ago; grace is 5 s
    qid = of_type(attempt)["id"]
    response = client.put(f"/api/v1/attempts/{attempt['id']}/answers/{qid}", json={"response": "B", "seq": 1},
                          headers=headers)
    assert response.status_code == 200 and response.get_json()["applied"] is True


def test_save_after_deadline_and_grace_is_409_and_closes_the_attempt(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    attempt = start(client, headers, s.exam.id).get_json()
    question = of_type(attempt)
    url = f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}"
    assert client.put(url, json={"response": "A", "seq": 1}, headers=headers).status_code == 200
    _move_deadline(attempt["id"], -6)
    late = client.put(url, json={"response": "B", "seq": 2}, headers=headers)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "attempt_closed"
    db.session.expire_all()
    closed = db.session.get(Attempt, attempt["id"])
    assert closed.status in ("auto_submitted", "graded") and closed.submitted_at is not None
    item = db.session.scalar(select(AttemptItem).where(AttemptItem.attempt_id == closed.id,
                                                       AttemptItem.revision_id == question["id"]))
    assert item.response == item.option_order[0]  # the late answer was not taken: A, the first option shown


def test_grace_is_configurable(setup, make_app, api_token):
    s = setup()
    strict = make_app(ATTEMPT_GRACE_SECONDS=0)
    client = strict.test_client()
    headers = {"Authorization": api_token(s.trainee)["Authorization"]}
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    _move_deadline(attempt["id"], -2)
    qid = of_type(attempt)["id"]
    assert client.put(f"/api/v1/attempts/{attempt['id']}/answers/{qid}", json={"response": "B", "seq": 1},
                      headers=headers).status_code == 409


def test_save_after_submit_is_409(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    attempt = start(client, headers, s.exam.id).get_json()
    assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 200
    qid = of_type(attempt)["id"]
    assert client.put(f"/api/v1/attempts/{attempt['id']}/answers/{qid}", json={"response": "B", "seq": 9},
                      headers=headers).status_code == 409


def test_submit_is_idempotent_and_reports_the_score(setup, client, api_token):
    from tests.exams.conftest import OBJECTIVE_BLUEPRINT

    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = start(client, headers, s.exam.id).get_json()
    for seq, q in enumerate(attempt["questions"], 1):
        response = right(q)
        client.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", json={"response": response, "seq": seq},
                   headers=headers)
    first = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()
    second = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()
    assert first["status"] == "graded" and first["score"] == 5 and first["max_score"] == 5 and first["passed"]
    assert second["status"] == "graded" and second["score"] == 5
    assert second["submitted_at"] == first["submitted_at"]


def test_another_trainee_cannot_touch_the_attempt(setup, client, api_token, make_user, enroll):
    s = setup()
    attempt = start(client, api_token(s.trainee), s.exam.id).get_json()
    other = make_user("trainee")
    enroll(s.cohort, other)
    headers = api_token(other)
    qid = of_type(attempt)["id"]
    assert client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).status_code == 404
    assert client.put(f"/api/v1/attempts/{attempt['id']}/answers/{qid}", json={"response": "B", "seq": 1},
                      headers=headers).status_code == 404
    assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 404
    assert client.post(f"/api/v1/attempts/{attempt['id']}/events", json={"kind": "paste"},
                       headers=headers).status_code == 404
    db.session.expire_all()
    assert db.session.get(Attempt, attempt["id"]).status == "in_progress"


def test_no_answer_data_reaches_the_trainee(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    started = start(client, headers, s.exam.id)
    text = started.get_data(as_text=True)
    for secret in ("SECRET", "explanation", "rubric", '"answer"', "weights"):
        assert secret not in text
    attempt = started.get_json()
    for q in attempt["questions"]:
        assert set(q) <= {"id", "type", "stem", "options", "points", "position", "blanks"}
    page = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_data(as_text=True)
    assert "SECRET" not in page and '"answer"' not in page


def test_options_are_shuffled_per_trainee_but_frozen(setup, client, api_token, make_user, enroll):
    s = setup()
    orders = set()
    for _ in range(6):
        trainee = make_user("trainee")
        enroll(s.cohort, trainee)
        data = start(client, api_token(trainee), s.exam.id).get_json()
        orders.add(tuple(tuple(o["text"] for o in q["options"]) for q in data["questions"] if q["type"] == "single"))
    assert len(orders) > 1


def test_attempt_keeps_its_revision_after_the_question_is_edited(setup, client, api_token):
    from lms.banks.models import Question
    from lms.banks.services import content_of, save_question

    s = setup(blueprint="exam-bank A single 2 1 1\n")
    headers = api_token(s.trainee)
    attempt = start(client, headers, s.exam.id).get_json()
    question = db.session.scalar(select(Question).join(AttemptItem, AttemptItem.question_id == Question.id))
    content = content_of(question.current)
    content["stem"] = "改过的题干"
    save_question(None, question.bank, content, category_code="A", question=question)
    db.session.commit()
    again = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()
    assert again["questions"][0]["stem"] != "改过的题干"


def test_my_exams_lists_status(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    exams = client.get("/api/v1/me/exams", headers=headers).get_json()
    assert [e["id"] for e in exams] == [s.exam.id]
    assert exams[0]["status"] == "available" and exams[0]["attempts_used"] == 0
    assert exams[0]["cohort_code"] == s.cohort.code and exams[0]["duration_minutes"] == 60
    start(client, headers, s.exam.id)
    assert client.get("/api/v1/me/exams", headers=headers).get_json()[0]["status"] == "in_progress"


@pytest.mark.parametrize("failed", [True, False])
def test_make_up_only_after_a_fail(setup, client, api_token, failed):
    from tests.exams.conftest import OBJECTIVE_BLUEPRINT

    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = start(client, headers, s.exam.id).get_json()
    for seq, q in enumerate(attempt["questions"], 1):
        client.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
                   json={"response": wrong(q) if failed else right(q), "seq": seq}, headers=headers)
    assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()["passed"] is not failed
    second = start(client, headers, s.exam.id)
    if failed:
        assert second.status_code == 201 and second.get_json()["number"] == 2
        client.post(f"/api/v1/attempts/{second.get_json()['id']}/submit", headers=headers)
        third = start(client, headers, s.exam.id)
        assert third.status_code == 409 and "次数已用完" in third.get_json()["error"]["message"]
    else:
        assert second.status_code == 409 and "已通过" in second.get_json()["error"]["message"]


def test_attendance_requirement(setup, client, api_token):
    s = setup(requires_attendance=True)
    response = start(client, api_token(s.trainee), s.exam.id)
    assert response.status_code == 409 and "出勤" in response.get_json()["error"]["message"]
