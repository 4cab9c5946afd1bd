"""Applications: who sees which (scope), apply (with the eligibility verdict), nominate and
confirm, invitations from a roster (accept or decline), recommend. Staff decisions, seats and the
waitlist, and withdrawal are in lms.enrollment.decisions.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, false, func, or_, select

from lms.core import audit
from lms.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from lms.core.permissions import enterprise_ids, institution_ids, is_admin, one_or_404, require_role
from lms.core.time import utcnow
from lms.enrollment.cohorts import can_manage, local_today
from lms.enrollment.decisions import link, take_seat, transition, withdraw
from lms.enrollment.enums import ApplicationStatus as S
from lms.enrollment.models import Application, Cohort
from lms.enrollment.profiles import profile_facts, profile_of
from lms.extensions import db
from lms.notifications.services import message, notify
from lms.orgs.scope import region_clause
from lms.programs.eligibility import evaluate, verdict_json

AWAITING = (S.ELIGIBLE, S.REVIEW)  # the rule engine has spoken; staff have not decided yet
RECOMMENDABLE = (S.ELIGIBLE, S.REVIEW, S.INELIGIBLE, S.WAITLISTED)
ANSWERABLE = (S.NOMINATED, S.INVITED)  # waiting for the person's own yes or no
# An invitation from a roster is the person's business until they accept: staff, bureaus and
# employers never see it (nor whether the ID number on the roster belongs to anyone).
PRIVATE = (S.INVITED, S.DECLINED)
REAPPLICABLE = (S.WITHDRAWN, S.DECLINED)

NOMINATED = message("enrollment.nominated", _l("您的单位推荐您参加“%(cohort)s”，请确认报名"))
INVITED = message("enrollment.invited", _l("“%(institution)s”邀请您参加“%(cohort)s”，请确认是否参加"))
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
    if not transition(application, (S.NOMINATED,), status=verdict["result"], eligibility=verdict,
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
        if not transition(application, (S.INVITED,), status=S.DECLINED, withdrawn_at=now):
            raise Conflict(_l("该报名状态已变化，请刷新后重试"))
        audit.record(actor, "application.decline", application)
        return application
    verdict = _verdict_for(actor, application.cohort)
    status = S.APPROVED if take_seat(application.cohort_id) else S.WAITLISTED
    values: dict[str, Any] = {"status": status, "eligibility": verdict, "submitted_at": now,
                              "enterprise_id": profile_of(actor).enterprise_id}
    if status == S.APPROVED:
        values.update(decided_at=now)
    else:
        values.update(waitlisted_at=now)
    if not transition(application, (S.INVITED,), **values):
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
