"""OpenAPI schemas of profiles, cohorts, applications and attendance (DESIGN §6 shapes)."""
from lms.api.openapi import schema
from lms.enrollment.applications import AWAITING
from lms.enrollment.enums import ApplicationStatus, AttendanceStatus, Decision, Gender
from lms.programs.eligibility import EligibilityResult
from lms.programs.facts import AppointmentStatus, EducationLevel, PositionLevel, TitleLevel
from lms.programs.models import ProgramLevel

PROFILE = schema("Profile", {
    "type": "object",
    "required": ["name", "gender", "id_number", "phone", "enterprise_uscc", "position", "education",
                 "title_level", "standardization_years", "appointment_status"],
    "properties": {
        "name": {"type": "string"},
        "gender": {"enum": list(Gender.values())},
        "id_number": {"type": "string", "description": "18位身份证号码 (GB 11643)"},
        "phone": {"type": "string"},
        "enterprise_uscc": {"type": ["string", "null"], "description": "统一社会信用代码 (GB 32100)"},
        "enterprise_name": {"type": ["string", "null"], "description": "新企业必填，创建后待核实"},
        "position": {"type": "string"},
        "position_level": {"enum": [*PositionLevel.values(), None],
                           "description": "职务层级（辽宁首席标准官、标准总监的任职条件读取它）；"
                                          "可不传：不传则保留原值，未填写时为 null"},
        "education": {"enum": list(EducationLevel.values())},
        "major": {"type": "string"},
        "standardization_major": {"type": "boolean"},
        "title_level": {"enum": list(TitleLevel.values())},
        "standardization_years": {"type": "number", "minimum": 0},
        "appointment_status": {"enum": list(AppointmentStatus.values())},
    },
})
COHORT = schema("Cohort", {
    "type": "object",
    "required": ["code", "title", "program_code", "level", "starts_on", "ends_on", "capacity", "seats_left"],
    "properties": {
        "code": {"type": "string"}, "title": {"type": "string"}, "program_code": {"type": "string"},
        "level": {"enum": list(ProgramLevel.values())},
        "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
        "capacity": {"type": "integer"}, "seats_left": {"type": "integer"},
        "applications_close_on": {"type": "string", "format": "date"},
        "institution": {"type": "string"}, "region": {"type": "string"},
    },
})
ELIGIBILITY = schema("Eligibility", {
    "type": "object", "required": ["result", "reasons"],
    "properties": {"result": {"enum": [*EligibilityResult.values(), None]},
                   "reasons": {"type": "array", "items": {"type": "string"},
                               "description": "审查结论与每项条件的说明，按读者的语言；第一项为结论"}},
})
APPLICATION = schema("Application", {
    "type": "object", "required": ["id", "cohort_code", "status", "eligibility"],
    "properties": {
        "id": {"type": "integer"}, "cohort_code": {"type": "string"},
        "status": {"enum": list(ApplicationStatus.values())},
        "eligibility": ELIGIBILITY,
    },
})
DECISION = schema("Decision", {
    "type": "object", "required": ["decision"],
    "properties": {"decision": {"enum": list(Decision.values())},
                   "note": {"type": "string", "description": "不予录取时必填"}},
})
ATTENDANCE_SHEET = schema("AttendanceSheet", {
    "type": "object", "required": ["session_id", "records"],
    "properties": {
        "session_id": {"type": "integer"},
        "records": {"type": "array", "items": {
            "type": "object", "required": ["application_id", "status"],
            "properties": {"application_id": {"type": "integer"}, "status": {"enum": list(AttendanceStatus.values())}}}},
    },
})
ATTENDANCE_RESULT = schema("AttendanceResult", {
    "type": "object", "required": ["session_id", "recorded"],
    "properties": {"session_id": {"type": "integer"}, "recorded": {"type": "integer"}},
})
PROGRESS = schema("Progress", {
    "type": "object",
    "required": ["hours_by_module", "hours_done", "hours_required", "ratio", "min_ratio", "requirement_met"],
    "properties": {
        "hours_by_module": {"type": "object", "additionalProperties": {"type": "number"},
                            "description": "module code -> hours credited (present or late)"},
        "hours_required_by_module": {"type": "object", "additionalProperties": {"type": "number"}},
        "hours_done": {"type": "number"}, "hours_required": {"type": "number"},
        "ratio": {"type": "number"}, "min_ratio": {"type": "number"}, "requirement_met": {"type": "boolean"},
    },
})
CONFIRMATION = schema("NominationAnswer", {
    "type": "object", "required": ["accept"], "properties": {"accept": {"type": "boolean"}},
    "description": "对企业推荐（nominated）或承办机构邀请（invited）的答复",
})
CHECKIN = schema("CheckIn", {
    "type": "object", "required": ["token"],
    "properties": {"token": {"type": "string", "description": "the token of the projected QR URL (/checkin/{id}/{token})"}},
})
CHECKIN_RESULT = schema("CheckInResult", {
    "type": "object", "required": ["session_id", "status", "created"],
    "properties": {"session_id": {"type": "integer"}, "status": {"enum": list(AttendanceStatus.values())},
                   "created": {"type": "boolean", "description": "false: already checked in"}},
})
QUEUED_APPLICATION = schema("QueuedApplication", {
    "type": "object", "required": ["id", "cohort_code", "status", "eligibility", "applicant", "submitted_at",
                                   "recommended_at", "recommended_by"],
    "properties": {
        "id": {"type": "integer"}, "cohort_code": {"type": "string"}, "status": {"enum": list(AWAITING)},
        "eligibility": ELIGIBILITY, "applicant": {"type": "string"}, "enterprise": {"type": ["string", "null"]},
        "submitted_at": {"type": "string", "format": "date-time"},
        "recommended_at": {"type": ["string", "null"], "format": "date-time"},
        "recommended_by": {"type": ["string", "null"], "description": "推荐人姓名"},
    },
})
RECOMMENDATION = schema("Recommendation", {
    "type": "object", "properties": {"note": {"type": "string", "description": "推荐意见（可选）"}},
})
