"""Continuing education over the API: activities (publish, register, attendance, check-in), declared hours."""
from __future__ import annotations

import io

from flask import request, send_file, url_for
from flask_babel import lazy_gettext as _l

from lms.api import openapi
from lms.api.base import api_route, caller, json_body
from lms.ce import access, activities, claims, ledger, people, renewal, transcripts
from lms.ce.api_schemas import (ACTIVITY, ACTIVITY_INPUT, ATTENDANCE_INPUT, ATTENDANCE_RESULT, CHECKIN_INPUT,
                                CHECKIN_RESULT, CLAIM, CLAIM_DECISION, REGISTRATION, STANDING,
                                TRANSCRIPT_CHECK)
from lms.ce.enums import Category, ClaimKind, ClaimStatus
from lms.ce.models import CeActivity, CeRegistration
from lms.certificates import services as certificate_services
from lms.certificates.api import CERTIFICATE, JOB, VERIFICATION, job_json
from lms.core.errors import AppError, NotFound, ValidationFailed
from lms.core.inputs import int_or_none
from lms.core.permissions import require_role
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.verify.api import verify_limit

# the public certificate check carries the holder's CE standing (lms.ce.renewal.public_section)
openapi.SCHEMAS[VERIFICATION["$ref"].rsplit("/", 1)[1]]["properties"]["ce"] = {
    "type": "object", "required": ["year", "required_hours", "earned_hours", "complete"],
    "description": "持证人本年度继续教育学时",
    "properties": {"year": {"type": "integer"}, "required_hours": {"type": "number"},
                   "earned_hours": {"type": "number"}, "complete": {"type": "boolean"}}}

ACTIVITY_ID = [{"name": "activity_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


def activity_json(activity: CeActivity, registration: CeRegistration | None = None) -> dict:
    return {"id": activity.id, "title": activity.title, "kind": activity.kind.value,
            "category": activity.category.value, "starts_at": activity.starts_at.isoformat(),
            "ends_at": activity.ends_at.isoformat(), "place": activity.place, "hours": activity.hours,
            "capacity": activity.capacity, "seats_left": activity.seats_left, "organizer": activity.organizer_name,
            "registration_open": activities.is_open_for_registration(activity),
            "my_registration": registration.status.value if registration is not None else None}


def registration_json(registration: CeRegistration) -> dict:
    return {"id": registration.id, "activity_id": registration.activity_id, "status": registration.status.value}


@api_route("/ce/activities", "POST", summary="发布继续教育活动（承办机构、市场监管局）", tags=["continuing-education"],
           request=ACTIVITY_INPUT, responses={"201": ("活动", ACTIVITY)}, errors=("400", "403", "422"))
def create_activity():
    activity = activities.save_activity(caller(), json_body())
    return activity_json(activity), 201


@api_route("/ce/activities", "GET", summary="继续教育活动：open=1 为正在报名的活动；否则为本人组织的（工作人员）或报名的活动",
           tags=["continuing-education"],
           parameters=[{"name": "open", "in": "query", "schema": {"enum": ["0", "1"]}}],
           responses={"200": ("活动", {"type": "array", "items": ACTIVITY})})
def list_activities():
    actor = caller()
    mine = {r.activity_id: r for r in activities.own_registrations(actor)}
    if request.args.get("open") == "1":
        rows = db.session.scalars(activities.open_activities()).all()
    elif access.is_organizer(actor):
        rows = db.session.scalars(activities.managed_activities(actor)).all()
    else:
        rows = [r.activity for r in mine.values()]
    return [activity_json(a, mine.get(a.id)) for a in rows]


@api_route("/ce/activities/<int:activity_id>", "GET", summary="一项继续教育活动", tags=["continuing-education"],
           parameters=ACTIVITY_ID, responses={"200": ("活动", ACTIVITY)}, errors=("404",))
def get_activity(activity_id: int):
    actor = caller()
    activity = activities.get_activity(actor, activity_id)
    return activity_json(activity, activities.registration_of(actor.id, activity.id))


@api_route("/ce/activities/<int:activity_id>/registrations", "POST",
           summary="报名活动（学员）；名额已满时进入候补；重复报名返回已有报名（200）", tags=["continuing-education"],
           parameters=ACTIVITY_ID, responses={"201": ("报名", REGISTRATION), "200": ("已有的报名", REGISTRATION)},
           errors=("403", "404", "409"))
def register(activity_id: int):
    actor = caller()
    registration, new = activities.register(actor, activities.get_activity(actor, activity_id))
    return registration_json(registration), 201 if new else 200


@api_route("/ce/activities/<int:activity_id>/registrations/mine", "DELETE",
           summary="取消本人报名（活动开始前）；空出的名额由候补递补", tags=["continuing-education"],
           parameters=ACTIVITY_ID, responses={"200": ("已取消的报名", REGISTRATION)}, errors=("403", "404", "409"))
def cancel_registration(activity_id: int):
    actor = caller()
    registration = activities.registration_of(actor.id, activities.get_activity(actor, activity_id).id)
    if registration is None:
        raise NotFound(_l("您没有报名此活动"))
    return registration_json(activities.cancel(actor, registration))


@api_route("/ce/activities/<int:activity_id>/registrations", "GET", summary="活动的报名与出勤（组织方）",
           tags=["continuing-education"], parameters=ACTIVITY_ID,
           responses={"200": ("报名", {"type": "array", "items": REGISTRATION})}, errors=("403", "404"))
def list_registrations(activity_id: int):
    actor = caller()
    activity = activities.get_activity(actor, activity_id)
    access.require_organize(actor, activity)
    return [{**registration_json(r), "user_id": r.user_id, "name": r.user.name,
             "present": attendance.present if attendance else None}
            for r, attendance in activities.registrations(activity)]


@api_route("/ce/activities/<int:activity_id>/attendance", "PUT",
           summary="登记出勤（组织方）：出席者记入活动学时，每人每项活动只记一次", tags=["continuing-education"],
           parameters=ACTIVITY_ID, request=ATTENDANCE_INPUT, responses={"200": ("已登记", ATTENDANCE_RESULT)},
           errors=("400", "403", "404", "409", "422"))
def put_attendance(activity_id: int):
    actor = caller()
    activity = activities.get_activity(actor, activity_id)
    records = json_body().get("records")
    if not isinstance(records, list):
        raise ValidationFailed(_l("考勤名单有误"), {"records": _l("应为列表：[{user_id, present}]")})
    sheet: dict[int, bool] = {}
    problems = {}
    for index, record in enumerate(records):
        user_id = record.get("user_id") if isinstance(record, dict) else None
        present = record.get("present") if isinstance(record, dict) else None
        if isinstance(user_id, bool) or not isinstance(user_id, int) or not isinstance(present, bool):
            problems[f"records[{index}]"] = _l("每条记录应为 {user_id: 整数, present: true/false}")
        else:
            sheet[user_id] = present
    if problems:
        raise ValidationFailed(_l("考勤名单有误"), problems)
    return activities.record_attendance(actor, activity, sheet)


@api_route("/ce/activities/<int:activity_id>/checkin", "POST",
           summary="扫码签到（学员）：token 为投影屏幕二维码中的签到码", tags=["continuing-education"],
           parameters=ACTIVITY_ID, request=CHECKIN_INPUT, responses={"200": ("签到结果", CHECKIN_RESULT)},
           errors=("400", "403", "404", "409"))
def checkin(activity_id: int):
    actor = caller()
    activity = activities.get_activity(actor, activity_id)
    token = json_body().get("token")
    credited = activities.check_in(actor, activity, token if isinstance(token, str) else "")
    return {"credited": credited, "hours": activity.hours}


# ---- declared hours ------------------------------------------------------------------------------

CLAIM_ID = [{"name": "claim_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


@api_route("/me/ce/claims", "POST",
           summary="申报学时（持证人员）：multipart 字段 title, kind, category, hours, happened_on, ended_on, proof",
           tags=["continuing-education"], responses={"201": ("申报", CLAIM)}, errors=("400", "403", "409", "422"))
def declare_claim():
    name, proof = claims.read_upload(request.files.get("proof"))
    data = {name: request.form.get(name) for name in ("title", "kind", "category", "hours", "happened_on",
                                                      "ended_on")}
    data["kind"] = data["kind"] or "training"
    claim = claims.declare(caller(), data, name, proof)
    return claims.claim_json(claim), 201


openapi.PATHS["/me/ce/claims"]["post"]["requestBody"] = {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "required": ["title", "category", "hours", "happened_on", "proof"], "properties": {
        "title": {"type": "string"}, "kind": {"enum": list(ClaimKind.values()), "default": "training"},
        "category": {"enum": list(Category.values())}, "hours": {"type": "number"},
        "happened_on": {"type": "string", "format": "date"},
        "ended_on": {"type": "string", "format": "date", "description": "默认与 happened_on 相同"},
        "proof": {"type": "string", "format": "binary", "description": "PDF、JPEG 或 PNG，按内容判断"}}}}}}


@api_route("/me/ce/claims", "GET", summary="本人的学时申报", tags=["continuing-education"],
           responses={"200": ("申报", {"type": "array", "items": CLAIM})})
def my_claims():
    return [claims.claim_json(c) for c in claims.own_claims(caller())]


@api_route("/ce/claims", "GET", summary="待本人审核的学时申报（发证机构、市场监管局）；status 默认 pending",
           tags=["continuing-education"],
           parameters=[{"name": "status", "in": "query", "schema": {"enum": [*ClaimStatus.values(), "all"]}}],
           responses={"200": ("申报", {"type": "array", "items": CLAIM})})
def claims_to_review():
    wanted = request.args.get("status") or "pending"
    status = None if wanted == "all" else ClaimStatus.get(wanted, ClaimStatus.PENDING)
    return [claims.claim_json(c) for c in db.session.scalars(claims.reviewable_claims(caller(), status).limit(500))]


@api_route("/ce/claims/<int:claim_id>/decision", "POST",
           summary="审核学时申报：approve（可核减学时）或 reject（须填写理由）；重复通过不重复记入", tags=["continuing-education"],
           parameters=CLAIM_ID, request=CLAIM_DECISION, responses={"200": ("申报", CLAIM)},
           errors=("400", "403", "404", "409", "422"))
def decide_claim(claim_id: int):
    actor = caller()
    claim = claims.get_claim(actor, claim_id)
    data = json_body()
    note = data.get("note") if isinstance(data.get("note"), str) else ""
    return claims.claim_json(claims.decide(actor, claim, data.get("decision"), data.get("hours"), note))


# ---- the yearly ledger ---------------------------------------------------------------------------

YEAR = [{"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "默认今年"}]
USER_ID = [{"name": "user_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
PERSON_STANDING = {"type": "object", "required": ["user_id", "name", "enterprise", "year", "required_hours",
                                                  "earned_hours", "complete"],
                   "properties": {"user_id": {"type": "integer"}, "name": {"type": "string"},
                                  "enterprise": {"type": "string"}, "year": {"type": "integer"},
                                  "required_hours": {"type": "number"}, "earned_hours": {"type": "number"},
                                  "complete": {"type": "boolean"}}}


def _year() -> int:
    raw = request.args.get("year")
    if raw in (None, ""):
        return local_today().year
    year = int_or_none(raw)
    if year is None or not 2000 <= year <= local_today().year + 1:
        raise ValidationFailed(_l("年份有误"), {"year": _l("应为 2000 到 %(last)s 之间的年份", last=local_today().year + 1)})
    return year


@api_route("/me/ce", "GET", summary="本人某年的继续教育学时：应完成、已获（按类别）、是否完成、每条学时及来源",
           tags=["continuing-education"], parameters=YEAR, responses={"200": ("年度学时", STANDING)}, errors=("422",))
def my_standing():
    return ledger.standing(caller().id, _year()).as_json()


@api_route("/ce/people", "GET", summary="范围内持证人员某年的学时（企业人事：本企业员工；市场监管局：辖区企业人员）",
           tags=["continuing-education"], parameters=YEAR,
           responses={"200": ("人员学时", {"type": "array", "items": PERSON_STANDING})}, errors=("403", "422"))
def people_standing():
    actor = caller()
    require_role(actor, *access.SEE_PEOPLE_ROLES)
    year = _year()
    return [{"user_id": row.user.id, "name": row.user.name, "enterprise": row.enterprise,
             **row.standing.as_json(with_credits=False)} for row in people.standing_list(actor, year)]


@api_route("/ce/people/<int:user_id>", "GET", summary="一名人员某年的学时（本人、其企业人事、辖区市场监管局）",
           tags=["continuing-education"], parameters=USER_ID + YEAR, responses={"200": ("年度学时", STANDING)},
           errors=("404", "422"))
def person_standing(user_id: int):
    person = access.visible_person(caller(), user_id)
    return ledger.standing(person.id, _year()).as_json()


# ---- the transcript and its public check ---------------------------------------------------------

NUMBER = [{"name": "number", "in": "path", "required": True, "schema": {"type": "string"},
           "description": "学时证明编号，如 CE-2026-K7Q4M9XR2-C"}]


@api_route("/me/ce/transcript.pdf", "GET", summary="本人某年的学时证明 PDF（带核验二维码；学时未变时返回同一份）",
           tags=["continuing-education"], parameters=YEAR,
           responses={"200": "application/pdf：学时证明，二维码打开其公开核验页"}, errors=("409", "422"))
def my_transcript():
    transcript = transcripts.transcript_for(caller(), _year())
    return send_file(io.BytesIO(transcripts.stored_pdf(transcript)), mimetype="application/pdf",
                     as_attachment=True, download_name=transcripts.file_name(transcript))


@api_route("/ce/transcripts/<number>", "GET", summary="核验学时证明（公开）：verdict 为 valid/suspect/superseded；未知编号 404",
           tags=["verification"], auth=False, parameters=NUMBER + [
               {"name": "t", "in": "query", "schema": {"type": "string"}, "description": "二维码链接中的令牌"}],
           responses={"200": ("核验结果", TRANSCRIPT_CHECK)}, errors=("404", "429"))
@verify_limit
def check_transcript(number: str):
    found = transcripts.check(number, request.args.get("t"))
    if found is None:
        raise NotFound(_l("未找到该学时证明编号"))
    return transcripts.public_json(found)


@api_route("/ce/transcripts/<number>/check-pdf", "POST", summary="上传 PDF，检查是否为该编号出具的原始文件（公开）",
           tags=["verification"], auth=False, parameters=NUMBER, responses={"200": ("核验结果", TRANSCRIPT_CHECK)},
           errors=("400", "404", "429"))
@verify_limit
def check_transcript_pdf(number: str):
    name, content = claims.read_upload(request.files.get("file"), 20 * 1024 * 1024)
    if not name and not content:
        raise AppError(_l("请以 multipart/form-data 上传字段 file（PDF 文件）"), {"file": _l("请选择 PDF 文件")})
    found = transcripts.check(number, None, content)
    if found is None:
        raise NotFound(_l("未找到该学时证明编号"))
    return transcripts.public_json(found)


openapi.PATHS["/ce/transcripts/{number}/check-pdf"]["post"]["requestBody"] = {
    "required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}}


# ---- renewal -----------------------------------------------------------------------------------

CERT_NO = [{"name": "cert_no", "in": "path", "required": True, "schema": {"type": "string"}}]
RENEW_INPUT = {"type": "object", "properties": {"reason": {"type": "string", "description": "可选；默认为续期"}}}
BATCH_INPUT = {"type": "object", "required": ["due_within"],
               "properties": {"due_within": {"type": "integer", "minimum": 0, "maximum": 3650,
                                             "description": "有效期在此天数内届满（或已届满）的证书"}}}


@api_route("/certificates/<cert_no>/renew", "POST",
           summary="续期合格证（发证机构）：有效期内各年度继续教育学时均已完成时发放新版本（201）；否则 409，fields 列出所缺年度与学时",
           tags=["certificates"], parameters=CERT_NO, responses={"201": ("新版本", CERTIFICATE)},
           errors=("400", "403", "404", "409", "422"))
def renew_certificate(cert_no: str):
    actor = caller()
    certificate = certificate_services.get_certificate(actor, cert_no)
    data = request.get_json(silent=True) if request.is_json else None
    reason = data.get("reason") if isinstance(data, dict) and isinstance(data.get("reason"), str) else ""
    renewed = renewal.renew(actor, certificate, reason)
    db.session.flush()
    return certificate_services.certificate_json(
        renewed, url_for("certificates.staff_download", cert_no=renewed.cert_no), certificate_services.share_url(renewed)), 201


@api_route("/ce/renewals", "POST",
           summary="批量续期（发证机构）：有效期在 due_within 天内届满、各年度学时均已完成的证书；返回后台任务，进度见 /jobs/{id}",
           tags=["certificates"], request=BATCH_INPUT, responses={"202": ("后台任务", JOB)},
           errors=("400", "403", "422"))
def renew_batch():
    actor = caller()
    require_role(actor, "admin", "institution")
    days = json_body().get("due_within")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 3650:
        raise ValidationFailed(_l("天数有误"), {"due_within": _l("应为 %(low)s 到 %(high)s 之间的整数", low=0, high=3650)})
    ready = [c for c in db.session.scalars(renewal.due(actor, days)) if not renewal.missing_years(c)]
    return job_json(renewal.start_batch(actor, ready)), 202
