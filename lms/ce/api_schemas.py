"""OpenAPI schemas of continuing education (DESIGN §9 shapes)."""
from lms.api.openapi import schema
from lms.ce.enums import ActivityKind, Category, ClaimKind, ClaimStatus, CreditSource, LessonKind, RegistrationStatus

DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
HOURS = {"type": "number", "exclusiveMinimum": 0}

ACTIVITY_INPUT = schema("CeActivityInput", {
    "type": "object", "required": ["title", "kind", "starts_at", "ends_at", "hours", "category", "capacity"],
    "properties": {
        "title": {"type": "string"}, "kind": {"enum": list(ActivityKind.values())},
        "starts_at": TIME, "ends_at": TIME, "place": {"type": "string"},
        "hours": {**HOURS, "description": "不超过活动时长"}, "category": {"enum": list(Category.values())},
        "capacity": {"type": "integer", "minimum": 1}, "description": {"type": "string"},
        "organizer": {"type": "string", "description": "institution:<id> 或 region:<id>；默认本人的第一个"},
    },
})
ACTIVITY = schema("CeActivity", {
    "type": "object",
    "required": ["id", "title", "kind", "category", "starts_at", "ends_at", "place", "hours", "capacity",
                 "seats_left", "organizer", "registration_open", "my_registration"],
    "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "kind": {"enum": list(ActivityKind.values())},
        "category": {"enum": list(Category.values())}, "starts_at": TIME, "ends_at": TIME,
        "place": {"type": "string"}, "hours": {"type": "number"}, "capacity": {"type": "integer"},
        "seats_left": {"type": "integer"}, "organizer": {"type": "string"},
        "registration_open": {"type": "boolean"},
        "my_registration": {"enum": [*RegistrationStatus.values(), None]},
    },
})
REGISTRATION = schema("CeRegistration", {
    "type": "object", "required": ["id", "activity_id", "status"],
    "properties": {"id": {"type": "integer"}, "activity_id": {"type": "integer"},
                   "status": {"enum": list(RegistrationStatus.values())},
                   "user_id": {"type": "integer"}, "name": {"type": "string"},
                   "present": {"type": ["boolean", "null"]}},
})
ATTENDANCE_INPUT = schema("CeAttendanceInput", {
    "type": "object", "required": ["records"],
    "properties": {"records": {"type": "array", "items": {
        "type": "object", "required": ["user_id", "present"],
        "properties": {"user_id": {"type": "integer"}, "present": {"type": "boolean"}}}}},
})
ATTENDANCE_RESULT = schema("CeAttendanceResult", {
    "type": "object", "required": ["present", "absent", "credited"],
    "properties": {"present": {"type": "integer"}, "absent": {"type": "integer"},
                   "credited": {"type": "integer", "description": "本次新记入学时的人数（已记入的不再重复）"}},
})
CHECKIN_INPUT = schema("CeCheckinInput", {"type": "object", "required": ["token"],
                                          "properties": {"token": {"type": "string"}}})
CHECKIN_RESULT = schema("CeCheckinResult", {
    "type": "object", "required": ["credited", "hours"],
    "properties": {"credited": {"type": "boolean", "description": "false：此前已签到并记入学时"},
                   "hours": {"type": "number"}},
})
CREDIT = schema("CeCredit", {
    "type": "object", "required": ["id", "hours", "category", "source", "source_id", "title", "earned_on"],
    "properties": {"id": {"type": "integer"}, "hours": {"type": "number"},
                   "category": {"enum": list(Category.values())}, "source": {"enum": list(CreditSource.values())},
                   "source_id": {"type": "integer"}, "title": {"type": "string"}, "earned_on": DATE},
})
STANDING = schema("CeStanding", {
    "type": "object", "required": ["year", "required_hours", "earned_hours", "by_category", "complete", "credits"],
    "properties": {
        "year": {"type": "integer"}, "required_hours": {"type": "number"}, "earned_hours": {"type": "number"},
        "by_category": {"type": "object", "properties": {c: {"type": "number"} for c in Category.values()}},
        "complete": {"type": "boolean"}, "credits": {"type": "array", "items": CREDIT},
    },
})
CLAIM = schema("CeClaim", {
    "type": "object", "required": ["id", "status", "title", "kind", "category", "hours", "happened_on", "ended_on"],
    "properties": {
        "id": {"type": "integer"}, "status": {"enum": list(ClaimStatus.values())}, "title": {"type": "string"},
        "kind": {"enum": list(ClaimKind.values())}, "category": {"enum": list(Category.values())},
        "hours": {"type": "number"}, "approved_hours": {"type": ["number", "null"]},
        "happened_on": DATE, "ended_on": DATE, "note": {"type": "string"}, "user_id": {"type": "integer"},
    },
})
CLAIM_DECISION = schema("CeClaimDecision", {
    "type": "object", "required": ["decision"],
    "properties": {"decision": {"enum": ["approve", "reject"]},
                   "hours": {**HOURS, "description": "通过时可少于申报学时；默认为申报学时"},
                   "note": {"type": "string", "description": "不通过时必填"}},
})
LESSON = schema("CeLesson", {
    "type": "object", "required": ["id", "position", "title", "kind", "min_seconds", "ready"],
    "properties": {"id": {"type": "integer"}, "position": {"type": "integer"}, "title": {"type": "string"},
                   "kind": {"enum": list(LessonKind.values())}, "min_seconds": {"type": "integer"},
                   "ready": {"type": "boolean"}, "size": {"type": "integer"}, "received": {"type": "integer"},
                   "seconds": {"type": "number"}, "completed": {"type": "boolean"}},
})
TRANSCRIPT_CHECK = schema("CeTranscriptCheck", {
    "type": "object",
    "required": ["number", "year", "status", "verdict", "token", "holder_name", "required_hours", "earned_hours",
                 "complete", "issued_on"],
    "properties": {
        "number": {"type": "string"}, "year": {"type": "integer"}, "status": {"enum": ["valid", "superseded"]},
        "verdict": {"enum": ["valid", "suspect", "superseded"],
                    "description": "所知情况中最差的一项：记录有效但令牌或上传的 PDF 不符时为 suspect"},
        "token": {"enum": ["valid", "invalid", "absent"]}, "pdf": {"enum": ["genuine", "altered", None]},
        "holder_name": {"type": "string", "description": "脱敏姓名"}, "id_number": {"type": "string"},
        "required_hours": {"type": "number"}, "earned_hours": {"type": "number"},
        "by_category": {"type": "object", "additionalProperties": {"type": "number"}},
        "complete": {"type": "boolean"}, "issued_on": DATE, "superseded_on": {"type": ["string", "null"]},
    },
})
COURSE = schema("CeCourse", {
    "type": "object", "required": ["id", "title", "category", "hours", "organizer", "published", "has_quiz", "lessons"],
    "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "category": {"enum": list(Category.values())},
        "hours": {"type": "number"}, "organizer": {"type": "string"}, "published": {"type": "boolean"},
        "has_quiz": {"type": "boolean"}, "lessons": {"type": "array", "items": LESSON},
        "progress": {"type": "object", "properties": {
            "lessons": {"type": "integer"}, "completed": {"type": "integer"},
            "quiz_passed": {"type": ["boolean", "null"]}, "credited": {"type": "boolean"}}},
    },
})
COURSE_INPUT = schema("CeCourseInput", {
    "type": "object", "required": ["title", "category", "hours"],
    "properties": {"title": {"type": "string"}, "category": {"enum": list(Category.values())}, "hours": HOURS,
                   "description": {"type": "string"}, "organizer": {"type": "string"},
                   "quiz_bank": {"type": "string", "description": "题库编号；不填则无结业测验"},
                   "quiz_count": {"type": "integer"}, "quiz_pass_mark": {"type": "integer"},
                   "published": {"type": "boolean"}},
})
LESSON_INPUT = schema("CeLessonInput", {
    "type": "object", "required": ["title", "kind", "min_seconds", "size"],
    "properties": {"title": {"type": "string"}, "kind": {"enum": list(LessonKind.values())},
                   "min_seconds": {"type": "integer", "minimum": 1, "description": "最少学习时长（秒），由服务器按心跳计时"},
                   "size": {"type": "integer", "minimum": 1, "description": "文件字节数；随后分块上传到 /ce/lessons/{id}/content"}},
})
PLAY = schema("CePlay", {
    "type": "object", "required": ["play", "position", "seconds", "min_seconds", "completed", "interval"],
    "properties": {"play": {"type": "string"}, "position": {"type": "number"}, "seconds": {"type": "number"},
                   "min_seconds": {"type": "integer"}, "completed": {"type": "boolean"},
                   "interval": {"type": "integer", "description": "心跳间隔（秒）"}},
})
HEARTBEAT = schema("CeHeartbeat", {
    "type": "object", "required": ["play", "playing", "visible"],
    "properties": {"play": {"type": "string"}, "position": {"type": "number", "minimum": 0,
                                                             "description": "视频播放位置（秒）；PDF 课时不填"},
                   "playing": {"type": "boolean"}, "visible": {"type": "boolean"},
                   "seeked": {"type": "boolean", "description": "上次心跳后拖动过进度"}},
})
HEARTBEAT_RESULT = schema("CeHeartbeatResult", {
    "type": "object", "required": ["seconds", "min_seconds", "counted", "completed", "course_completed", "credited_hours"],
    "properties": {"seconds": {"type": "number"}, "min_seconds": {"type": "integer"}, "counted": {"type": "number"},
                   "completed": {"type": "boolean"}, "course_completed": {"type": "boolean"},
                   "credited_hours": {"type": ["number", "null"]}},
})
QUIZ = schema("CeQuiz", {
    "type": "object", "required": ["id", "questions"],
    "properties": {"id": {"type": "integer"}, "questions": {"type": "array", "items": {
        "type": "object", "required": ["id", "type", "stem", "options"],
        "properties": {"id": {"type": "integer"}, "type": {"enum": ["single", "multiple", "truefalse"]},
                       "stem": {"type": "string"},
                       "options": {"type": "array", "items": {"type": "object", "properties": {
                           "key": {"type": "string"}, "text": {"type": "string"}}}}}}}},
})
QUIZ_ANSWERS = schema("CeQuizAnswers", {
    "type": "object", "required": ["responses"],
    "properties": {"responses": {"type": "object", "description": "题目 id → \"B\" / [\"A\",\"C\"] / true"}},
})
QUIZ_RESULT = schema("CeQuizResult", {
    "type": "object", "required": ["id", "score", "max_score", "passed", "course_completed"],
    "properties": {"id": {"type": "integer"}, "score": {"type": "number"}, "max_score": {"type": "number"},
                   "passed": {"type": "boolean"}, "course_completed": {"type": "boolean"}},
})
