"""Posts, an enterprise's employees, and appointments over the API (DESIGN §9)."""
from __future__ import annotations

from lms.api.base import api_route, caller, json_body
from lms.api.openapi import schema
from lms.appointments import services
from lms.appointments.models import AppointmentStatus, EndReason
from lms.core.permissions import require_role
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
