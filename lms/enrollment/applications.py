"""Applications: apply (with the eligibility verdict), nominate and confirm, recommend,
decide with atomic capacity and waitlist, withdraw.

Capacity is a counter on the cohort. Taking a seat is ONE conditional UPDATE
(`seats_taken = seats_taken + 1 WHERE seats_taken < capacity`), and every status change is a
conditional UPDATE on the expected old status, so two staff deciding at once cannot
overbook a cohort or decide one application twice, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, or_, select, update

from lms.core import audit
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.orgs.scope import region_clause
from lms.core.permissions import enterprise_ids, institution_ids, is_admin, one_or_404, require_role
from lms.core.time import utcnow
from lms.enrollment.cohorts import local_today
from lms.enrollment.models import Application, Cohort
from lms.notifications.services import message, notify
from lms.enrollment.profiles import profile_facts, profile_of
from lms.extensions import db
from lms.programs.eligibility import evaluate

DECIDABLE = {  # decision -> statuses it may be taken from
    "approve": ("eligible", "review", "waitlisted"),
    "reject": ("eligible", "review", "ineligible", "waitlisted", "approved"),
    "waitlist": ("eligible", "review"),
}
WITHDRAWABLE = ("nominated", "eligible", "review", "ineligible", "waitlisted", "approved")
AWAITING = ("eligible", "review")  # the rule engine has spoken; staff have not decided yet


NOMINATED = message("enrollment.nominated", _l("您的单位推荐您参加“%(cohort)s”，请确认报名"))
PROMOTED = message("enrollment.promoted", _l("有名额空出，您已由候补转为录取：%(cohort)s"))
DECIDED = {
    "approve": message("enrollment.approved", _l("恭喜，您已被录取：%(cohort)s")),
    "waitlist": message("enrollment.waitlisted", _l("名额已满，您已进入候补名单：%(cohort)s")),
    "reject": message("enrollment.rejected", _l("很遗憾，您未被录取：%(cohort)s")),
}
DECIDED_WITH_NOTE = {
    "approve": message("enrollment.approved_note", _l("恭喜，您已被录取：%(cohort)s（%(note)s）")),
    "waitlist": message("enrollment.waitlisted_note", _l("名额已满，您已进入候补名单：%(cohort)s（%(note)s）")),
    "reject": message("enrollment.rejected_note", _l("很遗憾，您未被录取：%(cohort)s（%(note)s）")),
}
ASSIGNMENT_PASSED = message("enrollment.assignment_passed", _l("您的结业作业评定结果：合格（%(cohort)s）"))
ASSIGNMENT_FAILED = message("enrollment.assignment_failed", _l("您的结业作业评定结果：不合格（%(cohort)s）"))


def _link(application: Application) -> str:
    return f"/my/applications/{application.id}"


# ---- reading within scope -------------------------------------------------------------

def visible_applications(actor) -> Select:
    """Admin all; bureau: cohorts in its region subtree; institution: its cohorts; enterprise HR:
    its employees' applications; trainee: its own."""
    stmt = select(Application).join(Cohort, Application.cohort_id == Cohort.id).order_by(Application.id)
    if is_admin(actor):
        return stmt
    clauses = []
    if actor.grants_for("bureau"):
        clauses.append(region_clause(actor, Cohort.region_id))
    if own := institution_ids(actor, "institution"):
        clauses.append(Cohort.institution_id.in_(sorted(own)))
    if firms := enterprise_ids(actor):
        clauses.append(Application.enterprise_id.in_(sorted(firms)))
    if actor.has_role("trainee"):
        clauses.append(Application.user_id == actor.id)
    return stmt.where(or_(*clauses) if clauses else false())


def get_application(actor, application_id: int) -> Application:
    return one_or_404(visible_applications(actor).where(Application.id == application_id))


def own_applications(actor) -> list[Application]:
    return list(db.session.scalars(select(Application).where(Application.user_id == actor.id)
                                   .order_by(Application.submitted_at.desc())))


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


def is_reviewer(actor, application: Application) -> bool:
    """Staff who review this application (and may see its documents)."""
    cohort = application.cohort
    if is_admin(actor) or cohort.institution_id in institution_ids(actor, "institution"):
        return True
    return bool(actor.grants_for("bureau")) and db.session.scalar(
        select(Cohort.id).where(Cohort.id == cohort.id, region_clause(actor, Cohort.region_id))) is not None


# ---- applying ---------------------------------------------------------------------------

def _verdict_for(user, cohort: Cohort) -> dict:
    profile = profile_of(user)
    if profile is None:
        raise ValidationFailed("请先完善个人资料再报名", {"profile": "个人资料未填写"})
    return evaluate(cohort.program.eligibility_rules, profile_facts(profile)).as_json()


def apply(actor, cohort: Cohort) -> Application:
    """A trainee applies to an open cohort; the rules run at once and their verdict is kept."""
    require_role(actor, "trainee")
    if not cohort.taking_applications(local_today()):
        raise Conflict("该班次当前不在报名期内")
    existing = db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                           Application.user_id == actor.id))
    if existing is not None and existing.status == "nominated":
        raise Conflict("您的单位已为您报名该班次，请在“我的报名”中确认")
    if existing is not None and existing.status != "withdrawn":
        raise Conflict("您已报名该班次")
    verdict = _verdict_for(actor, cohort)
    application = existing or Application(cohort=cohort, user_id=actor.id)
    application.status, application.eligibility = verdict["result"], verdict
    application.enterprise_id = profile_of(actor).enterprise_id
    application.submitted_at, application.withdrawn_at = utcnow(), None
    application.decided_at = application.decided_by_id = application.waitlisted_at = None
    db.session.add(application)
    audit.record(actor, "application.submit", application, cohort=cohort.code, result=verdict["result"])
    return application


def nominate(actor, cohort: Cohort, trainee) -> Application:
    """Enterprise HR puts an employee forward; the application waits for the trainee's confirmation."""
    require_role(actor, "enterprise")
    profile = profile_of(trainee)
    if profile is None or profile.enterprise_id not in enterprise_ids(actor):
        raise ValidationFailed("只能推荐本企业员工", {"trainee": "该学员的个人资料中所在单位不是本企业"})
    if not cohort.taking_applications(local_today()):
        raise Conflict("该班次当前不在报名期内")
    existing = db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                           Application.user_id == trainee.id))
    if existing is not None and existing.status != "withdrawn":
        raise Conflict("该员工已报名该班次")
    application = existing or Application(cohort=cohort, user_id=trainee.id)
    application.status, application.eligibility = "nominated", None
    application.enterprise_id, application.nominated_by_id = profile.enterprise_id, actor.id
    application.submitted_at, application.withdrawn_at = utcnow(), None
    db.session.add(application)
    audit.record(actor, "application.nominate", application, cohort=cohort.code)
    notify(trainee.id, NOMINATED, _link(application), cohort=cohort.title)
    return application


def confirm_nomination(actor, application: Application, accept: bool = True) -> Application:
    if application.user_id != actor.id:
        raise Forbidden("只能确认本人的报名")
    if application.status != "nominated":
        raise Conflict("该报名不在待确认状态")
    if not accept:
        return withdraw(actor, application)
    verdict = _verdict_for(actor, application.cohort)
    if not _transition(application, ("nominated",), status=verdict["result"], eligibility=verdict,
                       submitted_at=utcnow()):
        raise Conflict("该报名状态已变化，请刷新后重试")
    audit.record(actor, "application.confirm", application, result=verdict["result"])
    return application


def recommend(actor, application: Application, note: str = "") -> Application:
    """A district bureau recommends an application in its region, once (no status change)."""
    require_role(actor, "bureau", "admin")
    if not is_reviewer(actor, application):
        raise Forbidden("只能推荐本辖区班次的报名")
    if application.status not in ("eligible", "review", "ineligible", "waitlisted"):
        raise Conflict("该报名当前不可推荐")
    if application.recommended_at is not None:
        raise Conflict("该报名已经推荐过")
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


def _free_seat(actor, cohort_id: int) -> Application | None:
    """A seat came free: the first waitlisted applicant takes it, else the counter goes down."""
    waiting = db.session.scalars(select(Application).where(
        Application.cohort_id == cohort_id, Application.status == "waitlisted")
        .order_by(Application.waitlisted_at, Application.id)).all()
    for candidate in waiting:
        if _transition(candidate, ("waitlisted",), status="approved", decided_at=utcnow(),
                       decided_by_id=getattr(actor, "id", None), decision_note="候补递补"):
            audit.record(actor, "application.promote", candidate)
            notify(candidate.user_id, PROMOTED, _link(candidate), cohort=candidate.cohort.title)
            return candidate
    db.session.execute(update(Cohort).where(Cohort.id == cohort_id, Cohort.seats_taken > 0)
                       .values(seats_taken=Cohort.seats_taken - 1).execution_options(synchronize_session=False))
    return None


def fill_free_seats(actor, cohort_id: int) -> list[Application]:
    """Seats came free without a withdrawal (the capacity grew): waitlisted applicants take them,
    in waitlist order, each with a conditional seat UPDATE."""
    promoted = []
    waiting = db.session.scalars(select(Application).where(
        Application.cohort_id == cohort_id, Application.status == "waitlisted")
        .order_by(Application.waitlisted_at, Application.id)).all()
    for candidate in waiting:
        if not _take_seat(cohort_id):
            break
        if _transition(candidate, ("waitlisted",), status="approved", decided_at=utcnow(),
                       decided_by_id=getattr(actor, "id", None), decision_note="候补递补"):
            audit.record(actor, "application.promote", candidate)
            notify(candidate.user_id, PROMOTED, _link(candidate), cohort=candidate.cohort.title)
            promoted.append(candidate)
        else:  # decided by someone else meanwhile: give the seat back
            db.session.execute(update(Cohort).where(Cohort.id == cohort_id, Cohort.seats_taken > 0)
                               .values(seats_taken=Cohort.seats_taken - 1).execution_options(synchronize_session=False))
    return promoted


def decide(actor, application: Application, decision: str, note: str = "") -> Application:
    """Institution staff (or admin) approve, reject (with a reason) or waitlist. Approving a
    full cohort waitlists instead. Rejecting an approved application frees its seat."""
    cohort = application.cohort
    if not (is_admin(actor) or cohort.institution_id in institution_ids(actor, "institution")):
        raise Forbidden("只有承办机构可以审核报名")
    if decision not in DECIDABLE:
        raise ValidationFailed("审核结果无效", {"decision": "应为 approve、reject 或 waitlist"})
    note = (note or "").strip()
    if decision == "reject" and not note:
        raise ValidationFailed("请填写不予录取的理由", {"note": "请填写不予录取的理由"})
    if application.status not in DECIDABLE[decision]:
        if application.status == "ineligible" and decision != "reject":
            raise Conflict("申请人不符合任职条件，只能不予录取")
        raise Conflict(f"该报名当前状态为“{application.status_label}”，不能执行此操作")
    old = application.status
    now, by = utcnow(), {"decided_at": utcnow(), "decided_by_id": actor.id, "decision_note": note}
    if decision == "approve":
        if _take_seat(cohort.id):  # the first write: the seat, atomically
            if not _transition(application, (old,), status="approved", **by):
                raise Conflict("该报名已被他人处理，请刷新后重试")  # rolls back the seat with the request
        elif old == "waitlisted":
            raise Conflict("名额已满，该申请人仍在候补中")
        else:
            decision = "waitlist"
    if decision == "waitlist":
        if not _transition(application, (old,), status="waitlisted", waitlisted_at=now, **by):
            raise Conflict("该报名已被他人处理，请刷新后重试")
    if decision == "reject":
        if not _transition(application, (old,), status="rejected", **by):
            raise Conflict("该报名已被他人处理，请刷新后重试")
        if old == "approved":
            _free_seat(actor, cohort.id)
    audit.record(actor, f"application.{decision}", application, note=note, previous=old)
    notify(application.user_id, (DECIDED_WITH_NOTE if note else DECIDED)[decision], _link(application),
           cohort=cohort.title, note=note)
    return application


def record_assignment(actor, application: Application, passed: bool, note: str = "") -> Application:
    """Institution staff assess an enrolled trainee's final assignment (结业作业) as passed or not."""
    cohort = application.cohort
    if not (is_admin(actor) or cohort.institution_id in institution_ids(actor, "institution")):
        raise Forbidden("只有承办机构可以评定结业作业")
    if not cohort.program.assignment_required:
        raise Conflict("本项目不要求结业作业")
    if application.status != "approved":
        raise Conflict("只能为已录取的学员评定结业作业")
    previous = application.assignment_passed
    application.assignment_passed = bool(passed)
    application.assignment_assessed_at, application.assignment_assessed_by_id = utcnow(), actor.id
    audit.record(actor, "application.assignment", application, passed=bool(passed), previous=previous,
                 note=(note or "").strip())
    notify(application.user_id, ASSIGNMENT_PASSED if passed else ASSIGNMENT_FAILED, _link(application),
           cohort=cohort.title)
    return application


def withdraw(actor, application: Application) -> Application:
    """The trainee withdraws; an approved seat goes to the first waitlisted applicant."""
    if application.user_id != actor.id:
        raise Forbidden("只能撤回本人的报名")
    old = application.status
    if old not in WITHDRAWABLE:
        raise Conflict("该报名当前不能撤回")
    if not _transition(application, (old,), status="withdrawn", withdrawn_at=utcnow()):
        raise Conflict("该报名状态已变化，请刷新后重试")
    if old == "approved":
        _free_seat(actor, application.cohort_id)
    audit.record(actor, "application.withdraw", application, previous=old)
    return application


def enrollment(user, cohort: Cohort) -> Application | None:
    """The user's approved application (enrollment) in the cohort, if any."""
    return db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                       Application.user_id == user.id,
                                                       Application.status == "approved"))


def is_enrolled(user, cohort: Cohort) -> bool:
    return enrollment(user, cohort) is not None


def application_json(application: Application) -> dict:
    return {"id": application.id, "cohort_code": application.cohort.code, "status": application.status,
            "eligibility": application.eligibility or {"result": None, "reasons": []}}
