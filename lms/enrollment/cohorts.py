"""Cohorts (班次) and their sessions (课次): scoped reads and staff upkeep."""
from __future__ import annotations

from datetime import date, datetime, timedelta, UTC
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import Select, delete, exists, false, func, or_, select

from lms.core import audit
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.permissions import institution_ids, is_admin, one_or_404, require_role
from lms.core.time import utcnow
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.models import Application, Attendance, Cohort, CohortSession
from lms.extensions import db
from lms.notifications.services import message, notify
from lms.orgs.scope import region_clause
from lms.programs.models import Teacher
from lms.programs.services import missing_qualifications

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_today() -> date:
    """Today in China: application windows and cohort dates are local dates."""
    return utcnow().astimezone(LOCAL_TZ).date()


def local_datetime(day: date, hhmm) -> datetime:
    """A local (Beijing) wall-clock time as an aware UTC datetime."""
    return datetime.combine(day, hhmm, tzinfo=LOCAL_TZ).astimezone(UTC)


def staff_clause(actor):
    """Cohorts an actor manages or oversees: admin all, bureau its region subtree, institution its own."""
    if is_admin(actor):
        return Cohort.id.is_not(None)
    clauses = []
    if actor is not None and actor.grants_for("bureau"):
        clauses.append(region_clause(actor, Cohort.region_id))
    if own := institution_ids(actor, "institution"):
        clauses.append(Cohort.institution_id.in_(sorted(own)))
    return or_(*clauses) if clauses else false()


def visible_cohorts(actor) -> Select:
    return select(Cohort).where(staff_clause(actor)).order_by(Cohort.starts_on.desc(), Cohort.code)


def get_cohort(actor, code: str) -> Cohort:
    return one_or_404(visible_cohorts(actor).where(Cohort.code == code))


def cohort_by_code(code: str) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.code == code))


def open_cohorts(today: date | None = None) -> Select:
    """Cohorts taking applications today (public)."""
    today = today or local_today()
    return (select(Cohort).where(Cohort.applications_open_on <= today, Cohort.applications_close_on >= today)
            .order_by(Cohort.starts_on, Cohort.code))


def get_open_cohort(code: str) -> Cohort:
    return one_or_404(open_cohorts().where(Cohort.code == code))


def can_manage(actor, cohort: Cohort) -> bool:
    """Institution staff of the cohort's institution, or an admin: may change the cohort, its
    sessions and attendance, decide its applications, import its roster. (A bureau oversees
    and recommends; it does not manage.)"""
    return actor is not None and (is_admin(actor) or cohort.institution_id in institution_ids(actor, "institution"))


def require_manage(actor, cohort: Cohort) -> None:
    if not can_manage(actor, cohort):
        raise Forbidden(_l("只有本班次的承办机构可以执行此操作"))


def save_cohort(actor, data: dict[str, Any], cohort: Cohort | None = None) -> Cohort:
    """`data`: code, title, program, institution, region, starts_on, ends_on, capacity,
    applications_open_on, applications_close_on, place (and optionally admission_notice, 开班须知)."""
    require_role(actor, "admin", "institution")
    if cohort is not None:
        require_manage(actor, cohort)
    problems: dict[str, Any] = {}
    code = (data.get("code") or "").strip()
    if not code:
        problems["code"] = _l("请填写班次编号")
    elif (clash := cohort_by_code(code)) is not None and clash is not cohort:
        problems["code"] = _l("该班次编号已被使用")
    if not (data.get("title") or "").strip():
        problems["title"] = _l("请填写班次名称")
    for name, problem in (("program", _l("请选择研修班项目")), ("institution", _l("请选择承办机构")),
                          ("region", _l("请选择举办地行政区划"))):
        if data.get(name) is None:
            problems[name] = problem
    institution = data.get("institution")
    if institution is not None and not (is_admin(actor) or institution.id in institution_ids(actor, "institution")):
        problems["institution"] = _l("只能为本机构开设班次")
    dates = {n: data.get(n) for n in ("starts_on", "ends_on", "applications_open_on", "applications_close_on")}
    for name, value in dates.items():
        if not isinstance(value, date):
            problems[name] = _l("请填写日期")
    if not any(n in problems for n in dates):
        if dates["ends_on"] < dates["starts_on"]:
            problems["ends_on"] = _l("结束日期不能早于开始日期")
        if dates["applications_close_on"] < dates["applications_open_on"]:
            problems["applications_close_on"] = _l("报名截止日期不能早于报名开始日期")
        elif dates["applications_close_on"] > dates["ends_on"]:
            problems["applications_close_on"] = _l("报名截止日期不能晚于班次结束日期")
        if institution is not None and "institution" not in problems and "ends_on" not in problems \
                and not institution.accredited_through(dates["starts_on"], dates["ends_on"]):
            problems["institution"] = _l("承办机构资质有效期（%(start)s 至 %(end)s）未覆盖班次日期，不能开班",
                                         start=f"{institution.accredited_from:%Y-%m-%d}",
                                         end=f"{institution.accredited_until:%Y-%m-%d}")
    capacity = data.get("capacity")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 10000:
        problems["capacity"] = _l("招收人数应为1至10000之间的整数")
    elif cohort is not None and capacity < cohort.seats_taken:
        problems["capacity"] = lazy_ngettext("已录取 %(num)d 人，招收人数不能少于已录取人数",
                                             "已录取 %(num)d 人，招收人数不能少于已录取人数", cohort.seats_taken)
    if problems:
        raise ValidationFailed(_l("班次信息有误"), problems)
    created = cohort is None
    cohort = cohort or Cohort(seats_taken=0)
    cohort.code, cohort.title = code, data["title"].strip()
    cohort.program, cohort.institution, cohort.region = data["program"], institution, data["region"]
    for name, value in dates.items():
        setattr(cohort, name, value)
    cohort.capacity = capacity
    cohort.place = (data.get("place") or "").strip()
    if "admission_notice" in data:  # 开班须知: kept as written when a caller does not send it
        cohort.admission_notice = (data.get("admission_notice") or "").strip()[:5000]
    db.session.add(cohort)
    audit.record(actor, "cohort.create" if created else "cohort.update", cohort)
    if not created:
        from lms.enrollment.decisions import fill_free_seats  # decisions builds on this module

        db.session.flush()
        fill_free_seats(actor, cohort.id)
        db.session.expire(cohort)
    return cohort


def save_session(actor, cohort: Cohort, data: dict[str, Any], session: CohortSession | None = None) -> CohortSession:
    """`data`: module, teacher (or None), starts_at, ends_at (aware), hours, place. Assigning a
    teacher checks the program's teacher requirements and names what is missing."""
    require_manage(actor, cohort)
    problems: dict[str, Any] = {}
    module, teacher = data.get("module"), data.get("teacher")
    if module is None or module.program_id != cohort.program_id:
        problems["module"] = _l("请选择本项目的课程模块")
    if teacher is not None:
        if not isinstance(teacher, Teacher) or teacher.institution_id != cohort.institution_id:
            problems["teacher"] = _l("请选择本机构的教师")
        elif missing := missing_qualifications(cohort.program, teacher):
            problems["teacher"] = _l("教师%(name)s不满足本项目师资条件，缺少：%(missing)s", name=teacher.name,
                                     missing=_("、").join(missing))
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        problems["starts_at"] = _l("请填写上课时间")
    elif ends_at <= starts_at:
        problems["ends_at"] = _l("下课时间应晚于上课时间")
    elif not cohort.starts_on <= starts_at.astimezone(LOCAL_TZ).date() <= cohort.ends_on:
        problems["starts_at"] = _l("课次日期应在班次起止日期之内")
    hours = data.get("hours")
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= 24:
        problems["hours"] = _l("学时应为大于0、不超过24的数字")
    elif isinstance(starts_at, datetime) and isinstance(ends_at, datetime) and ends_at > starts_at \
            and hours > (ends_at - starts_at) / timedelta(minutes=40):
        problems["hours"] = _l("学时与上课时长不符（每学时不少于40分钟）")
    if session is not None and "module" not in problems and "hours" not in problems and attendance_count(session) \
            and (module.id != session.module_id or float(hours) != session.hours):
        # recorded attendance is credited by the session's module and hours: changing them would rewrite
        # the trainees' progress (and what exams and certificates relied on)
        field = "module" if module.id != session.module_id else "hours"
        problems[field] = _l("该课次已有考勤记录，不能再更改课程模块或学时")
    if problems:
        raise ValidationFailed(_l("课次信息有误"), problems)
    created = session is None
    before = None if created else _schedule(session)
    session = session or CohortSession()
    session.cohort, session.module, session.teacher = cohort, module, teacher
    session.starts_at, session.ends_at, session.hours = starts_at, ends_at, float(hours)
    session.place = (data.get("place") or cohort.place or "").strip()
    db.session.add(session)
    if created:
        audit.record(actor, "session.create", session, cohort=cohort.code)
        return session
    changes = {k: [before[k], v] for k, v in _schedule(session).items() if before[k] != v}
    audit.record(actor, "session.update", session, cohort=cohort.code, changes=changes)
    if changes:
        now = _schedule(session)
        _notify_trainees(cohort, SESSION_CHANGED, cohort=cohort.title, module=module.title, old_date=before["date"],
                         old_time=before["time"], date=now["date"], time=now["time"], place=now["place"] or "-")
    return session


def _schedule(session: CohortSession) -> dict[str, str]:
    """What trainees plan around: the local date, the time span and the place."""
    starts, ends = session.starts_at.astimezone(LOCAL_TZ), session.ends_at.astimezone(LOCAL_TZ)
    return {"date": f"{starts:%Y-%m-%d}", "time": f"{starts:%H:%M}-{ends:%H:%M}", "place": session.place or ""}


SESSION_CHANGED = message("enrollment.session_changed", _l(
    "课次调整：%(cohort)s·%(module)s（原定 %(old_date)s %(old_time)s）现为 %(date)s %(time)s，地点：%(place)s"))
SESSION_CANCELLED = message("enrollment.session_cancelled", _l(
    "课次取消：%(cohort)s·%(module)s（%(date)s %(time)s %(place)s）已取消"))


def _notify_trainees(of: Cohort, what, **params) -> None:
    for application_id, user_id in db.session.execute(select(Application.id, Application.user_id).where(
            Application.cohort_id == of.id, Application.status == ApplicationStatus.APPROVED)):
        notify(user_id, what, f"/my/applications/{application_id}", **params)


def attendance_count(session: CohortSession) -> int:
    """Attendance rows of a session: staff marks, imports and QR check-ins alike."""
    return db.session.scalar(select(func.count()).select_from(Attendance)
                             .where(Attendance.session_id == session.id)) or 0


def delete_session(actor, session: CohortSession) -> None:
    """Remove a session that nobody has attended yet; attendance is a record and is never deleted."""
    cohort = session.cohort
    require_manage(actor, cohort)
    # PostgreSQL: lock the row so that a concurrent check-in (whose foreign key needs it) waits for us
    db.session.execute(select(CohortSession.id).where(CohortSession.id == session.id).with_for_update())
    if recorded := attendance_count(session):
        raise Conflict(lazy_ngettext("该课次已有 %(num)d 条考勤或签到记录，不能删除（考勤记录须保留）",
                                     "该课次已有 %(num)d 条考勤或签到记录，不能删除（考勤记录须保留）", recorded))
    before, module_title = _schedule(session), session.module.title
    audit.record(actor, "session.delete", session, cohort=cohort.code, module=session.module.code,
                 hours=session.hours, teacher=session.teacher.name if session.teacher else None, **before)
    # one statement that re-checks attendance, so that no check-in is ever cascaded away
    deleted = db.session.execute(
        delete(CohortSession).where(CohortSession.id == session.id,
                                    ~exists().where(Attendance.session_id == CohortSession.id))
        .execution_options(synchronize_session=False)).rowcount
    if not deleted:
        raise Conflict(_l("该课次刚有学员签到，不能删除（考勤记录须保留）"))
    db.session.expire(cohort, ["sessions"])
    db.session.expunge(session)
    _notify_trainees(cohort, SESSION_CANCELLED, cohort=cohort.title, module=module_title, **before)


def get_session(actor, session_id: int) -> CohortSession:
    return one_or_404(select(CohortSession).join(Cohort).where(CohortSession.id == session_id, staff_clause(actor)))
