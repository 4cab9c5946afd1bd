"""Posts, an enterprise's employees, and appointments over the API (DESIGN §9)."""
from __future__ import annotations

from lms.accounts import invitations
from lms.api.base import api_route, caller, json_body, text_field
from lms.api.openapi import schema
from lms.appointments import people, services
from lms.appointments.models import AppointmentStatus, EndReason
from lms.core.masking import mask_phone
from lms.core.permissions import enterprise_ids, require_role
from lms.extensions import db
from lms.orgs.models import Enterprise
from lms.programs.models import ProgramLevel

POST = schema("Post", {
    "type": "object", "required": ["code", "title", "region_code"],
    "properties": {"code": {"type": "string"}, "title": {"type": "string"}, "region_code": {"type": "string"},
                   "levels": {"type": "array", "items": {"enum": list(ProgramLevel.values())},
                              "description": "培训项目层级：持其有效合格证者可任此岗位"},
                   "usual_count": {"type": ["integer", "null"], "description": "每个企业通常配备人数（超出只提示）"}},
})
APPOINTMENT = schema("Appointment", {
    "type": "object",
    "required": ["id", "person_id", "status", "post_code", "enterprise_uscc", "starts_on", "full_time", "qualified"],
    "properties": {
        "id": {"type": "integer"}, "person_id": {"type": "integer"}, "status": {"enum": AppointmentStatus.values()},
        "post_code": {"type": "string"}, "post_title": {"type": "string"},
        "enterprise_uscc": {"type": "string"}, "enterprise_name": {"type": "string"},
        "starts_on": {"type": "string", "format": "date"}, "full_time": {"type": "boolean"},
        "document_no": {"type": "string"},
        "ended_on": {"type": ["string", "null"], "format": "date"},
        "end_reason": {"enum": [*EndReason.values(), None]},
        "qualified": {"type": "boolean", "description": "本人持有适用于该岗位的有效合格证"},
        "warnings": {"type": "array", "items": {"type": "string"},
                     "description": "已记录，但值得注意：无对应合格证、超出通常配备人数"},
    },
})
NEW_APPOINTMENT = schema("NewAppointment", {
    "type": "object", "required": ["person_id", "post_code", "starts_on"],
    "properties": {"person_id": {"type": "integer", "description": "员工的用户 id（GET /enterprise/employees）"},
                   "post_code": {"type": "string"}, "starts_on": {"type": "string", "format": "date"},
                   "full_time": {"type": "boolean", "default": True}, "document_no": {"type": "string"}},
})
END_APPOINTMENT = schema("EndAppointment", {
    "type": "object", "required": ["ended_on", "reason"],
    "properties": {"ended_on": {"type": "string", "format": "date"}, "reason": {"enum": EndReason.values()},
                   "note": {"type": "string"}},
})
EMPLOYEE = schema("Employee", {
    "type": "object", "required": ["id", "username", "name", "certificates", "appointments"],
    "properties": {
        "id": {"type": "integer"}, "username": {"type": "string"}, "name": {"type": "string"},
        "certificates": {"type": "array", "items": {
            "type": "object", "required": ["cert_no", "program_code", "level", "valid_until"],
            "properties": {"cert_no": {"type": "string"}, "program_code": {"type": "string"},
                           "level": {"enum": list(ProgramLevel.values())}, "valid_until": {"type": "string", "format": "date"}}},
            "description": "今天有效的合格证"},
        "appointments": {"type": "array", "items": APPOINTMENT},
    },
})
APPOINTMENT_ID = [{"name": "appointment_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


@api_route("/posts", "GET", summary="岗位（各地政策规定的企业标准化岗位）", tags=["appointments"],
           responses={"200": ("岗位", {"type": "array", "items": POST})})
def posts():
    return [{"code": p.code, "title": p.title, "region_code": p.region.code, "levels": p.levels,
             "usual_count": p.usual_count} for p in services.all_posts()]


@api_route("/enterprise/employees", "GET", summary="本企业员工及其有效合格证、聘任（企业人事）", tags=["appointments"],
           responses={"200": ("员工", {"type": "array", "items": EMPLOYEE})}, errors=("403",))
def employees():
    actor = caller()
    require_role(actor, "enterprise")
    people = services.employees(actor)
    certificates = services.valid_certificates([p.user_id for p in people])
    levels = services.program_levels([c for group in certificates.values() for c in group])
    appointments = services.enterprise_appointments(actor, {p.enterprise_id for p in people})
    qualified = services.qualified(appointments)
    return [{"id": p.user_id, "username": p.user.username, "name": p.name,
             "certificates": [{"cert_no": c.cert_no, "program_code": c.program_code, "level": levels[c.id],
                               "valid_until": c.valid_until.isoformat()} for c in certificates.get(p.user_id, [])],
             "appointments": [services.appointment_json(a, qualified[a.id]) for a in appointments
                              if a.user_id == p.user_id]} for p in people]


@api_route("/appointments", "POST", summary="记录聘任（企业人事、管理员）：无对应合格证或超出通常配备人数时照常记录并返回 warnings",
           tags=["appointments"], request=NEW_APPOINTMENT, responses={"201": ("聘任", APPOINTMENT)},
           errors=("400", "403", "422"))
def record():
    recorded = services.record_appointment(caller(), json_body())
    return {**services.appointment_json(recorded.appointment), "warnings": [str(w) for w in recorded.warnings]}, 201


@api_route("/appointments/<int:appointment_id>/end", "POST", summary="结束聘任（企业人事、管理员）",
           tags=["appointments"], parameters=APPOINTMENT_ID, request=END_APPOINTMENT,
           responses={"200": ("聘任", APPOINTMENT)}, errors=("400", "403", "404", "409", "422"))
def end(appointment_id: int):
    actor = caller()
    appointment = services.get_appointment(actor, appointment_id)
    return services.appointment_json(services.end_appointment(actor, appointment, json_body()))


@api_route("/me/appointments", "GET", summary="本人的聘任", tags=["appointments"],
           responses={"200": ("聘任", {"type": "array", "items": APPOINTMENT})})
def my_appointments():
    appointments = services.own_appointments(caller())
    qualified = services.qualified(appointments)
    return [services.appointment_json(a, qualified[a.id]) for a in appointments]


INVITATION = schema("Invitation", {
    "type": "object", "required": ["id", "phone", "name", "state", "created_at", "expires_at"],
    "properties": {
        "id": {"type": "integer"}, "phone": {"type": "string", "description": "打码的手机号码，如 139****5678"},
        "name": {"type": "string"}, "state": {"enum": ["open", "accepted", "expired"]},
        "created_at": {"type": "string", "format": "date-time"}, "expires_at": {"type": "string", "format": "date-time"},
        "link": {"type": "string", "description": "邀请链接：只在创建时返回一次（也记入服务器日志），由企业人事发给员工"},
        "user_id": {"type": ["integer", "null"], "description": "用该链接注册的账户"},
    },
})
NEW_INVITATION = schema("NewInvitation", {
    "type": "object", "required": ["phone"],
    "properties": {"phone": {"type": "string", "pattern": "^1[3-9][0-9]{9}$"}, "name": {"type": "string"}},
})
PERSON = schema("EnterprisePerson", {
    "type": "object", "required": ["id", "name", "profile_complete", "applications", "scores", "certificates"],
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "profile_complete": {"type": "boolean", "description": "false：通过邀请注册，尚未填写个人资料"},
        "applications": {"type": "array", "items": {
            "type": "object", "required": ["id", "cohort_code", "status", "eligibility"],
            "properties": {"id": {"type": "integer"}, "cohort_code": {"type": "string"}, "status": {"type": "string"},
                           "eligibility": {"enum": ["eligible", "review", "ineligible", None]},
                           "hours_done": {"type": ["number", "null"]}, "hours_required": {"type": ["number", "null"]},
                           "exam_eligible": {"type": ["boolean", "null"], "description": "已达到出勤要求（录取后才有）"}}}},
        "scores": {"type": "array", "description": "已向员工公布的成绩", "items": {
            "type": "object", "required": ["exam_id", "title", "score", "max_score", "passed"],
            "properties": {"exam_id": {"type": "integer"}, "title": {"type": "string"}, "score": {"type": "number"},
                           "max_score": {"type": "number"}, "passed": {"type": ["boolean", "null"]}}}},
        "open_cohorts": {"type": "array", "description": "正在报名、本人尚未报名的班次，及按其项目任职条件的当前资格",
                         "items": {"type": "object", "required": ["cohort_code", "eligibility"],
                                   "properties": {"cohort_code": {"type": "string"},
                                                  "eligibility": {"enum": ["eligible", "review", "ineligible"]},
                                                  "certified": {"type": "boolean",
                                                                "description": "已持有该级别的有效合格证"}}}},
        "certificates": {"type": "array", "items": {
            "type": "object", "required": ["cert_no", "program_code", "status", "valid_until", "expiring_soon"],
            "properties": {"cert_no": {"type": "string"}, "program_code": {"type": "string"},
                           "status": {"enum": ["valid", "revoked", "expired"]},
                           "valid_until": {"type": "string", "format": "date"},
                           "expiring_soon": {"type": "boolean", "description": "有效，且距届满不足90天"}}}},
    },
})


def _invitation_json(invitation, link: str | None = None) -> dict:
    body = {"id": invitation.id, "phone": mask_phone(invitation.phone), "name": invitation.name,
            "state": invitations.state_of(invitation), "created_at": invitation.created_at.isoformat(),
            "expires_at": invitation.expires_at.isoformat(), "user_id": invitation.user_id}
    return {**body, "link": link} if link else body


@api_route("/enterprise/invitations", "POST", summary="按手机号码邀请员工注册（企业人事）：返回一次性、限期的邀请链接",
           tags=["appointments"], request=NEW_INVITATION, responses={"201": ("邀请", INVITATION)},
           errors=("400", "403", "409", "422"))
def invite():
    actor = caller()
    require_role(actor, "enterprise")
    data = json_body()
    own = sorted(enterprise_ids(actor))
    invitation, link = invitations.invite(actor, db.session.get(Enterprise, own[0]) if own else None,
                                          text_field(data, "phone"), text_field(data, "name"))
    return _invitation_json(invitation, link), 201


@api_route("/enterprise/invitations", "GET", summary="本企业发出的邀请（企业人事；最近50条）", tags=["appointments"],
           responses={"200": ("邀请", {"type": "array", "items": INVITATION})}, errors=("403",))
def invitation_list():
    actor = caller()
    require_role(actor, "enterprise")
    return [_invitation_json(i) for i in invitations.invitations_of(actor)]


@api_route("/enterprise/people", "GET", summary="本企业员工概况（企业人事）：报名与资格、进度、已公布的成绩、合格证及有效期",
           tags=["appointments"], responses={"200": ("员工", {"type": "array", "items": PERSON})}, errors=("403",))
def enterprise_people():
    actor = caller()
    require_role(actor, "enterprise")
    return [{"id": e.user.id, "name": e.name, "profile_complete": e.profile is not None,
             "applications": [{"id": a.id, "cohort_code": a.cohort.code, "status": a.status.value,
                               "eligibility": (a.eligibility or {}).get("result"),
                               "hours_done": p.hours_done if p else None,
                               "hours_required": p.hours_required if p else None,
                               "exam_eligible": p.requirement_met if p else None} for a, p in e.applications],
             "scores": [{"exam_id": t.exam_id, "title": t.exam.title, "score": t.score or 0.0,
                         "max_score": t.max_score, "passed": t.passed} for t in e.scores],
             "open_cohorts": [{"cohort_code": c.code, "eligibility": v["result"], "certified": certified}
                              for c, v, certified in e.open_cohorts],
             "certificates": [{"cert_no": c.cert_no, "program_code": c.program_code, "status": status,
                               "valid_until": c.valid_until.isoformat(), "expiring_soon": soon}
                              for c, status, soon in e.certificates]}
            for e in people.overview(actor)]
