"""Exams and attempts for trainees (also what the web exam page calls)."""
from flask import request
from flask_babel import lazy_gettext as _l

from lms.api.base import MINIMAL_APPLIED, api_route, caller, caller_id, json_body, prefers_minimal
from lms.api.openapi import SCHEMAS, schema
from lms.core.errors import ValidationFailed
from lms.core.permissions import require_role
from lms.core.time import utcnow
from lms.exams import integrity, services
from lms.exams.models import REPORTED_KINDS, AttemptStatus
from lms.exams.present import MyExamStatus, attempt_json, iso, my_exam_list, submitted_json
from lms.extensions import db

ATTEMPT_ID = [{"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
EXAM_ID = [{"name": "exam_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
QUESTION_ID = [{"name": "question_id", "in": "path", "required": True, "schema": {"type": "integer"},
                "description": "题目 id（questions[].id）"}]
TIME = {"type": "string", "format": "date-time"}

MY_EXAM = schema("MyExam", {
    "type": "object",
    "required": ["id", "title", "cohort_code", "opens_at", "closes_at", "duration_minutes", "attempts_allowed",
                 "attempts_used", "status"],
    "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "cohort_code": {"type": "string"},
        "opens_at": TIME, "closes_at": TIME, "duration_minutes": {"type": "integer"},
        "attempts_allowed": {"type": "integer"}, "attempts_used": {"type": "integer"},
        "status": {"enum": list(MyExamStatus.values())},
        "can_start": {"type": "boolean"}, "reason": {"type": ["string", "null"]},
        "last_attempt_id": {"type": ["integer", "null"]},
    },
})
QUESTION = schema("AttemptQuestion", {
    "type": "object", "required": ["id", "type", "stem", "options", "points"],
    "properties": {
        "id": {"type": "integer"}, "type": {"enum": ["single", "multiple", "truefalse", "fill", "essay"]},
        "stem": {"type": "string"}, "points": {"type": "number"}, "position": {"type": "integer"},
        "blanks": {"type": "integer", "description": "填空题的空数"},
        "options": {"type": "array", "description": "in the order shown; `key` is the letter shown (A, B, C…)",
                    "items": {"type": "object", "required": ["key", "text"], "properties": {
                        "key": {"type": "string"}, "text": {"type": "string"}}}},
    },
})
ATTEMPT = schema("Attempt", {
    "type": "object",
    "required": ["id", "exam_id", "status", "deadline", "server_time", "remaining_seconds", "questions", "answers"],
    "properties": {
        "id": {"type": "integer"}, "exam_id": {"type": "integer"}, "exam_title": {"type": "string"},
        "number": {"type": "integer"},
        "status": {"enum": list(AttemptStatus.values())},
        "started_at": TIME, "deadline": TIME, "submitted_at": {"type": ["string", "null"], "format": "date-time"},
        "server_time": TIME, "remaining_seconds": {"type": "integer"},
        "questions": {"type": "array", "items": QUESTION},
        "answers": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["response", "seq"],
            "properties": {"response": {}, "seq": {"type": "integer"}}}},
        "score": {"type": ["number", "null"]}, "max_score": {"type": "number"},
        "passed": {"type": ["boolean", "null"]},
    },
})
ATTEMPT_SUMMARY = schema("AttemptSummary", {
    "type": "object", "description": "an Attempt without the paper (questions, answers)",
    "required": ["id", "exam_id", "status", "deadline", "server_time", "remaining_seconds"],
    "properties": {name: value for name, value in SCHEMAS["Attempt"]["properties"].items()
                   if name not in ("questions", "answers")},
})
PREFER = [{"name": "Prefer", "in": "header", "required": False, "schema": {"type": "string"},
           "description": "return=minimal (RFC 7240): 答复不含试卷（questions、answers），并带 "
                          "Preference-Applied: return=minimal；考试页面交卷后即转到成绩页，用的就是它"}]
SAVE = schema("AnswerSave", {
    "type": "object", "required": ["response", "seq"],
    "properties": {"response": {"description": "single \"B\"; multiple [\"A\",\"C\"] (the option letters shown); "
                                               "truefalse true/false; fill [\"...\"] per blank; essay \"text\"; "
                                               "null clears; another shape is refused (422 naming `response`)"},
                   "seq": {"type": "integer", "minimum": 1,
                           "description": "increases with every change; a lower or equal seq than stored is ignored"}},
})
SAVED = schema("AnswerSaved", {
    "type": "object", "required": ["question_id", "seq", "applied", "server_time", "remaining_seconds"],
    "properties": {"question_id": {"type": "integer"}, "seq": {"type": "integer", "description": "the stored seq"},
                   "applied": {"type": "boolean", "description": "false: a newer answer was already stored"},
                   "saved_at": {"type": ["string", "null"], "format": "date-time"},
                   "server_time": TIME, "remaining_seconds": {"type": "integer"}},
})
EVENT = schema("IntegrityEventIn", {
    "type": "object", "required": ["kind"],
    "properties": {"kind": {"enum": list(REPORTED_KINDS)}, "detail": {"type": "object"}},
})
EVENT_OUT = schema("IntegrityEventResult", {
    "type": "object", "required": ["tab_switches", "warning"],
    "properties": {"tab_switches": {"type": "integer"}, "max_tab_switches": {"type": ["integer", "null"]},
                   "warning": {"type": ["string", "null"]}},
})


def _trainee():
    actor = caller()
    require_role(actor, "trainee")
    return actor


@api_route("/me/exams", "GET", summary="本人的考试：正在进行和将要进行的", tags=["exams"],
           responses={"200": ("考试", {"type": "array", "items": MY_EXAM})}, errors=("403",))
def my_exams():
    return [info for _exam, info in my_exam_list(_trainee(), utcnow())]


@api_route("/exams/<int:exam_id>/attempts", "POST",
           summary="开始考试（201）或继续未交卷的答卷（200）；截止时间在开始时确定", tags=["exams"],
           parameters=EXAM_ID, responses={"201": ("新答卷", ATTEMPT), "200": ("继续作答", ATTEMPT)},
           errors=("403", "404", "409"))
def start_attempt(exam_id: int):
    actor = _trainee()
    attempt, created = services.start(actor, exam_id, ip=request.remote_addr, user_agent=request.user_agent.string)
    if created:  # built from memory, then a short write transaction (SQLite: one writer at a time)
        data = attempt_json(attempt, utcnow())
        db.session.commit()
        return data, 201
    return attempt_json(attempt, utcnow()), 200


@api_route("/attempts/<int:attempt_id>", "GET", summary="本人的答卷：题目、已保存的答案、剩余时间",
           tags=["exams"], parameters=ATTEMPT_ID, responses={"200": ("答卷", ATTEMPT)}, errors=("404",))
def get_attempt(attempt_id: int):
    attempt = services.get_attempt(caller(), attempt_id)
    return attempt_json(attempt, utcnow())


@api_route("/attempts/<int:attempt_id>/answers/<int:question_id>", "PUT",
           summary="保存一题的答案（自动保存）；seq 较小的请求被忽略；交卷后或超过截止时间+宽限期返回 409",
           tags=["exams"], parameters=ATTEMPT_ID + QUESTION_ID, request=SAVE, responses={"200": ("已保存", SAVED)},
           errors=("400", "404", "409", "422"))
def save_answer(attempt_id: int, question_id: int):
    actor = caller()
    data = json_body()
    if "response" not in data:
        raise ValidationFailed(_l("缺少 response"), {"response": _l("必填")})
    try:
        result = services.save_answer(actor, attempt_id, question_id, data["response"], data.get("seq"),
                                      ip=request.remote_addr, user_agent=request.user_agent.string)
    except services.AttemptClosed:
        services.get_attempt(actor, attempt_id)  # closes it if it is overdue
        db.session.commit()
        raise
    return {"question_id": result.question_id, "seq": result.seq, "applied": result.applied,
            "saved_at": iso(result.saved_at), "server_time": iso(result.now),
            "remaining_seconds": max(0, int((result.deadline - result.now).total_seconds()))}


@api_route("/attempts/<int:attempt_id>/submit", "POST",
           summary="交卷（幂等：重复提交返回同一结果）；成绩已公布时含 score、max_score、passed", tags=["exams"],
           parameters=ATTEMPT_ID + PREFER, responses={"200": ("答卷", {"anyOf": [ATTEMPT, ATTEMPT_SUMMARY]})},
           errors=("400", "404", "422"), identity="id")
def submit_attempt(attempt_id: int):
    # the caller's id and plain values: the deadline storm's hot path (with a bearer token, lms.exams.fast)
    minimal = prefers_minimal(request.headers.get("Prefer"))
    handed = services.hand_in(db.session, {"p_owner": caller_id()}, attempt_id, grace_period=services.grace(),
                              paper=not minimal)
    db.session.commit()  # as in start: the answer sheet is built outside the write transaction
    return submitted_json(db.session, handed, utcnow(), minimal), 200, [MINIMAL_APPLIED] if minimal else []


@api_route("/attempts/<int:attempt_id>/events", "POST",
           summary="记录答题过程事件（失去焦点、切换页面、粘贴）；超过切屏上限时返回警告", tags=["exams"],
           parameters=ATTEMPT_ID, request=EVENT, responses={"200": ("已记录", EVENT_OUT)}, errors=("404", "422"))
def record_event(attempt_id: int):
    data = json_body()
    detail = data.get("detail") or {}
    if not isinstance(detail, dict):
        raise ValidationFailed(_l("detail 应为对象"), {"detail": _l("应为对象")})
    return integrity.report_event(caller(), attempt_id, data.get("kind"), detail)
