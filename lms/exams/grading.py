"""Scoring: each question type grades itself (lms.banks.types); essays wait for a grader.
An attempt becomes `graded` when every item has a score."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, func, select, update

from lms.banks.models import QuestionRevision
from lms.banks.types import question_type
from lms.core import audit
from lms.core.errors import Conflict, ValidationFailed
from lms.core.permissions import one_or_404
from lms.core.time import utcnow
from lms.exams.exams import grading_exams, pass_mark_of, with_programme
from lms.exams.models import (FINAL_STATUSES, Attempt, AttemptItem, AttemptStatus, Exam, ExamPurpose, ReleasePolicy,
                              ReviewPolicy)
from lms.exams.revisions import grading_revisions
from lms.extensions import db

CLOSED = (*FINAL_STATUSES, AttemptStatus.GRADED)


def _blank(response) -> bool:
    return response is None or (isinstance(response, str) and not response.strip()) or \
        (isinstance(response, list) and not any(isinstance(r, str) and r.strip() or r is True for r in response))


def item_score(revision: QuestionRevision, item_points: float, response, partial: bool) -> tuple[float | None, bool]:
    """(score on the item's points, needs a grader). An empty essay scores 0 without one."""
    kind = question_type(revision.type)
    result = kind.grade(revision, response, partial=partial)
    if result.needs_manual:
        return (0.0, False) if _blank(response) else (None, True)
    if not result.max_points:
        return 0.0, False
    return round(item_points * result.points / result.max_points, 2), False


def exam_rules():
    """What scoring reads of an attempt's exam, as columns of a select over Exam through with_programme()."""
    return Exam.multiple_partial, pass_mark_of().label("pass_mark")


# An item is scored when its answer is stored: unanswered when the paper is drawn (no points, no
# grader: what item_score() gives no response, for every type), then by each accepted save in the
# UPDATE that stores the answer (lms.exams.attempts.store_answer). So the work at the deadline, when
# every trainee hands in at once, is reading the scores, not computing and writing them.
UNANSWERED = {"score": 0.0, "needs_manual": False}


def _scoring_statements():
    """Scoring's statements, built once (a submit storm at the deadline runs them thousands of times)."""
    items, revisions = AttemptItem.__table__, QuestionRevision.__table__
    read = (select(items.c.id, items.c.points, items.c.response, items.c.seq, items.c.revision_id,
                   items.c.option_order, items.c.position, items.c.score, items.c.needs_manual, revisions.c.created_at)
            .join(revisions, revisions.c.id == items.c.revision_id)
            .where(items.c.attempt_id == bindparam("p_attempt")).order_by(items.c.position))
    exam = with_programme(select(*exam_rules()).select_from(Attempt)
                          .join(Exam, Exam.id == Attempt.exam_id)).where(Attempt.id == bindparam("p_attempt"))
    scores = (update(items).where(items.c.id == bindparam("p_item"))
              .values(score=bindparam("p_score"), needs_manual=bindparam("p_manual"),
                      graded_at=bindparam("p_graded_at", type_=items.c.graded_at.type)))
    totals = select(items.c.id, items.c.points, items.c.score, items.c.needs_manual) \
        .where(items.c.attempt_id == bindparam("p_attempt"))
    return read, exam, scores, totals


READ_ITEMS, _EXAM_RULES, _SET_SCORES, _READ_SCORES = _scoring_statements()


@dataclass(frozen=True)
class Scores:
    """A closed attempt's totals; `pending`: how many items wait for a grader."""

    pending: int
    total: float
    maximum: float
    pass_mark: float


def score_attempt(executor, attempt_id: int, now: datetime, rules: tuple | None = None) -> Scores:
    """Total the items of a just-closed attempt on `executor` (the session, or the submit's fast
    path's connection) and complete it if no item waits for a grader. Read after the closing UPDATE,
    which serializes with the saves (lms.exams.attempts): every acknowledged answer is in, none can
    follow. Items carry their scores (UNANSWERED above); one without a score that no grader is waiting
    for (a paper of an older version, which scored at the deadline, or rows written by other code) is
    scored here, through the per-process grading cache (lms.exams.revisions). `rules`: the exam's
    (multiple_partial, pass mark judged by) when the caller has read them already (exam_rules())."""
    rows = executor.execute(_READ_SCORES, {"p_attempt": attempt_id}).all()
    partial, pass_mark = rules if rules is not None else executor.execute(_EXAM_RULES, {"p_attempt": attempt_id}).one()
    scores = {row.id: row.score for row in rows}
    if any(row.score is None and not row.needs_manual for row in rows):
        unscored = [row for row in executor.execute(READ_ITEMS, {"p_attempt": attempt_id})
                    if row.score is None and not row.needs_manual]
        revisions = grading_revisions(((row.revision_id, row.created_at) for row in unscored), executor)
        updates = []
        for row in unscored:
            score, manual = item_score(revisions[row.revision_id], row.points, row.response, bool(partial))
            scores[row.id] = score
            updates.append({"p_item": row.id, "p_score": score, "p_manual": manual,
                            "p_graded_at": now if score is not None else None})
        executor.execute(_SET_SCORES, updates)
    pending = sum(score is None for score in scores.values())
    total, maximum = sum(score or 0.0 for score in scores.values()), sum(row.points for row in rows)
    if not pending:
        _complete(executor, attempt_id, now, total, maximum, pass_mark)
    return Scores(pending, total, maximum, pass_mark)


def complete_if_graded(attempt_id: int, now: datetime) -> bool:
    """Total the attempt and mark it graded once every item has a score."""
    pending, total, maximum = db.session.execute(
        select(func.count(AttemptItem.id).filter(AttemptItem.score.is_(None)),
               func.coalesce(func.sum(AttemptItem.score), 0.0), func.coalesce(func.sum(AttemptItem.points), 0.0))
        .where(AttemptItem.attempt_id == attempt_id)).one()
    if pending:
        return False
    judged_by = with_programme(select(pass_mark_of()).select_from(Attempt).join(Exam, Exam.id == Attempt.exam_id))
    return _complete(db.session, attempt_id, now, total, maximum,
                     db.session.scalar(judged_by.where(Attempt.id == attempt_id)))


def verdict(total, maximum, pass_mark) -> dict:
    """A graded attempt's score, maximum and whether it passed, from its items' scores."""
    total = round(float(total), 2)
    return {"score": total, "max_score": float(maximum),
            "passed": bool(maximum > 0 and total + 1e-9 >= float(maximum) * pass_mark / 100)}


def _complete(executor, attempt_id: int, now: datetime, total, maximum, pass_mark) -> bool:
    graded = verdict(total, maximum, pass_mark)
    result = executor.execute(_GRADED, {"p_attempt": attempt_id, "p_score": graded["score"],
                                        "p_max": graded["max_score"], "p_passed": graded["passed"], "p_now": now})
    return result.rowcount == 1


_attempts = Attempt.__table__
_GRADED = (update(_attempts).where(_attempts.c.id == bindparam("p_attempt"), _attempts.c.status.in_(CLOSED))
           .values(status=AttemptStatus.GRADED, score=bindparam("p_score"), max_score=bindparam("p_max"),
                   passed=bindparam("p_passed"), graded_at=bindparam("p_now", type_=_attempts.c.graded_at.type)))


# ---- manual grading ----------------------------------------------------------------------

def grading_queue(actor, *, pending_only: bool = True):
    """Items of essays to grade in the exams the actor may grade (finalized attempts only)."""
    stmt = (select(AttemptItem).join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.exam_id.in_(grading_exams(actor).with_only_columns(Exam.id)), Attempt.status.in_(CLOSED),
                   AttemptItem.needs_manual.is_(True))
            .order_by(Attempt.exam_id, AttemptItem.revision_id, Attempt.id))
    if pending_only:
        stmt = stmt.where(AttemptItem.score.is_(None))
    return stmt


def get_gradable_item(actor, item_id: int) -> AttemptItem:
    return one_or_404(grading_queue(actor, pending_only=False).where(AttemptItem.id == item_id))


def items_to_grade(actor) -> list[AttemptItem]:
    return list(db.session.scalars(grading_queue(actor)))


def graded_items(actor, limit: int = 200) -> list[AttemptItem]:
    """Essay answers already scored in the exams the actor may grade, the latest first (to re-grade)."""
    stmt = (grading_queue(actor, pending_only=False).where(AttemptItem.score.is_not(None)).order_by(None)
            .order_by(AttemptItem.graded_at.desc(), AttemptItem.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


def next_to_grade(actor) -> AttemptItem | None:
    return db.session.scalars(grading_queue(actor).limit(1)).first()


def pending_by_exam(actor) -> list[tuple[Exam, int]]:
    """Essay answers waiting for a score, per exam the actor may grade."""
    queue = grading_queue(actor).subquery()
    counts = dict(db.session.execute(
        select(Attempt.exam_id, func.count()).select_from(queue).join(Attempt, Attempt.id == queue.c.attempt_id)
        .group_by(Attempt.exam_id)).all())
    exams = db.session.scalars(select(Exam).where(Exam.id.in_(list(counts) or [-1])).order_by(Exam.opens_at)).all()
    return [(exam, counts[exam.id]) for exam in exams]


def rubric_of(item: AttemptItem) -> list[dict]:
    """The rubric the essay was asked with (the frozen revision's): [{criterion, points}]."""
    rubric = (item.revision.data or {}).get("rubric") or []
    return [r for r in rubric if isinstance(r, dict)]


def _criterion_total(item: AttemptItem, criteria) -> float:
    """The sum of the points given per criterion, each checked against its criterion's points."""
    rubric = rubric_of(item)
    if not rubric or not isinstance(criteria, list) or len(criteria) != len(rubric):
        raise ValidationFailed(_l("请按评分细则逐项评分"), {"criteria": _l("应为 %(n)s 项得分", n=len(rubric))})
    problems = {}
    for number, (given, criterion) in enumerate(zip(criteria, rubric, strict=True)):
        if not isinstance(given, (int, float)) or isinstance(given, bool) or not 0 <= given <= criterion["points"]:
            problems[f"criterion-{number}"] = _l("应为 0–%(points)s", points=f"{criterion['points']:g}")
    if problems:
        raise ValidationFailed(_l("评分细则中有得分超出范围"), problems)
    return sum(criteria)


def grade_item(actor, item: AttemptItem, score, comment: str = "", criteria: list | None = None) -> AttemptItem:
    """Set a manual score (a change of an existing score is audited with old and new). With
    `criteria`, the points given on each rubric criterion, the score is their sum."""
    if criteria is not None:
        score = round(_criterion_total(item, criteria), 2)
    if not isinstance(score, (int, float)) or isinstance(score, bool) or not (0 <= score <= item.points):
        raise ValidationFailed(_l("得分应在 0 到 %(points)s 之间", points=f"{item.points:g}"),
                               {"score": _l("应为 0–%(points)s", points=f"{item.points:g}")})
    if item.attempt.status == AttemptStatus.IN_PROGRESS:
        raise Conflict(_l("答卷尚未交卷"))
    old, old_criteria = item.score, item.criterion_scores
    now = utcnow()
    item.score, item.grader_comment = round(float(score), 2), (comment or "")[:5000]
    item.criterion_scores = [round(float(c), 2) for c in criteria] if criteria is not None else None
    item.graded_by_id, item.graded_at = actor.id, now
    db.session.flush()
    audit.record(actor, "attempt_item.grade" if old is None else "attempt_item.regrade", item,
                 attempt_id=item.attempt_id, old=old, new=item.score,
                 **({"criteria": item.criterion_scores, "old_criteria": old_criteria} if criteria is not None else {}))
    complete_if_graded(item.attempt_id, now)
    db.session.refresh(item.attempt)
    return item


# ---- release -----------------------------------------------------------------------------

def is_released(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the trainee may see the score, by the exam's release policy."""
    exam = attempt.exam
    return score_released(db.session, attempt.status, exam.id, exam.release_policy, exam.released_at, exam.closes_at,
                          now)


# Whether any sitting of the exam is not graded yet: stops at the first (at the deadline every
# submit's reply asks, while most of the exam's sittings are still open).
_UNGRADED = select(exists().where(Attempt.exam_id == bindparam("p_exam"), Attempt.status != AttemptStatus.GRADED))


def score_released(executor, status, exam_id: int, policy, released_at, closes_at, now: datetime | None = None) -> bool:
    """is_released() from plain values, on `executor` (the submit's reply, lms.exams.present.sheet_json)."""
    if status != AttemptStatus.GRADED:
        return False
    if policy == ReleasePolicy.IMMEDIATE:
        return True
    if policy == ReleasePolicy.MANUAL:
        return released_at is not None
    now = now or utcnow()
    if now < closes_at:
        return False
    return not executor.execute(_UNGRADED, {"p_exam": exam_id}).scalar()


def review_open(attempt: Attempt, now: datetime | None = None) -> bool:
    """Correct answers may be shown: a practice quiz that shows them on handing in, once handed in;
    otherwise the policy allows, the window has closed and the score is released."""
    now = now or utcnow()
    if attempt.exam.answers_on_submit and attempt.exam.purpose == ExamPurpose.PRACTICE:
        return attempt.status != AttemptStatus.IN_PROGRESS
    return attempt.exam.review_policy == ReviewPolicy.AFTER_CLOSE and now >= attempt.exam.closes_at \
        and is_released(attempt, now)


def category_report(attempt: Attempt) -> list[dict]:
    """Score per category: [{category, score, max_score}] in paper order of first appearance."""
    rows: dict[int, dict] = {}
    for item in attempt.items:
        entry = rows.setdefault(item.category_id, {"category": item.category.title, "score": 0.0, "max_score": 0.0})
        entry["score"] += item.score or 0.0
        entry["max_score"] += item.points
    return [{**r, "score": round(r["score"], 2), "max_score": round(r["max_score"], 2)} for r in rows.values()]
