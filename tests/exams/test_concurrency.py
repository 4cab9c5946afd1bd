"""Exactly-once finalization under concurrency: many threads (tabs, retries, the sweeper)
submitting the same attempt; concurrent starts; a save racing the submit."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select, update

from lms.core.audit import AuditEvent
from lms.core.time import utcnow
from lms.exams import services
from lms.exams.models import Attempt
from lms.extensions import db
from tests.exams.conftest import right

THREADS = 8


def run_threads(app, work, count=THREADS):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def runner(i):
        with app.app_context():
            try:
                barrier.wait()
                results.append(work(i))
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_concurrent_submits_finalize_exactly_once(app, setup):
    s = setup()
    attempt, _ = services.start(s.trainee, s.exam.id)
    db.session.commit()
    attempt_id = attempt.id

    def work(i):
        if i % 2:  # half of them are the sweeper, the other half the trainee's tabs
            now = utcnow()
            done = services.finalize(attempt_id, "auto_submitted", now)
        else:
            before = db.session.get(Attempt, attempt_id)
            was_open = before.status == "in_progress"
            db.session.expire_all()
            done = services.finalize(attempt_id, "submitted", utcnow()) if was_open else False
        db.session.commit()
        return done

    results = run_threads(app, work)
    assert results.count(True) == 1
    db.session.expire_all()
    final = db.session.get(Attempt, attempt_id)
    assert final.status in ("submitted", "auto_submitted", "graded")
    assert final.submitted_at is not None


def test_concurrent_api_submits_all_answer_the_same(app, setup, api_token):
    s = setup()
    headers = api_token(s.trainee)
    client = app.test_client()
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()

    def work(i):
        response = app.test_client().post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
        return response.status_code, response.get_json()["status"], response.get_json()["submitted_at"]

    results = run_threads(app, work)
    assert {r[0] for r in results} == {200}
    assert len({r[2] for r in results}) == 1  # everyone saw the one finalization
    submits = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.finalize", AuditEvent.object_id == attempt["id"]))
    assert submits == 1


def test_concurrent_starts_create_one_attempt(app, setup, api_token):
    s = setup()
    headers = api_token(s.trainee)

    def work(i):
        response = app.test_client().post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers)
        return response.status_code, response.get_json().get("id")

    results = run_threads(app, work)
    assert sorted(code for code, _ in results).count(201) == 1, results
    assert {code for code, _ in results} <= {200, 201}
    assert len({attempt_id for _, attempt_id in results}) == 1
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_saves_racing_a_submit_are_either_kept_or_refused(app, setup, api_token):
    """Every save acknowledged with 200 is in the finalized attempt; the others got 409."""
    s = setup()
    headers = api_token(s.trainee)
    attempt = app.test_client().post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    questions = attempt["questions"]

    def work(i):
        client = app.test_client()
        if i == THREADS - 1:
            return "submit", client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code
        question = questions[i % len(questions)]
        value = right(question) if question["type"] != "essay" else f"R{i}"
        response = client.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
                              json={"response": value, "seq": i + 1}, headers=headers)
        return question["id"], response.status_code, value

    results = run_threads(app, work)
    answers = app.test_client().get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()["answers"]
    stored = {int(qid): answer["response"] for qid, answer in answers.items()}
    for result in results:
        if result[0] == "submit":
            assert result[1] == 200
            continue
        qid, status, value = result
        assert status in (200, 409)
        if status == 200:
            assert stored[qid] == value


def test_sweeper_closes_overdue_attempts_once(app, setup, runner, make_user, enroll):
    s = setup()
    others = []
    for _ in range(3):
        trainee = make_user("trainee")
        enroll(s.cohort, trainee)
        others.append(trainee)
    ids = []
    for trainee in [s.trainee] + others:
        attempt, _ = services.start(trainee, s.exam.id)
        ids.append(attempt.id)
    db.session.commit()
    db.session.execute(update(Attempt).where(Attempt.id.in_(ids[:3]))
                       .values(deadline=utcnow() - timedelta(seconds=30)))
    db.session.commit()
    result = runner.invoke(args=["lms", "close-overdue"])
    assert result.exit_code == 0 and "3" in result.output
    again = runner.invoke(args=["lms", "close-overdue"])
    assert "已自动交卷 0 份" in again.output
    db.session.expire_all()
    statuses = {a.id: a.status for a in db.session.scalars(select(Attempt))}
    assert statuses[ids[3]] == "in_progress"
    assert all(statuses[i] in ("auto_submitted", "graded") for i in ids[:3])


def test_concurrent_sweepers_close_each_attempt_once(app, setup, make_user, enroll):
    s = setup()
    for _ in range(5):
        trainee = make_user("trainee")
        enroll(s.cohort, trainee)
        services.start(trainee, s.exam.id)
    db.session.commit()
    db.session.execute(update(Attempt).values(deadline=utcnow() - timedelta(seconds=30)))
    db.session.commit()

    def work(i):
        closed = services.close_overdue()
        db.session.commit()
        return closed

    assert sum(run_threads(app, work, 4)) == 5


def test_overdue_attempt_closes_on_access(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    db.session.execute(update(Attempt).where(Attempt.id == attempt["id"])
                       .values(deadline=utcnow() - timedelta(seconds=30)))
    db.session.commit()
    data = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()
    assert data["status"] in ("auto_submitted", "graded") and data["remaining_seconds"] == 0
