"""Deciding applications: approve, waitlist or reject (one by one or in bulk), seats and the
waitlist, the final assignment's result, withdrawal.

Capacity is a counter on the cohort. Taking a seat is ONE conditional UPDATE
(`seats_taken = seats_taken + 1 WHERE seats_taken < capacity`), and every status change is a
conditional UPDATE on the expected old status, so two staff deciding at once cannot
overbook a cohort or decide one application twice, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from lms.core import audit
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.time import utcnow
from lms.enrollment.cohorts import require_manage
from lms.enrollment.enums import ApplicationStatus as S
from lms.enrollment.enums import Decision
from lms.enrollment.models import Application, Cohort
from lms.extensions import db
from lms.notifications.services import message, notify

DECIDABLE = {  # decision -> statuses it may be taken from
    Decision.APPROVE: (S.ELIGIBLE, S.REVIEW, S.WAITLISTED),
    Decision.REJECT: (S.ELIGIBLE, S.REVIEW, S.INELIGIBLE, S.WAITLISTED, S.APPROVED),
    Decision.WAITLIST: (S.ELIGIBLE, S.REVIEW),
}
WITHDRAWABLE = (S.NOMINATED, S.ELIGIBLE, S.REVIEW, S.INELIGIBLE, S.WAITLISTED, S.APPROVED)

PROMOTED = message("enrollment.promoted", _l("有名额空出，您已由候补转为录取：%(cohort)s"))
DECIDED = {
    Decision.APPROVE: message("enrollment.approved", _l("恭喜，您已被录取：%(cohort)s")),
    Decision.WAITLIST: message("enrollment.waitlisted", _l("名额已满，您已进入候补名单：%(cohort)s")),
    Decision.REJECT: message("enrollment.rejected", _l("很遗憾，您未被录取：%(cohort)s")),
}
DECIDED_WITH_NOTE = {
    Decision.APPROVE: message("enrollment.approved_note", _l("恭喜，您已被录取：%(cohort)s（%(note)s）")),
    Decision.WAITLIST: message("enrollment.waitlisted_note", _l("名额已满，您已进入候补名单：%(cohort)s（%(note)s）")),
    Decision.REJECT: message("enrollment.rejected_note", _l("很遗憾，您未被录取：%(cohort)s（%(note)s）")),
}
ASSIGNMENT_PASSED = message("enrollment.assignment_passed", _l("您的结业作业评定结果：合格（%(cohort)s）"))
ASSIGNMENT_FAILED = message("enrollment.assignment_failed", _l("您的结业作业评定结果：不合格（%(cohort)s）"))



def link(application: Application) -> str:
    return f"/my/applications/{application.id}"


def transition(application: Application, from_statuses, **values) -> bool:
    """Conditional status change: applies only if the row is still in one of `from_statuses`."""
    result = db.session.execute(
        update(Application).where(Application.id == application.id, Application.status.in_(from_statuses))
        .values(**values).execution_options(synchronize_session=False))
    db.session.expire(application)
    return result.rowcount == 1


def take_seat(cohort_id: int) -> bool:
    result = db.session.execute(
        update(Cohort).where(Cohort.id == cohort_id, Cohort.seats_taken < Cohort.capacity)
        .values(seats_taken=Cohort.seats_taken + 1).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _give_back_seat(cohort_id: int) -> None:
    db.session.execute(update(Cohort).where(Cohort.id == cohort_id, Cohort.seats_taken > 0)
                       .values(seats_taken=Cohort.seats_taken - 1).execution_options(synchronize_session=False))


def _promote(actor, candidate: Application) -> bool:
    """Approve a waitlisted applicant (the page says 候补递补: approved, with a waitlist date)."""
    if not transition(candidate, (S.WAITLISTED,), status=S.APPROVED, decided_at=utcnow(),
                       decided_by_id=getattr(actor, "id", None), decision_note=""):
        return False
    audit.record(actor, "application.promote", candidate)
    notify(candidate.user_id, PROMOTED, link(candidate), cohort=candidate.cohort.title)
    return True


def _waiting(cohort_id: int) -> list[Application]:
    return list(db.session.scalars(select(Application).where(
        Application.cohort_id == cohort_id, Application.status == S.WAITLISTED)
        .order_by(Application.waitlisted_at, Application.id)))


def _free_seat(actor, cohort_id: int) -> Application | None:
    """A seat came free: the first waitlisted applicant takes it, else the counter goes down."""
    for candidate in _waiting(cohort_id):
        if _promote(actor, candidate):
            return candidate
    _give_back_seat(cohort_id)
    return None


def fill_free_seats(actor, cohort_id: int) -> list[Application]:
    """Seats came free without a withdrawal (the capacity grew): waitlisted applicants take them,
    in waitlist order, each with a conditional seat UPDATE."""
    promoted = []
    for candidate in _waiting(cohort_id):
        if not take_seat(cohort_id):
            break
        if _promote(actor, candidate):
            promoted.append(candidate)
        else:  # decided by someone else meanwhile: give the seat back
            _give_back_seat(cohort_id)
    return promoted


def decide(actor, application: Application, decision: str, note: str = "") -> Application:
    """Institution staff (or admin) approve, reject (with a reason) or waitlist. Approving a
    full cohort waitlists instead. Rejecting an approved application frees its seat."""
    cohort = application.cohort
    require_manage(actor, cohort)
    decision = Decision.get(decision)
    if decision is None:
        raise ValidationFailed(_l("审核结果无效"), {"decision": _l("应为 approve、reject 或 waitlist")})
    note = (note or "").strip()
    if decision == Decision.REJECT and not note:
        raise ValidationFailed(_l("请填写不予录取的理由"), {"note": _l("请填写不予录取的理由")})
    if application.status not in DECIDABLE[decision]:
        if application.status == S.INELIGIBLE and decision != Decision.REJECT:
            raise Conflict(_l("申请人不符合任职条件，只能不予录取"))
        raise Conflict(_l("该报名当前状态为“%(status)s”，不能执行此操作", status=application.status.label))
    old = application.status
    now, by = utcnow(), {"decided_at": utcnow(), "decided_by_id": actor.id, "decision_note": note}
    if decision == Decision.APPROVE:
        if take_seat(cohort.id):  # the first write: the seat, atomically
            if not transition(application, (old,), status=S.APPROVED, **by):
                raise Conflict(_l("该报名已被他人处理，请刷新后重试"))  # rolls back the seat with the request
        elif old == S.WAITLISTED:
            raise Conflict(_l("名额已满，该申请人仍在候补中"))
        else:
            decision = Decision.WAITLIST
    if decision == Decision.WAITLIST:
        if not transition(application, (old,), status=S.WAITLISTED, waitlisted_at=now, **by):
            raise Conflict(_l("该报名已被他人处理，请刷新后重试"))
    if decision == Decision.REJECT:
        if not transition(application, (old,), status=S.REJECTED, **by):
            raise Conflict(_l("该报名已被他人处理，请刷新后重试"))
        if old == S.APPROVED:
            _free_seat(actor, cohort.id)
    audit.record(actor, f"application.{decision}", application, note=note, previous=old)
    notify(application.user_id, (DECIDED_WITH_NOTE if note else DECIDED)[decision], link(application),
           cohort=cohort.title, note=note)
    return application


def approve_many(actor, cohort: Cohort, application_ids: list[int]) -> dict[str, list[Application]]:
    """Bulk approval from a cohort's queue: each chosen application is approved on its own (a
    savepoint each), in the order of submission; when the seats run out the rest are waitlisted
    and anything another reviewer changed meanwhile is left as it is. Returns the applications
    by outcome: "approved", "waitlisted", "skipped"."""
    require_manage(actor, cohort)
    chosen = list(db.session.scalars(select(Application).where(
        Application.cohort_id == cohort.id, Application.id.in_(sorted(set(application_ids)) or [-1]))
        .order_by(Application.submitted_at, Application.id)))
    if not chosen:
        raise ValidationFailed(_l("请先勾选要录取的报名"), {"applications": _l("请先勾选要录取的报名")})
    outcome: dict[str, list[Application]] = {"approved": [], "waitlisted": [], "skipped": []}
    for application in chosen:
        if application.status not in DECIDABLE[Decision.APPROVE]:
            outcome["skipped"].append(application)
            continue
        try:
            with db.session.begin_nested():
                decide(actor, application, Decision.APPROVE.value)
        except Conflict:
            db.session.refresh(application)
            outcome["skipped"].append(application)
            continue
        outcome["approved" if application.status == S.APPROVED else "waitlisted"].append(application)
        db.session.refresh(cohort, ["seats_taken"])
    return outcome


def record_assignment(actor, application: Application, passed: bool, note: str = "") -> Application:
    """Institution staff assess an enrolled trainee's final assignment (结业作业) as passed or not."""
    cohort = application.cohort
    require_manage(actor, cohort)
    if not cohort.program.assignment_required:
        raise Conflict(_l("本项目不要求结业作业"))
    if application.status != S.APPROVED:
        raise Conflict(_l("只能为已录取的学员评定结业作业"))
    previous = application.assignment_passed
    application.assignment_passed = bool(passed)
    application.assignment_assessed_at, application.assignment_assessed_by_id = utcnow(), actor.id
    audit.record(actor, "application.assignment", application, passed=bool(passed), previous=previous,
                 note=(note or "").strip())
    notify(application.user_id, ASSIGNMENT_PASSED if passed else ASSIGNMENT_FAILED, link(application),
           cohort=cohort.title)
    return application


def withdraw(actor, application: Application) -> Application:
    """The trainee withdraws; an approved seat goes to the first waitlisted applicant."""
    if application.user_id != actor.id:
        raise Forbidden(_l("只能撤回本人的报名"))
    old = application.status
    if old not in WITHDRAWABLE:
        raise Conflict(_l("该报名当前不能撤回"))
    if not transition(application, (old,), status=S.WITHDRAWN, withdrawn_at=utcnow()):
        raise Conflict(_l("该报名状态已变化，请刷新后重试"))
    if old == S.APPROVED:
        _free_seat(actor, application.cohort_id)
    audit.record(actor, "application.withdraw", application, previous=old)
    return application
