"""OpenAPI schemas of profiles, cohorts, applications and attendance (DESIGN §6 shapes)."""
from lms.api.openapi import schema
from lms.enrollment.models import APPOINTMENT_STATUSES, ATTENDANCE_STATUSES, EDUCATION_LEVELS, GENDERS, TITLE_LEVELS

PROFILE = schema("Profile", {
    "type": "object",
    "required": ["name", "gender", "id_number", "phone", "enterprise_uscc", "position", "education",
                 "title_level", "standardization_years", "appointment_status"],
    "properties": {
        "name": {"type": "string"},
        "gender": {"enum": list(GENDERS)},
        "id_number": {"type": "string", "description": "18位身份证号码 (GB 11643)"},
        "phone": {"type": "string"},
        "enterprise_uscc": {"type": ["string", "null"], "description": "统一社会信用代码 (GB 32100)"},
        "enterprise_name": {"type": ["string", "null"], "description": "新企业必填，创建后待核实"},
        "position": {"type": "string"},
        "education": {"enum": list(EDUCATION_LEVELS)},
        "major": {"type": "string"},
        "standardization_major": {"type": "boolean"},
        "title_level": {"enum": list(TITLE_LEVELS)},
        "standardization_years": {"type": "number", "minimum": 0},
        "appointment_status": {"enum": list(APPOINTMENT_STATUSES)},
    },
})
COHORT = schema("Cohort", {
    "type": "object",
    "required": ["code", "title", "program_code", "level", "starts_on", "ends_on", "capacity", "seats_left"],
    "properties": {
        "code": {"type": "string"}, "title": {"type": "string"}, "program_code": {"type": "string"},
        "level": {"enum": ["cso", "director", "specialist"]},
        "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
        "capacity": {"type": "integer"}, "seats_left": {"type": "integer"},
        "applications_close_on": {"type": "string", "format": "date"},
        "institution": {"type": "string"}, "region": {"type": "string"},
    },
})
ELIGIBILITY = schema("Eligibility", {
    "type": "object", "required": ["result", "reasons"],
    "properties": {"result": {"enum": ["eligible", "review", "ineligible", None]},
                   "reasons": {"type": "array", "items": {"type": "string"}}},
})
APPLICATION = schema("Application", {
    "type": "object", "required": ["id", "cohort_code", "status", "eligibility"],
    "properties": {
        "id": {"type": "integer"}, "cohort_code": {"type": "string"},
        "status": {"enum": ["nominated", "eligible", "review", "ineligible", "approved", "rejected",
                            "waitlisted", "withdrawn"]},
        "eligibility": ELIGIBILITY,
    },
})
DECISION = schema("Decision", {
    "type": "object", "required": ["decision"],
    "properties": {"decision": {"enum": ["approve", "reject", "waitlist"]},
                   "note": {"type": "string", "description": "不予录取时必填"}},
})
ATTENDANCE_SHEET = schema("AttendanceSheet", {
    "type": "object", "required": ["session_id", "records"],
    "properties": {
        "session_id": {"type": "integer"},
        "records": {"type": "array", "items": {
            "type": "object", "required": ["application_id", "status"],
            "properties": {"application_id": {"type": "integer"}, "status": {"enum": list(ATTENDANCE_STATUSES)}}}},
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
})
CHECKIN = schema("CheckIn", {
    "type": "object", "required": ["token"],
    "properties": {"token": {"type": "string", "description": "the token of the projected QR URL (/checkin/{id}/{token})"}},
})
CHECKIN_RESULT = schema("CheckInResult", {
    "type": "object", "required": ["session_id", "status", "created"],
    "properties": {"session_id": {"type": "integer"}, "status": {"enum": list(ATTENDANCE_STATUSES)},
                   "created": {"type": "boolean", "description": "false: already checked in"}},
})
QUEUED_APPLICATION = schema("QueuedApplication", {
    "type": "object", "required": ["id", "cohort_code", "status", "eligibility", "applicant", "submitted_at",
                                   "recommended_at", "recommended_by"],
    "properties": {
        "id": {"type": "integer"}, "cohort_code": {"type": "string"}, "status": {"enum": ["eligible", "review"]},
        "eligibility": ELIGIBILITY, "applicant": {"type": "string"}, "enterprise": {"type": ["string", "null"]},
        "submitted_at": {"type": "string", "format": "date-time"},
        "recommended_at": {"type": ["string", "null"], "format": "date-time"},
        "recommended_by": {"type": ["string", "null"], "description": "推荐人姓名"},
    },
})
RECOMMENDATION = schema("Recommendation", {
    "type": "object", "properties": {"note": {"type": "string", "description": "推荐意见（可选）"}},
})
