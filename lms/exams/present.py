"""What a trainee is shown of an exam and an attempt (shared by the JSON API and the pages).
Questions go through the bank type registry's public_view: never answers, explanations or rubrics.
Options are lettered A, B, C… in the order shown, and answers use those letters (lms.exams.responses)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.core.enums import LabeledEnum
from lms.exams.attempts import SHEET, HandedIn, attempts_of, remaining_seconds, start_refusal
from lms.exams.exams import trainee_exams
from lms.exams.grading import READ_ITEMS, is_released, score_released
from lms.exams.models import Attempt, AttemptStatus, Exam
from lms.exams.papers import CHOICE_TYPES
from lms.exams.responses import shown_keys, to_shown
from lms.exams.revisions import PublicRevision, public_revisions
from lms.extensions import db


class MyExamStatus(LabeledEnum):
    """Where an exam stands for one trainee (computed, never stored)."""

    UPCOMING = "upcoming", _l("未开始")
    AVAILABLE = "available", _l("可参加")
    IN_PROGRESS = "in_progress", _l("答题中")
    DONE = "done", _l("已完成")
    CLOSED = "closed", _l("已结束")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def public_question(order: list[str], points: float, position: int, revision: PublicRevision,
                    bank_letters: bool = False) -> dict:
    view = dict(revision.view)
    if view.get("options"):
        by_key = {o["key"]: o["text"] for o in view["options"]}
        view["options"] = [{"key": key, "text": by_key[bank_key]}
                           for key, bank_key in zip(shown_keys(order, bank_letters), order, strict=True)]
    view["points"] = points
    view["position"] = position
    return view


def _paper(attempt: Attempt) -> tuple[list, dict]:
    fresh = getattr(attempt, "fresh_paper", None)  # just started: the rows are at hand
    if fresh is not None:
        rows = [SimpleNamespace(**row, response=None) for row, _revision in fresh]
        return rows, {row["revision_id"]: revision for row, revision in fresh}
    rows = db.session.execute(READ_ITEMS, {"p_attempt": attempt.id}).all()
    return rows, public_revisions((row.revision_id, row.created_at) for row in rows)


def attempt_json(attempt: Attempt, now: datetime) -> dict:
    rows, revisions = _paper(attempt)
    sheet = SimpleNamespace(id=attempt.id, exam_id=attempt.exam_id, exam_title=attempt.exam.title,
                            number=attempt.number, status=attempt.status, started_at=attempt.started_at,
                            deadline=attempt.deadline, submitted_at=attempt.submitted_at, score=attempt.score,
                            max_score=attempt.max_score, passed=attempt.passed, bank_letters=attempt.bank_letters)
    return sheet_json(sheet, rows, revisions, is_released(attempt, now), now)


def submitted_json(executor, handed: HandedIn, now: datetime, minimal: bool = False) -> dict:
    """The submit's reply (the attempt_json of the attempt as it now is), from what the submit read
    and wrote, on `executor` (the session after its commit, or the fast path's connection).
    `minimal` (the caller sent `Prefer: return=minimal`): without the paper (questions, answers)."""
    sheet = handed.sheet
    if sheet.status == AttemptStatus.IN_PROGRESS:  # a concurrent call closed it (and has committed): read it
        sheet = executor.execute(SHEET["again"], {"p_attempt": sheet.id}).one()
    released = score_released(executor, sheet.status, sheet.exam_id, sheet.release_policy, sheet.released_at,
                              sheet.closes_at, now)
    if minimal:
        return sheet_json(sheet, None, None, released, now)
    rows = handed.items if handed.items is not None else executor.execute(READ_ITEMS, {"p_attempt": sheet.id}).all()
    revisions = public_revisions(((row.revision_id, row.created_at) for row in rows), executor)
    return sheet_json(sheet, rows, revisions, released, now)


def sheet_json(sheet, rows, revisions: dict[int, PublicRevision] | None, released: bool, now: datetime) -> dict:
    """The API's `Attempt` from plain values: `sheet` the attempt with its exam's title (`exam_title`),
    `rows` its items in paper order (revision_id, option_order, points, position, response, seq);
    rows None: the `AttemptSummary`, without the paper."""
    bank_letters = sheet.bank_letters and sheet.status == AttemptStatus.IN_PROGRESS  # Attempt.speaks_bank_keys
    data = {
        "id": sheet.id,
        "exam_id": sheet.exam_id,
        "exam_title": sheet.exam_title,
        "number": sheet.number,
        "status": sheet.status,
        "started_at": iso(sheet.started_at),
        "deadline": iso(sheet.deadline),
        "submitted_at": iso(sheet.submitted_at),
        "server_time": iso(now),
        "remaining_seconds": remaining_seconds(sheet, now),
    }
    if rows is not None:
        data["questions"] = [public_question(row.option_order, row.points, row.position, revisions[row.revision_id],
                                             bank_letters) for row in rows]
        data["answers"] = {str(row.revision_id): {
            "response": to_shown(revisions[row.revision_id].type, row.response, row.option_order, bank_letters),
            "seq": row.seq} for row in rows if row.seq > 0}
    if released:
        data.update(score=sheet.score, max_score=sheet.max_score, passed=sheet.passed)
    return data


def was_auto_submitted(attempt: Attempt) -> bool:
    """Handed in by the clock: closed by the server after the deadline, or by the page when its
    countdown reached zero (that submit arrives at or after the deadline). A grade later makes the
    status `graded`, so the time says it too."""
    if attempt.status == AttemptStatus.AUTO_SUBMITTED:
        return True
    return attempt.submitted_at is not None and attempt.submitted_at >= attempt.deadline - timedelta(seconds=1)


def exam_status(exam: Exam, attempts: list[Attempt], refusal, now: datetime) -> MyExamStatus:
    if any(a.status == AttemptStatus.IN_PROGRESS for a in attempts):
        return MyExamStatus.IN_PROGRESS
    if now < exam.opens_at:
        return MyExamStatus.UPCOMING
    if now >= exam.closes_at:
        return MyExamStatus.CLOSED
    return MyExamStatus.AVAILABLE if refusal is None else MyExamStatus.DONE


def my_exam_json(actor, exam: Exam, now: datetime) -> dict:
    attempts = attempts_of(exam.id, actor.id)
    refusal = start_refusal(actor, exam, now, attempts)
    last = attempts[-1] if attempts else None
    return {
        "id": exam.id, "title": exam.title, "cohort_code": exam.cohort.code,
        "opens_at": iso(exam.opens_at), "closes_at": iso(exam.closes_at),
        "duration_minutes": exam.duration_minutes, "attempts_allowed": exam.attempts_allowed,
        "attempts_used": len(attempts), "status": exam_status(exam, attempts, refusal, now),
        "can_start": refusal is None or any(a.status == AttemptStatus.IN_PROGRESS for a in attempts),
        "reason": str(refusal) if refusal is not None else None,
        "last_attempt_id": last.id if last else None,
    }


def my_exam_list(actor, now: datetime, *, open_only: bool = False) -> list[tuple[Exam, dict]]:
    """The trainee's exams with where each stands (`open_only`: not yet closed)."""
    return [(exam, my_exam_json(actor, exam, now)) for exam in db.session.scalars(trainee_exams(actor))
            if not open_only or exam.closes_at >= now]


# ---- the result page's review ----------------------------------------------------------------

def describe(value: Any) -> str:
    """An answer or a response in words: 'A、C', '正确', the blanks joined, or '未作答'."""
    if value is None or value == [] or value == "":
        return _("未作答")
    if isinstance(value, bool):
        return _("正确") if value else _("错误")
    if isinstance(value, list):
        return _("、").join(" / ".join(v) if isinstance(v, list) else describe(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class ReviewItem:
    position: int
    stem: str
    options: list[tuple[str, str]]  # (letter shown, text), in the order shown
    response: str
    answer: str | None  # None for an essay (graded by hand, no single answer)
    score: float
    points: float
    explanation: str
    correct: bool | None = None  # None: an essay, or not scored yet


def review(attempt: Attempt) -> list[ReviewItem]:
    """The trainee's paper with their answers and the correct ones, lettered as they saw it."""
    found = []
    for item in attempt.items:
        revision, order = item.revision, item.option_order
        texts = {o["key"]: o["text"] for o in revision.options}
        answer = revision.data.get("answer")
        found.append(ReviewItem(
            item.position, revision.stem, list(zip(shown_keys(order), (texts[key] for key in order), strict=True)),
            describe(to_shown(revision.type, item.response, order)),
            None if revision.type == "essay" else
            describe(to_shown(revision.type, answer, order) if revision.type in CHOICE_TYPES else answer),
            item.score or 0.0, item.points, revision.data.get("explanation") or "",
            None if revision.type == "essay" or item.score is None else item.score >= item.points - 1e-9))
    return found
