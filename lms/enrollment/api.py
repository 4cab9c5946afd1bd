"""Profile, open cohorts, applications (trainee side); decisions, the review queue with recommending, and
attendance (staff side)."""
from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.api.base import api_route, authenticated_caller, caller, json_body
from lms.core.errors import Conflict, ValidationFailed
from lms.core.pagination import paginate
from lms.core.permissions import one_or_404, require_role
from lms.enrollment import checkin, services
from lms.enrollment.api_schemas import (APPLICATION, ATTENDANCE_RESULT, ATTENDANCE_SHEET, CHECKIN, CHECKIN_RESULT,
                                        COHORT, CONFIRMATION, DECISION, PROFILE, PROGRESS, QUEUED_APPLICATION,
                                        RECOMMENDATION)
from lms.enrollment.enums import ApplicationStatus, AttendanceMethod
from lms.enrollment.models import CohortSession
from lms.extensions import db

CODE = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}, "description": "班次编号"}]
APPLICATION_ID = [{"name": "application_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
SESSION_ID = [{"name": "session_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


def cohort_json(cohort) -> dict:
    return {"code": cohort.code, "title": cohort.title, "program_code": cohort.program.code,
            "level": cohort.program.level, "starts_on": cohort.starts_on.isoformat(),
            "ends_on": cohort.ends_on.isoformat(), "capacity": cohort.capacity, "seats_left": cohort.seats_left,
            "applications_close_on": cohort.applications_close_on.isoformat(),
            "institution": cohort.institution.name, "region": cohort.region.full_name}


@api_route("/me/profile", "PUT", summary="保存本人资料（学员）", tags=["me"], request=PROFILE,
           responses={"200": ("已保存的资料", PROFILE)}, errors=("400", "403", "422"))
def put_profile():
    actor = caller()
    require_role(actor, "trainee")
    return services.profile_json(services.save_profile(actor, json_body()))


@api_route("/cohorts", "GET", summary="班次列表：open=1 为正在报名的班次（公开）；否则为本人管理范围内的班次",
           tags=["cohorts"], auth=False, errors=("401",),
           parameters=[{"name": "open", "in": "query", "schema": {"enum": ["0", "1"]}}],
           responses={"200": ("班次", {"type": "array", "items": COHORT})})
def cohorts():
    if request.args.get("open") == "1":
        stmt = services.open_cohorts()
    else:
        stmt = services.visible_cohorts(authenticated_caller())
    return [cohort_json(c) for c in db.session.scalars(stmt)]


@api_route("/cohorts/<code>/applications", "POST", summary="报名班次（学员）；立即返回任职条件审查结果",
           tags=["applications"], parameters=CODE, responses={"201": ("报名", APPLICATION)},
           errors=("403", "404", "409", "422"))
def apply(code: str):
    application = services.apply(caller(), services.get_open_cohort(code))
    db.session.flush()
    return services.application_json(application), 201


@api_route("/me/applications", "GET", summary="本人的报名", tags=["applications"],
           responses={"200": ("报名", {"type": "array", "items": APPLICATION})})
def my_applications():
    return [services.application_json(a) for a in services.own_applications(caller())]


@api_route("/applications/<int:application_id>/withdraw", "POST", summary="撤回本人报名（学员）",
           tags=["applications"], parameters=APPLICATION_ID, responses={"200": ("报名", APPLICATION)},
           errors=("403", "404", "409"))
def withdraw(application_id: int):
    actor = caller()
    application = services.get_application(actor, application_id)
    return services.application_json(services.withdraw(actor, application))


@api_route("/applications/<int:application_id>/decision", "POST",
           summary="审核报名（承办机构）：approve 名额已满时转为候补；reject 须填写理由", tags=["applications"],
           parameters=APPLICATION_ID,
           request=DECISION, responses={"200": ("报名", APPLICATION)}, errors=("400", "403", "404", "409", "422"))
def decision(application_id: int):
    actor = caller()
    data = json_body()
    application = services.get_application(actor, application_id)
    note = data.get("note") or ""
    if not isinstance(note, str):
        raise ValidationFailed(_l("字段 note 应为字符串"), {"note": _l("应为字符串")})
    decision = data.get("decision")
    if not isinstance(decision, str):
        raise ValidationFailed(_l("审核结果无效"), {"decision": _l("应为 approve、reject 或 waitlist")})
    return services.application_json(services.decide(actor, application, decision, note))


@api_route("/cohorts/<code>/attendance", "PUT", summary="登记某课次的考勤（承办机构）", tags=["attendance"], parameters=CODE,
           request=ATTENDANCE_SHEET, responses={"200": ("已登记", ATTENDANCE_RESULT)},
           errors=("400", "403", "404", "422"))
def put_attendance(code: str):
    actor = caller()
    cohort = services.get_cohort(actor, code)
    data = json_body()
    session_id, records = data.get("session_id"), data.get("records")
    problems = {}
    if isinstance(session_id, bool) or not isinstance(session_id, int):
        problems["session_id"] = _l("请给出课次编号 (整数)")
    if not isinstance(records, list):
        problems["records"] = _l("应为列表：[{application_id, status}]")
    if problems:
        raise ValidationFailed(_l("考勤数据有误"), problems)
    session = one_or_404(select(CohortSession).where(CohortSession.id == session_id,
                                                     CohortSession.cohort_id == cohort.id))
    sheet: dict[int, str] = {}
    for i, record in enumerate(records, 1):
        if not isinstance(record, dict) or isinstance(record.get("application_id"), bool) \
                or not isinstance(record.get("application_id"), int):
            problems[f"records[{i}]"] = _l("每条记录应为 {application_id: 整数, status: 状态}")
        else:
            sheet[record["application_id"]] = record.get("status")
    if problems:
        raise ValidationFailed(_l("考勤数据有误"), problems)
    return {"session_id": session.id,
            "recorded": services.mark_attendance(actor, session, sheet, method=AttendanceMethod.API)}


@api_route("/applications/<int:application_id>/confirm", "POST",
           summary="确认或谢绝企业的推荐或承办机构的邀请（学员）；接受邀请即录取（名额已满则候补）",
           tags=["applications"], parameters=APPLICATION_ID, request=CONFIRMATION,
           responses={"200": ("报名", APPLICATION)}, errors=("400", "403", "404", "409", "422"))
def confirm(application_id: int):
    actor = caller()
    accept = json_body().get("accept")
    if not isinstance(accept, bool):
        raise ValidationFailed(_l("字段 accept 应为 true 或 false"), {"accept": _l("应为 true 或 false")})
    application = services.get_application(actor, application_id)
    return services.application_json(services.answer(actor, application, accept))


@api_route("/applications/<int:application_id>/progress", "GET", summary="学时与出勤进度（本人、承办机构、区局、所在企业）",
           tags=["attendance"], parameters=APPLICATION_ID, responses={"200": ("进度", PROGRESS)}, errors=("404", "409"))
def progress(application_id: int):
    application = services.get_application(caller(), application_id)
    if application.status != ApplicationStatus.APPROVED:
        raise Conflict(_l("该报名尚未录取，没有学习进度"))
    result = services.progress(application)
    return {"hours_by_module": result.hours_by_module, "hours_required_by_module": result.hours_required_by_module,
            "hours_done": result.hours_done, "hours_required": result.hours_required, "ratio": result.ratio,
            "min_ratio": result.min_ratio, "requirement_met": result.requirement_met}


@api_route("/sessions/<int:session_id>/checkin", "POST", summary="扫码签到（学员）：token 取自投影二维码中的链接",
           tags=["attendance"], parameters=SESSION_ID, request=CHECKIN,
           responses={"200": ("签到结果", CHECKIN_RESULT)}, errors=("400", "403", "404", "409"))
def check_in(session_id: int):
    actor = caller()
    token = json_body().get("token")
    session = checkin.session_by_id(session_id)
    attendance, created = checkin.check_in(actor, session, token if isinstance(token, str) else "")
    return {"session_id": session.id, "status": attendance.status, "created": created}


# ---- the review queue: applications awaiting a decision, across the caller's cohorts --------------------

QUEUE_PARAMETERS = [
    {"name": "awaiting", "in": "query", "schema": {"enum": ["decision", "recommendation"]},
     "description": "decision（默认）：待承办机构审核的报名；recommendation：其中尚未经区局推荐的"},
    {"name": "cohort", "in": "query", "schema": {"type": "string"}, "description": "班次编号"},
    {"name": "status", "in": "query", "schema": {"enum": list(services.AWAITING)}},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}, "description": "每页 50 份"},
]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def queued_json(application, profile=None) -> dict:
    profile = profile or services.profile_of(application.user)
    by = application.recommended_by
    return {**services.application_json(application), "applicant": (profile or application.user).name,
            "enterprise": application.enterprise.name if application.enterprise else None,
            "submitted_at": _iso(application.submitted_at), "recommended_at": _iso(application.recommended_at),
            "recommended_by": by.name if by else None}


@api_route("/applications", "GET", summary="管辖范围内待审核的报名（区局、承办机构、管理员），跨班次，最新的在前",
           tags=["applications"], parameters=QUEUE_PARAMETERS,
           responses={"200": ("报名", {"type": "array", "items": QUEUED_APPLICATION})}, errors=("403", "404", "422"))
def review_queue():
    actor = caller()
    require_role(actor, "admin", "bureau", "institution")
    awaiting, status = request.args.get("awaiting", "decision"), request.args.get("status", "")
    if awaiting not in ("decision", "recommendation"):
        raise ValidationFailed(_l("参数 awaiting 无效"), {"awaiting": _l("应为 decision 或 recommendation")})
    if status and status not in services.AWAITING:
        raise ValidationFailed(_l("参数 status 无效"), {"status": _l("应为 eligible 或 review")})
    cohort = services.get_cohort(actor, request.args["cohort"]) if request.args.get("cohort") else None
    stmt = services.awaiting_applications(actor, cohort.id if cohort else None, status,
                                          False if awaiting == "recommendation" else None)
    applications = paginate(stmt, request.args.get("page"), per_page=50).items
    profiles = services.profiles_by_user(a.user_id for a in applications)
    return [queued_json(a, profiles.get(a.user_id)) for a in applications]


@api_route("/applications/<int:application_id>/recommend", "POST", summary="推荐本辖区班次的报名（区局）",
           tags=["applications"], parameters=APPLICATION_ID, request=RECOMMENDATION,
           responses={"200": ("报名", QUEUED_APPLICATION)}, errors=("400", "403", "404", "409", "422"))
def recommend(application_id: int):
    actor = caller()
    note = json_body().get("note") or ""
    if not isinstance(note, str):
        raise ValidationFailed(_l("字段 note 应为字符串"), {"note": _l("应为字符串")})
    application = services.get_application(actor, application_id)
    return queued_json(services.recommend(actor, application, note))
