"""What a trainee is shown of an exam and an attempt (shared by the JSON API and the pages).
Questions go through the bank type registry's public_view: never answers, explanations or rubrics."""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import select

from lms.banks.models import QuestionRevision
from lms.exams.attempts import attempts_of, remaining_seconds, start_refusal
from lms.exams.grading import is_released
from lms.exams.models import Attempt, AttemptItem, Exam
from lms.exams.revisions import PublicRevision, public_revisions
from lms.extensions import db


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def public_question(order: list[str], points: float, position: int, revision: PublicRevision) -> dict:
    view = dict(revision.view)
    if view.get("options"):
        by_key = {o["key"]: o for o in view["options"]}
        view["options"] = [by_key[k] for k in order if k in by_key] + \
            [o for k, o in by_key.items() if k not in order]
    view["points"] = points
    view["position"] = position
    return view


def _paper(attempt: Attempt) -> tuple[list, dict]:
    fresh = getattr(attempt, "fresh_paper", None)  # just started: the rows are at hand
    if fresh is not None:
        rows = [SimpleNamespace(**row, response=None) for row, _revision in fresh]
        return rows, {row["revision_id"]: revision for row, revision in fresh}
    items = AttemptItem.__table__
    revisions_table = QuestionRevision.__table__
    rows = db.session.execute(select(items.c.revision_id, items.c.option_order, items.c.points, items.c.position,
                                     items.c.response, items.c.seq, revisions_table.c.created_at)
                              .join(revisions_table, revisions_table.c.id == items.c.revision_id)
                              .where(items.c.attempt_id == attempt.id).order_by(items.c.position)).all()
    return rows, public_revisions((row.revision_id, row.created_at) for row in rows)


def attempt_json(attempt: Attempt, now: datetime) -> dict:
    rows, revisions = _paper(attempt)
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
        "questions": [public_question(row.option_order, row.points, row.position, revisions[row.revision_id])
                      for row in rows],
        "answers": {str(row.revision_id): {"response": row.response, "seq": row.seq} for row in rows if row.seq > 0},
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

