"""Applications: apply (with the eligibility verdict), nominate and confirm, invitations from a
roster (accept or decline), recommend, decide with atomic capacity and waitlist, withdraw.

Capacity is a counter on the cohort. Taking a seat is ONE conditional UPDATE
(`seats_taken = seats_taken + 1 WHERE seats_taken < capacity`), and every status change is a
conditional UPDATE on the expected old status, so two staff deciding at once cannot
overbook a cohort or decide one application twice, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, false, func, or_, select, update

from lms.core import audit
from lms.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from lms.core.permissions import enterprise_ids, institution_ids, is_admin, one_or_404, require_role
from lms.core.time import utcnow
from lms.enrollment.cohorts import can_manage, local_today, require_manage
from lms.enrollment.enums import ApplicationStatus as S
from lms.enrollment.enums import Decision
from lms.enrollment.models import Application, Cohort
from lms.enrollment.profiles import profile_facts, profile_of
from lms.extensions import db
from lms.notifications.services import message, notify
from lms.orgs.scope import region_clause
from lms.programs.eligibility import evaluate, verdict_json

DECIDABLE = {  # decision -> statuses it may be taken from
    Decision.APPROVE: (S.ELIGIBLE, S.REVIEW, S.WAITLISTED),
    Decision.REJECT: (S.ELIGIBLE, S.REVIEW, S.INELIGIBLE, S.WAITLISTED, S.APPROVED),
    Decision.WAITLIST: (S.ELIGIBLE, S.REVIEW),
}
WITHDRAWABLE = (S.NOMINATED, S.ELIGIBLE, S.REVIEW, S.INELIGIBLE, S.WAITLISTED, S.APPROVED)
AWAITING = (S.ELIGIBLE, S.REVIEW)  # the rule engine has spoken; staff have not decided yet
RECOMMENDABLE = (S.ELIGIBLE, S.REVIEW, S.INELIGIBLE, S.WAITLISTED)
ANSWERABLE = (S.NOMINATED, S.INVITED)  # waiting for the person's own yes or no
# An invitation from a roster is the person's business until they accept: staff, bureaus and
# employers never see it (nor whether the ID number on the roster belongs to anyone).
PRIVATE = (S.INVITED, S.DECLINED)
REAPPLICABLE = (S.WITHDRAWN, S.DECLINED)

NOMINATED = message("enrollment.nominated", _l("您的单位推荐您参加“%(cohort)s”，请确认报名"))
INVITED = message("enrollment.invited", _l("“%(institution)s”邀请您参加“%(cohort)s”，请确认是否参加"))
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


# ---- reading within scope -------------------------------------------------------------

def visible_applications(actor) -> Select:
    """Admin all; bureau: cohorts in its region subtree; institution: its cohorts; enterprise HR:
    its employees' applications; trainee: its own. Invitations not yet accepted (or declined) are
    the invitee's alone, whoever else asks."""
    stmt = select(Application).join(Cohort, Application.cohort_id == Cohort.id).order_by(Application.id)
    if is_admin(actor):
        return stmt.where(or_(Application.status.not_in(PRIVATE), Application.user_id == actor.id))
    clauses = []
    if actor.grants_for("bureau"):
        clauses.append(region_clause(actor, Cohort.region_id))
    if own := institution_ids(actor, "institution"):
        clauses.append(Cohort.institution_id.in_(sorted(own)))
    if firms := enterprise_ids(actor):
        clauses.append(Application.enterprise_id.in_(sorted(firms)))
    staff = and_(or_(*clauses), Application.status.not_in(PRIVATE)) if clauses else false()
    if actor.has_role("trainee"):
        return stmt.where(or_(staff, Application.user_id == actor.id))
    return stmt.where(staff)


def get_application(actor, application_id: int) -> Application:
    return one_or_404(visible_applications(actor).where(Application.id == application_id))


def get_for_review(actor, application_id: int) -> Application:
    """An application the actor reviews (institution, bureau, admin); anyone else: not found."""
    application = get_application(actor, application_id)
    if not is_reviewer(actor, application):
        raise NotFound(_l("报名不存在"))
    return application


def own_applications(actor) -> list[Application]:
    return list(db.session.scalars(select(Application).where(Application.user_id == actor.id)
                                   .order_by(Application.submitted_at.desc())))


def employee_applications(actor) -> list[Application]:
    """Enterprise HR: the applications of its employees it may see, newest first."""
    return list(db.session.scalars(visible_applications(actor).order_by(None)
                                   .order_by(Application.submitted_at.desc(), Application.id.desc())))


def cohort_applications(actor, cohort: Cohort, status: str = "") -> list[Application]:
    """A cohort's applications the actor may see, optionally of one status."""
    stmt = visible_applications(actor).where(Application.cohort_id == cohort.id)
    if (member := S.get(status)) is not None:
        stmt = stmt.where(Application.status == member)
    return list(db.session.scalars(stmt))


def status_counts(actor, cohort: Cohort) -> dict[S, int]:
    """How many of the cohort's applications (that the actor may see) are in each status."""
    visible = visible_applications(actor).where(Application.cohort_id == cohort.id).order_by(None).subquery()
    rows = db.session.execute(select(visible.c.status, func.count()).group_by(visible.c.status))
    return {S(status): count for status, count in rows}


def awaiting_applications(actor, cohort_id: int | None = None, status: str = "",
                          recommended: bool | None = None) -> Select:
    """Applications in the actor's scope that wait for a staff decision, across cohorts, newest
    first; narrowed to one cohort, one of the AWAITING statuses, or (not) yet recommended."""
    stmt = (visible_applications(actor).where(Application.status.in_(AWAITING))
            .order_by(None).order_by(Application.submitted_at.desc(), Application.id.desc()))
    if cohort_id is not None:
        stmt = stmt.where(Application.cohort_id == cohort_id)
    if status in AWAITING:
        stmt = stmt.where(Application.status == status)
    if recommended is not None:
        column = Application.recommended_at
        stmt = stmt.where(column.is_not(None) if recommended else column.is_(None))
    return stmt


def count(stmt: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def is_reviewer(actor, application: Application) -> bool:
    """Staff who review this application (and may see its documents)."""
    if application.status in PRIVATE:
        return False
    cohort = application.cohort
    if can_manage(actor, cohort):
        return True
    return bool(actor.grants_for("bureau")) and db.session.scalar(
        select(Cohort.id).where(Cohort.id == cohort.id, region_clause(actor, Cohort.region_id))) is not None


def can_recommend(actor, application: Application) -> bool:
    return (actor.has_role("bureau") and application.recommended_at is None
            and application.status in RECOMMENDABLE)


# ---- applying ---------------------------------------------------------------------------

def _verdict_for(user, cohort: Cohort) -> dict:
    profile = profile_of(user)
    if profile is None:
        raise ValidationFailed(_l("请先完善个人资料再报名"), {"profile": _l("个人资料未填写")})
    return evaluate(cohort.program.eligibility_rules, profile_facts(profile)).as_json()


def apply(actor, cohort: Cohort) -> Application:
    """A trainee applies to an open cohort; the rules run at once and their verdict is kept."""
    require_role(actor, "trainee")
    if not cohort.taking_applications(local_today()):
        raise Conflict(_l("该班次当前不在报名期内"))
    existing = db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                           Application.user_id == actor.id))
    if existing is not None and existing.status == S.NOMINATED:
        raise Conflict(_l("您的单位已为您报名该班次，请在“我的报名”中确认"))
    if existing is not None and existing.status == S.INVITED:
        raise Conflict(_l("承办机构已邀请您参加该班次，请在“我的报名”中确认"))
    if existing is not None and existing.status not in REAPPLICABLE:
        raise Conflict(_l("您已报名该班次"))
    verdict = _verdict_for(actor, cohort)
    application = existing or Application(cohort=cohort, user_id=actor.id)
    application.status, application.eligibility = verdict["result"], verdict
    application.enterprise_id = profile_of(actor).enterprise_id
    application.submitted_at, application.withdrawn_at = utcnow(), None
    application.decided_at = application.decided_by_id = application.waitlisted_at = None
    db.session.add(application)
    audit.record(actor, "application.submit", application, cohort=cohort.code, result=verdict["result"])
    return application


# Checks a later domain adds (certificates: "already certified"): fn(user_id, cohort) -> [warning, ...]
NOMINATION_WARNINGS: list = []


def add_nomination_warning(check) -> None:
    if check not in NOMINATION_WARNINGS:
        NOMINATION_WARNINGS.append(check)


def nomination_warnings(trainee_id: int, cohort: Cohort) -> list:
    """What HR should know before nominating this person to this cohort (shown for confirmation)."""
    return [warning for check in NOMINATION_WARNINGS for warning in check(trainee_id, cohort)]


def nominate(actor, cohort: Cohort, trainee) -> Application:
    """Enterprise HR puts an employee forward; the application waits for the trainee's confirmation."""
    require_role(actor, "enterprise")
    profile = profile_of(trainee)
    if profile is None or profile.enterprise_id not in enterprise_ids(actor):
        raise ValidationFailed(_l("只能推荐本企业员工"), {"trainee": _l("该学员的个人资料中所在单位不是本企业")})
    if not cohort.taking_applications(local_today()):
        raise Conflict(_l("该班次当前不在报名期内"))
    existing = db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                           Application.user_id == trainee.id))
    if existing is not None and existing.status not in REAPPLICABLE:
        raise Conflict(_l("该员工已报名该班次"))
    application = existing or Application(cohort=cohort, user_id=trainee.id)
    application.status, application.eligibility = S.NOMINATED, None
    application.enterprise_id, application.nominated_by_id = profile.enterprise_id, actor.id
    application.submitted_at, application.withdrawn_at = utcnow(), None
    db.session.add(application)
    audit.record(actor, "application.nominate", application, cohort=cohort.code)
    notify(trainee.id, NOMINATED, link(application), cohort=cohort.title)
    return application


def answer(actor, application: Application, accept: bool) -> Application:
    """The person's own yes or no to an enterprise's nomination or an institution's invitation."""
    if application.user_id != actor.id:
        raise Forbidden(_l("只能确认本人的报名"))
    if application.status not in ANSWERABLE:
        raise Conflict(_l("该报名不在待确认状态"))
    if application.status == S.INVITED:
        return _answer_invitation(actor, application, accept)
    if not accept:
        return withdraw(actor, application)
    verdict = _verdict_for(actor, application.cohort)
    if not _transition(application, (S.NOMINATED,), status=verdict["result"], eligibility=verdict,
                       submitted_at=utcnow()):
        raise Conflict(_l("该报名状态已变化，请刷新后重试"))
    audit.record(actor, "application.confirm", application, result=verdict["result"])
    return application


def _answer_invitation(actor, application: Application, accept: bool) -> Application:
    """Accepting takes a seat then (approved; waitlisted when the cohort is full by now); the
    verdict of the rules is kept for the record, as for any enrollment. Declining leaves no
    trace the institution can see."""
    now = utcnow()
    if not accept:
        if not _transition(application, (S.INVITED,), status=S.DECLINED, withdrawn_at=now):
            raise Conflict(_l("该报名状态已变化，请刷新后重试"))
        audit.record(actor, "application.decline", application)
        return application
    verdict = _verdict_for(actor, application.cohort)
    status = S.APPROVED if _take_seat(application.cohort_id) else S.WAITLISTED
    values: dict[str, Any] = {"status": status, "eligibility": verdict, "submitted_at": now,
                              "enterprise_id": profile_of(actor).enterprise_id}
    if status == S.APPROVED:
        values.update(decided_at=now)
    else:
        values.update(waitlisted_at=now)
    if not _transition(application, (S.INVITED,), **values):
        raise Conflict(_l("该报名状态已变化，请刷新后重试"))  # rolls back the seat with the request
    audit.record(actor, "application.accept", application, status=status)
    return application


def recommend(actor, application: Application, note: str = "") -> Application:
    """A district bureau recommends an application in its region, once (no status change)."""
    require_role(actor, "bureau", "admin")
    if not is_reviewer(actor, application):
        raise Forbidden(_l("只能推荐本辖区班次的报名"))
    if application.status not in RECOMMENDABLE:
        raise Conflict(_l("该报名当前不可推荐"))
    if application.recommended_at is not None:
        raise Conflict(_l("该报名已经推荐过"))
    application.recommended_by_id, application.recommended_at = actor.id, utcnow()
    audit.record(actor, "application.recommend", application, note=note)
    return application


# ---- deciding -----------------------------------------------------------------------------

def _transition(application: Application, from_statuses, **values) -> bool:
    """Conditional status change: applies only if the row is still in one of `from_statuses`."""
    result = db.session.execute(
        update(Application).where(Application.id == application.id, Application.status.in_(from_statuses))
        .values(**values).execution_options(synchronize_session=False))
    db.session.expire(application)
    return result.rowcount == 1


def _take_seat(cohort_id: int) -> bool:
    result = db.session.execute(
        update(Cohort).where(Cohort.id == cohort_id, Cohort.seats_taken < Cohort.capacity)
        .values(seats_taken=Cohort.seats_taken + 1).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _give_back_seat(cohort_id: int) -> None:
    db.session.execute(update(Cohort).where(Cohort.id == cohort_id, Cohort.seats_taken > 0)
                       .values(seats_taken=Cohort.seats_taken - 1).execution_options(synchronize_session=False))


def _promote(actor, candidate: Application) -> bool:
    """Approve a waitlisted applicant (the page says 候补递补: approved, with a waitlist date)."""
    if not _transition(candidate, (S.WAITLISTED,), status=S.APPROVED, decided_at=utcnow(),
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
        if not _take_seat(cohort_id):
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
        if _take_seat(cohort.id):  # the first write: the seat, atomically
            if not _transition(application, (old,), status=S.APPROVED, **by):
                raise Conflict(_l("该报名已被他人处理，请刷新后重试"))  # rolls back the seat with the request
        elif old == S.WAITLISTED:
            raise Conflict(_l("名额已满，该申请人仍在候补中"))
        else:
            decision = Decision.WAITLIST
    if decision == Decision.WAITLIST:
        if not _transition(application, (old,), status=S.WAITLISTED, waitlisted_at=now, **by):
            raise Conflict(_l("该报名已被他人处理，请刷新后重试"))
    if decision == Decision.REJECT:
        if not _transition(application, (old,), status=S.REJECTED, **by):
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
    if not _transition(application, (old,), status=S.WITHDRAWN, withdrawn_at=utcnow()):
        raise Conflict(_l("该报名状态已变化，请刷新后重试"))
    if old == S.APPROVED:
        _free_seat(actor, application.cohort_id)
    audit.record(actor, "application.withdraw", application, previous=old)
    return application


def enrollment(user, cohort: Cohort) -> Application | None:
    """The user's approved application (enrollment) in the cohort, if any."""
    return db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                       Application.user_id == user.id,
                                                       Application.status == S.APPROVED))


def is_enrolled(user, cohort: Cohort) -> bool:
    return enrollment(user, cohort) is not None


def application_json(application: Application) -> dict:
    return {"id": application.id, "cohort_code": application.cohort.code, "status": application.status,
            "eligibility": verdict_json(application.eligibility)}
