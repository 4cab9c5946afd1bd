"""Submitting scores the answers before the closing UPDATE (the write transaction stays short)
and checks them again under it: an answer accepted in between is what gets scored."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.core.audit import AuditEvent
from lms.exams import attempts, services
from lms.exams.models import Attempt
from lms.extensions import db
from tests.exams.conftest import OBJECTIVE_BLUEPRINT, right


def test_an_answer_saved_between_scoring_and_closing_is_scored(app, setup, client, api_token, monkeypatch):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    late = attempt["questions"][0]
    scored_first = attempts.compute_scores

    def then_a_save(executor, attempt_id, *args):
        scores = scored_first(executor, attempt_id, *args)  # all unanswered: 0 points
        with app.app_context():  # another request's save, accepted and committed before the close
            services.save_answer(s.trainee, attempt_id, late["id"], right(late), 1)
            db.session.commit()
        return scores

    monkeypatch.setattr(attempts, "compute_scores", then_a_save)
    submitted = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()
    assert submitted["status"] == "graded" and submitted["score"] == late["points"]
    assert submitted["answers"][str(late["id"])]["seq"] == 1


def test_a_second_submit_scores_nothing_and_records_nothing(setup, client, api_token, monkeypatch):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    first = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()
    monkeypatch.setattr(attempts, "compute_scores", lambda *a: (_ for _ in ()).throw(AssertionError("scored again")))
    again = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()
    assert again["submitted_at"] == first["submitted_at"] and again["score"] == first["score"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.finalize", AuditEvent.object_id == attempt["id"])) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.finalize"))
    assert event.actor_id == s.trainee.id and db.session.get(Attempt, attempt["id"]).status == "graded"
