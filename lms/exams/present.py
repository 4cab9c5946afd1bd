"""What a trainee is shown of an exam and an attempt (shared by the JSON API and the pages).
Questions go through the bank type registry's public_view: never answers, explanations or rubrics."""
from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import select

from lms.banks.models import QuestionRevision
from lms.banks.types import question_type
from lms.exams.attempts import attempts_of, remaining_seconds, start_refusal
from lms.exams.grading import is_released
from lms.exams.models import Attempt, AttemptItem, Exam
from lms.extensions import db


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def public_question(item: AttemptItem, revision: QuestionRevision) -> dict:
    view = question_type(revision.type).public_view(revision, random.Random(0))
    if view.get("options"):
        by_key = {o["key"]: o for o in view["options"]}
        order = [k for k in item.option_order if k in by_key]
        view["options"] = [by_key[k] for k in order] + [o for k, o in by_key.items() if k not in order]
    view["points"] = item.points
    view["position"] = item.position
    return view


def attempt_json(attempt: Attempt, now: datetime) -> dict:
    rows = db.session.execute(select(AttemptItem, QuestionRevision)
                              .join(QuestionRevision, QuestionRevision.id == AttemptItem.revision_id)
                              .where(AttemptItem.attempt_id == attempt.id).order_by(AttemptItem.position)).all()
    data = {
        "id": attempt.id,
        "exam_id": attempt.exam_id,
        "exam_title": attempt.exam.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": iso(attempt.started_at),
        "deadline": iso(attempt.deadline),
        "submitted_at": iso(attempt.submitted_at),
        "server_time": iso(now),
        "remaining_seconds": remaining_seconds(attempt, now),
        "questions": [public_question(item, revision) for item, revision in rows],
        "answers": {str(item.revision_id): {"response": item.response, "seq": item.seq}
                    for item, _revision in rows if item.seq > 0},
    }
    if is_released(attempt, now):
        data.update(score=attempt.score, max_score=attempt.max_score, passed=attempt.passed)
    return data


def exam_status(exam: Exam, attempts: list[Attempt], refusal: str | None, now: datetime) -> str:
    if any(a.status == "in_progress" for a in attempts):
        return "in_progress"
    if now < exam.opens_at:
        return "upcoming"
    if now >= exam.closes_at:
        return "closed"
    return "available" if refusal is None else "done"


def my_exam_json(actor, exam: Exam, now: datetime) -> dict:
    attempts = attempts_of(exam.id, actor.id)
    refusal = start_refusal(actor, exam, now, attempts)
    last = attempts[-1] if attempts else None
    return {
        "id": exam.id, "title": exam.title, "cohort_code": exam.cohort.code,
        "opens_at": iso(exam.opens_at), "closes_at": iso(exam.closes_at),
        "duration_minutes": exam.duration_minutes, "attempts_allowed": exam.attempts_allowed,
        "attempts_used": len(attempts), "status": exam_status(exam, attempts, refusal, now),
        "can_start": refusal is None or any(a.status == "in_progress" for a in attempts), "reason": refusal,
        "last_attempt_id": last.id if last else None,
    }

