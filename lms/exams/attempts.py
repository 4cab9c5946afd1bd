"""Attempts: start or resume, autosave, submit, and closing overdue sittings.

Rules held here (see docs/architecture.md, "Exams"):
- the deadline is `min(start + duration + extension, closes_at)`, fixed at start;
- a save is accepted only while the attempt is `in_progress` and `now <= deadline + grace`;
  a save and a submit serialize on the attempt's row (_save_statements), so a save that loses
  the race is refused (409), never acknowledged and then lost;
- answers are scored as they are saved (grading.UNANSWERED): the submit totals;
- finalization is one conditional UPDATE (`... WHERE status = 'in_progress'`): whoever gets
  rowcount 1 finalizes and scores; everyone else (other tab, retry, sweeper) reads the result.
"""
from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.exc import IntegrityError

from lms.auth.tokens import token_user_id_clause
from lms.core import audit
from lms.core.errors import Conflict, NotFound, ValidationFailed
from lms.core.permissions import one_or_404
from lms.core.time import utcnow
from lms.enrollment.attendance import attendance_requirement_met
from lms.enrollment.applications import enrollment
from lms.banks.models import QuestionRevision
from lms.exams import papers, responses
from lms.exams.exams import extension_minutes, trainee_exam, with_programme
from lms.exams.grading import READ_ITEMS, UNANSWERED, Scores, exam_rules, item_score, score_attempt, verdict
from lms.exams.models import FINAL_STATUSES, Attempt, AttemptItem, AttemptStatus, Exam, IntegrityEvent, IntegrityKind
from lms.exams.revisions import grading_revisions, public_revisions
from lms.extensions import db

MAX_RESPONSE_CHARS = 20_000


class AttemptClosed(Conflict):
    """A save refused: the attempt is handed in, or past deadline + grace. `handed_in`: known to be
    closed already (nothing for the refusal to close; lms.exams.fast answers it without the app)."""

    code = "attempt_closed"

    def __init__(self, handed_in: bool = False):
        super().__init__(_l("答卷已交卷或已超过截止时间，本次保存未被接受"))
        self.handed_in = handed_in


def grace() -> timedelta:
    return timedelta(seconds=current_app.config.get("ATTEMPT_GRACE_SECONDS", 5))


def remaining_seconds(attempt: Attempt, now: datetime) -> int:
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return 0
    return max(0, int((attempt.deadline - now).total_seconds()))


# ---- finalization ------------------------------------------------------------------------

_CLOSE = (update(Attempt.__table__)
          .where(Attempt.__table__.c.id == bindparam("p_attempt"),
                 Attempt.__table__.c.status == AttemptStatus.IN_PROGRESS)
          .values(status=bindparam("p_status", type_=Attempt.__table__.c.status.type),
                  submitted_at=bindparam("p_now", type_=Attempt.__table__.c.submitted_at.type)))


def finalize(attempt_id: int, status: AttemptStatus, now: datetime, actor=None) -> bool:
    """Close an in-progress attempt. True for the one caller that did it (and scored it);
    only that caller records the `attempt.finalize` audit event (`actor`: a user, or a user's id)."""
    actor_id = actor if isinstance(actor, int) else getattr(actor, "id", None)
    return close(db.session, attempt_id, status, now, actor_id) is not None


def close(executor, attempt_id: int, status: AttemptStatus, now: datetime, actor_id: int | None,
          rules: tuple | None = None) -> Scores | None:
    """finalize() on `executor` (the session, or the submit's fast path's connection, lms.exams.fast):
    the attempt's scores when this call closed it, None when another did. The answers were scored as
    they were saved; under the closing UPDATE they are read and totalled (grading.score_attempt).
    `rules`: as score_attempt() takes them."""
    result = executor.execute(_CLOSE, {"p_attempt": attempt_id, "p_status": status, "p_now": now})
    if result.rowcount != 1:
        return None
    scored = score_attempt(executor, attempt_id, now, rules)
    audit.record_row(executor, actor_id, "attempt.finalize", Attempt.__tablename__, attempt_id, status=status)
    return scored


def close_if_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if attempt.status == AttemptStatus.IN_PROGRESS and now > attempt.deadline + grace():
        closed = finalize(attempt.id, AttemptStatus.AUTO_SUBMITTED, now)
        db.session.refresh(attempt)
        return closed
    return False


def close_overdue(now: datetime | None = None, after_each=None) -> int:
    """Finalize every attempt past deadline + grace; returns how many this call closed.
    Safe to run concurrently (from cron every minute, on several hosts). `after_each()` runs after
    each attempt: the CLI commits there, so a sweep never holds the write lock (SQLite) or the row
    locks of many attempts while submits at the deadline wait for them."""
    now = now or utcnow()
    ids = db.session.scalars(select(Attempt.id).where(Attempt.status == AttemptStatus.IN_PROGRESS,
                                                      Attempt.deadline < now - grace()).order_by(Attempt.id)).all()
    closed = 0
    for attempt_id in ids:
        closed += finalize(attempt_id, AttemptStatus.AUTO_SUBMITTED, now)
        if after_each is not None:
            after_each()
    return closed


# ---- reading -----------------------------------------------------------------------------

def own_attempts(actor) -> Any:
    return select(Attempt).where(Attempt.user_id == actor.id)


def get_attempt(actor, attempt_id: int) -> Attempt:
    """The actor's own attempt (anyone else's is 404); closes it first if overdue."""
    attempt = one_or_404(own_attempts(actor).where(Attempt.id == attempt_id))
    close_if_overdue(attempt)
    return attempt


def open_attempt(exam_id: int, user_id: int) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(Attempt.exam_id == exam_id, Attempt.user_id == user_id,
                                                   Attempt.status == AttemptStatus.IN_PROGRESS))


def attempts_of(exam_id: int, user_id: int) -> list[Attempt]:
    return list(db.session.scalars(select(Attempt).where(Attempt.exam_id == exam_id, Attempt.user_id == user_id)
                                   .order_by(Attempt.number)))


# ---- starting ----------------------------------------------------------------------------

def start_refusal(actor, exam: Exam, now: datetime, previous: list[Attempt]):
    """Why the trainee may not start a new sitting now (a lazily translated sentence), or None."""
    if now < exam.opens_at:
        return _l("考试尚未开始")
    if now >= exam.closes_at:
        return _l("考试已结束")
    if any(a.passed for a in previous):
        return _l("您已通过本考试")
    if len(previous) >= exam.attempts_allowed:
        return _l("您的作答次数已用完")
    if any(a.status in FINAL_STATUSES for a in previous):
        return _l("上一次答卷尚未评分完成，补考须等待成绩公布")
    if previous and not any(a.status == AttemptStatus.GRADED and a.passed is False for a in previous):
        return _l("只有未通过的学员可以补考")
    if exam.requires_attendance:
        application = enrollment(actor, exam.cohort)
        if application is None or not attendance_requirement_met(application):
            return _l("出勤未达到本考试要求的比例，暂不能参加考试")
    return None


def start(actor, exam_id: int, *, ip: str | None = None, user_agent: str | None = None) -> tuple[Attempt, bool]:
    """Start a sitting, or return the open one. Returns (attempt, created)."""
    exam = trainee_exam(actor, exam_id)
    now = utcnow()
    previous = attempts_of(exam.id, actor.id)
    for current in previous:
        if current.status == AttemptStatus.IN_PROGRESS:
            close_if_overdue(current, now)
            if current.status == AttemptStatus.IN_PROGRESS:
                return current, False
    refusal = start_refusal(actor, exam, now, previous)
    if refusal:
        raise Conflict(refusal)
    seed = secrets.randbits(31)
    rng = random.Random(seed)  # noqa: S311 - a reproducible order, not a secret
    drawn = papers.draw(exam, rng)
    if not drawn:
        raise Conflict(_l("试卷尚未设置，请联系承办机构"))
    deadline = min(now + timedelta(minutes=exam.duration_minutes + extension_minutes(exam.id, actor.id)),
                   exam.closes_at)
    # Everything is read and built before the first write, so the write transaction stays short.
    revisions = public_revisions((d.revision_id, d.created_at) for d in drawn)
    rows = []
    for position, item in enumerate(drawn, 1):
        keys = list(revisions[item.revision_id].keys)
        if exam.shuffle_options and revisions[item.revision_id].type in papers.CHOICE_TYPES:
            rng.shuffle(keys)
        rows.append(dict(position=position, question_id=item.question_id, revision_id=item.revision_id,
                         category_id=item.category_id, option_order=keys, points=item.points, seq=0,
                         grader_comment="", **UNANSWERED))
    attempt = Attempt(exam=exam, user_id=actor.id, number=len(previous) + 1, status=AttemptStatus.IN_PROGRESS,
                      bank_letters=False, seed=seed, started_at=now, deadline=deadline,
                      max_score=sum(d.points for d in drawn), ip=ip, user_agent=(user_agent or "")[:255] or None,
                      tab_switches=0)
    try:
        db.session.add(attempt)
        db.session.flush()
    except IntegrityError:  # a concurrent start of the same sitting won; resume that one
        db.session.rollback()
        current = open_attempt(exam.id, actor.id)
        if current is None:
            raise Conflict(_l("请勿重复开始考试，请刷新页面")) from None
        return current, False
    for row in rows:
        row["attempt_id"] = attempt.id
    db.session.execute(insert(AttemptItem.__table__), rows)
    attempt.fresh_paper = [(row, revisions[row["revision_id"]]) for row in rows]  # lets the reply skip a re-read
    audit.record(actor, "attempt.start", attempt, exam_id=exam.id, number=attempt.number,
                 deadline=deadline.isoformat())
    return attempt, True


# ---- saving ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SaveResult:
    question_id: int
    seq: int
    applied: bool
    saved_at: datetime | None
    now: datetime
    deadline: datetime


def _check_response(response: Any, seq: Any) -> None:
    if not isinstance(seq, int) or isinstance(seq, bool) or not (1 <= seq < 2**62):
        raise ValidationFailed(_l("seq 应为正整数（每次保存递增）"), {"seq": _l("应为正整数")})
    if len(json.dumps(response, ensure_ascii=False)) > MAX_RESPONSE_CHARS:
        raise ValidationFailed(_l("答案过长"), {"response": _l("不能超过 %(n)s 字", n=MAX_RESPONSE_CHARS)})


def save_answer(actor, attempt_id: int, question_id: int, response: Any, seq: Any, *,
                ip: str | None = None, user_agent: str | None = None) -> SaveResult:
    """Store the answer unless a newer one (higher seq) is already stored. The response is in
    the keys the trainee sees and is stored in the bank's (lms.exams.responses).
    Raises AttemptClosed when the attempt is closed or past deadline + grace."""
    return store_answer(db.session, {"p_owner": actor.id}, attempt_id, question_id, response, seq,
                        ip=ip, user_agent=user_agent, grace_period=grace())


def _save_statements():
    """The save's statements, built once (building and hashing a statement cost more than running it).

    A save and a submit serialize on the attempt's row, so a save is either in the score or refused
    (409), never acknowledged and then lost. On PostgreSQL the save's read takes the row FOR SHARE
    (saves of one attempt do not wait for each other; the closing UPDATE waits for them, and a save
    that waited for a close reads the closed row). On SQLite, where writers take turns, the store
    itself requires the attempt open, in the same statement."""
    attempts, items, revisions, exams = (Attempt.__table__, AttemptItem.__table__, QuestionRevision.__table__,
                                         Exam.__table__)
    columns = (attempts.c.id, attempts.c.status, attempts.c.ip, attempts.c.user_agent, attempts.c.deadline,
               attempts.c.bank_letters, items.c.option_order, items.c.points, revisions.c.type,
               revisions.c.created_at, exams.c.multiple_partial)
    joined = attempts.join(exams, exams.c.id == attempts.c.exam_id) \
        .outerjoin(items, (items.c.attempt_id == attempts.c.id) & (items.c.revision_id == bindparam("p_question"))) \
        .outerjoin(revisions, revisions.c.id == items.c.revision_id)
    read = select(*columns).select_from(joined).where(attempts.c.id == bindparam("p_attempt")) \
        .with_for_update(read=True, of=attempts)
    is_open = exists().where(attempts.c.id == bindparam("p_attempt"), attempts.c.status == AttemptStatus.IN_PROGRESS,
                             attempts.c.deadline >= bindparam("p_earliest", type_=attempts.c.deadline.type))
    item = (items.c.attempt_id == bindparam("p_attempt")) & (items.c.revision_id == bindparam("p_question"))
    store = update(items).where(item, items.c.seq < bindparam("p_seq"), is_open) \
        .values(response=bindparam("p_response", type_=items.c.response.type), seq=bindparam("p_seq"),
                saved_at=bindparam("p_now", type_=items.c.saved_at.type), score=bindparam("p_score"),
                needs_manual=bindparam("p_manual"), graded_at=bindparam("p_graded_at", type_=items.c.graded_at.type))
    stored = select(items.c.seq, items.c.saved_at, is_open.label("open")).where(item)
    return {"by_id": read.where(attempts.c.user_id == bindparam("p_owner")),
            "by_token": read.where(attempts.c.user_id == token_user_id_clause()),
            "store": store, "stored": stored, "moved": update(attempts).where(attempts.c.id == bindparam("p_attempt"))}


_SAVE = _save_statements()


def store_answer(executor, owner: dict, attempt_id: int, question_id: int, response: Any, seq: Any, *,
                 ip: str | None, user_agent: str | None, grace_period: timedelta) -> SaveResult:
    """save_answer() on `executor` (the session, or a connection of the save's fast path,
    lms.exams.fast) for the attempt of `owner`: {"p_owner": the actor's id}, or {"digest": a bearer
    token's digest, "now": now} for the user of that live token, resolved in the same statement
    (lms.auth.tokens). Adds and flushes only; the caller commits. Refusals raise: NotFound (no such
    attempt of this owner, or no such question in it), ValidationFailed (seq, size, shape), AttemptClosed."""
    _check_response(response, seq)
    now = utcnow()
    # The hot path: prebuilt Core statements, no ORM objects; the attempt and the item in one read.
    ids = {"p_attempt": attempt_id, "p_question": question_id}
    attempt = executor.execute(_SAVE["by_id" if "p_owner" in owner else "by_token"], {**ids, **owner}).first()
    if attempt is None:
        raise NotFound(_l("未找到该答卷，或您无权查看"))
    if attempt.type is None:
        raise NotFound(_l("本答卷中没有这道题"))
    earliest = now - grace_period
    if attempt.status != AttemptStatus.IN_PROGRESS or attempt.deadline < earliest:
        raise AttemptClosed(handed_in=attempt.status != AttemptStatus.IN_PROGRESS)
    response = responses.to_stored(attempt.type, response, attempt.option_order, attempt.bank_letters)
    # Scored as it is stored (grading.UNANSWERED): the submit at the deadline then only totals.
    revision = grading_revisions([(question_id, attempt.created_at)], executor)[question_id]
    score, manual = item_score(revision, attempt.points, response, bool(attempt.multiple_partial))
    stored = executor.execute(_SAVE["store"], {**ids, "p_seq": seq, "p_response": response, "p_now": now,
                                               "p_earliest": earliest, "p_score": score, "p_manual": manual,
                                               "p_graded_at": now if score is not None else None})
    current = None
    if stored.rowcount != 1:  # a newer answer is stored, or (SQLite) the attempt closed since the read
        current = executor.execute(_SAVE["stored"], {**ids, "p_earliest": earliest}).one()
        if not current.open:
            raise AttemptClosed()
    _record_moves(executor, attempt, attempt_id, ip, user_agent, now)
    if current is None:
        return SaveResult(question_id, seq, True, now, now, attempt.deadline)
    return SaveResult(question_id, current.seq, False, current.saved_at, now, attempt.deadline)


def _record_moves(executor, attempt, attempt_id: int, ip: str | None, user_agent: str | None, now: datetime) -> None:
    """A save from another address or browser than the attempt's last: noted for the proctor. (On
    PostgreSQL this UPDATE raises the read's share lock; two such saves of one attempt at the same
    instant can deadlock, and PostgreSQL refuses one: the app's 503, which the page sends again.)"""
    values: dict[str, Any] = {}
    moved = []
    if ip and attempt.ip and ip != attempt.ip:
        moved.append((IntegrityKind.IP_CHANGE, {"from": attempt.ip, "to": ip}))
        values["ip"] = ip
    ua = (user_agent or "")[:255]
    if ua and attempt.user_agent and ua != attempt.user_agent:
        moved.append((IntegrityKind.USER_AGENT_CHANGE, {"from": attempt.user_agent, "to": ua}))
        values["user_agent"] = ua
    if moved:
        executor.execute(_SAVE["moved"].values(**values), {"p_attempt": attempt_id})
        executor.execute(insert(IntegrityEvent.__table__), [
            {"attempt_id": attempt_id, "kind": kind, "at": now, "detail": detail} for kind, detail in moved])


# ---- submitting --------------------------------------------------------------------------

def submit(actor, attempt_id: int) -> Attempt:
    """Hand in. Idempotent: a second call (other tab, retry) returns the attempt as it is."""
    hand_in(db.session, {"p_owner": actor.id}, attempt_id, grace_period=grace())
    attempt = db.session.get(Attempt, attempt_id)
    db.session.expire(attempt)  # read again when next used
    return attempt


def _sheet_statements():
    """The submit's read of the attempt and what its reply shows of the exam, built once."""
    attempts, exams = Attempt.__table__, Exam.__table__
    sheet = (select(attempts.c.id, attempts.c.user_id, attempts.c.exam_id, attempts.c.number, attempts.c.status,
                    attempts.c.started_at, attempts.c.deadline, attempts.c.submitted_at, attempts.c.score,
                    attempts.c.max_score, attempts.c.passed, attempts.c.bank_letters, exams.c.title.label("exam_title"),
                    exams.c.release_policy, exams.c.released_at, exams.c.closes_at, *exam_rules())
             .join(exams, exams.c.id == attempts.c.exam_id).where(attempts.c.id == bindparam("p_attempt")))
    sheet = with_programme(sheet)  # the scoring rules come with the first read
    return {"by_id": sheet.where(attempts.c.user_id == bindparam("p_owner")),
            "by_token": sheet.where(attempts.c.user_id == token_user_id_clause()), "again": sheet}


SHEET = _sheet_statements()


@dataclass(frozen=True)
class HandedIn:
    """What a submit found and did, in plain values: the API's reply is built from it
    (lms.exams.present.submitted_json) by the app and by the fast path alike. `sheet`: the attempt
    and its exam (SHEET's columns) as read first, or as this call closed it; `items`: the paper with
    its final answers (READ_ITEMS) when this call closed it and the reply shows the paper."""

    sheet: Any
    items: list | None = None


def hand_in(executor, owner: dict, attempt_id: int, *, grace_period: timedelta, paper: bool = True) -> HandedIn:
    """Submit the attempt of `owner` on `executor` (the session, or a connection of the submit's
    fast path, lms.exams.fast): {"p_owner": the actor's id}, or {"digest": a bearer token's digest,
    "now": now} for the user of that live token, resolved in the first statement (lms.auth.tokens),
    as in store_answer(). After deadline + grace the attempt closes as auto_submitted. Idempotent:
    an attempt already closed scores nothing (the closing UPDATE decides between concurrent calls).
    `paper`: the reply shows the paper, read here in the same transaction (cheaper than after it).
    Raises NotFound (no such attempt of this owner); the caller commits."""
    now = utcnow()
    sheet = executor.execute(SHEET["by_id" if "p_owner" in owner else "by_token"],
                             {"p_attempt": attempt_id, **owner}).first()
    if sheet is None:
        raise NotFound(_l("未找到该对象，或您无权查看"))
    if sheet.status != AttemptStatus.IN_PROGRESS:
        return HandedIn(sheet)
    status = AttemptStatus.SUBMITTED if now <= sheet.deadline + grace_period else AttemptStatus.AUTO_SUBMITTED
    scored = close(executor, attempt_id, status, now, sheet.user_id, (sheet.multiple_partial, sheet.pass_mark))
    if scored is None:  # another caller closed it: the reply reads it as it now is
        return HandedIn(sheet)
    # As this call wrote it (it holds the row until it commits): the reply need not read it again.
    closed = {"status": status, "submitted_at": now}
    if not scored.pending:  # complete: grading.score_attempt() marked it graded
        closed |= {"status": AttemptStatus.GRADED, **verdict(scored.total, scored.maximum, scored.pass_mark)}
    items = executor.execute(READ_ITEMS, {"p_attempt": attempt_id}).all() if paper else None
    return HandedIn(SimpleNamespace(**{**sheet._asdict(), **closed}), items)
