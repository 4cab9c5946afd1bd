"""Online courses over the API: courses and lessons (staff publish and upload in chunks), the
player's start and heartbeats, the final quiz."""
from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l

from lms.api import openapi
from lms.api.base import api_route, caller, caller_id, json_body
from lms.ce import courses, learning, quiz
from lms.ce.api_schemas import (COURSE, COURSE_INPUT, HEARTBEAT, HEARTBEAT_RESULT, LESSON, LESSON_INPUT, PLAY, QUIZ,
                                QUIZ_ANSWERS, QUIZ_RESULT)
from lms.ce.course_models import Course, QuizAttempt
from lms.core.errors import NotFound, ValidationFailed
from lms.extensions import db

COURSE_ID = [{"name": "course_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
LESSON_ID = [{"name": "lesson_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
ATTEMPT_ID = [{"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def course_json(course: Course, user_id: int | None = None) -> dict:
    progress = courses.progress_of(user_id, [lesson.id for lesson in course.lessons]) if user_id else {}
    data = {"id": course.id, "title": course.title, "category": course.category.value, "hours": course.hours,
            "organizer": course.organizer_name, "published": course.published, "has_quiz": course.has_quiz,
            "lessons": [courses.lesson_json(lesson, progress.get(lesson.id)) for lesson in course.lessons]}
    if user_id:
        data["progress"] = learning.course_progress(user_id, course)
    return data


@api_route("/ce/courses", "GET", summary="已发布的网络课程及本人进度", tags=["continuing-education"],
           responses={"200": ("课程", {"type": "array", "items": COURSE})})
def list_courses():
    actor = caller()
    return [course_json(c, actor.id) for c in db.session.scalars(courses.published_courses())]


@api_route("/ce/courses/<int:course_id>", "GET", summary="一门网络课程：课时与本人进度", tags=["continuing-education"],
           parameters=COURSE_ID, responses={"200": ("课程", COURSE)}, errors=("404",))
def get_course(course_id: int):
    actor = caller()
    return course_json(courses.get_course(actor, course_id), actor.id)


@api_route("/ce/courses", "POST", summary="新建网络课程（承办机构、市场监管局）", tags=["continuing-education"],
           request=COURSE_INPUT, responses={"201": ("课程", COURSE)}, errors=("400", "403", "422"))
def create_course():
    return course_json(courses.save_course(caller(), json_body())), 201


@api_route("/ce/courses/<int:course_id>/lessons", "POST", summary="新增课时，随后分块上传文件（组织方）",
           tags=["continuing-education"], parameters=COURSE_ID, request=LESSON_INPUT,
           responses={"201": ("课时", LESSON)}, errors=("400", "403", "404", "422"))
def add_lesson(course_id: int):
    actor = caller()
    return courses.lesson_json(courses.add_lesson(actor, courses.get_course(actor, course_id), json_body())), 201


@api_route("/ce/lessons/<int:lesson_id>/content", "PUT",
           summary="上传课时文件的一块（组织方）：请求体为字节，Content-Range: bytes 起-止/总；须接着已收到的字节",
           tags=["continuing-education"], parameters=LESSON_ID, responses={"200": ("课时", LESSON)},
           errors=("400", "403", "404", "409", "422"))
def upload_content(lesson_id: int):
    actor = caller()
    lesson = courses.get_lesson(actor, lesson_id)
    found = CONTENT_RANGE.match(request.headers.get("Content-Range", ""))
    chunk = request.get_data(cache=False)
    if found is None or int(found.group(3)) != lesson.size or int(found.group(2)) - int(found.group(1)) + 1 != len(chunk):
        raise ValidationFailed(_l("Content-Range 有误"),
                               {"Content-Range": _l("应为 bytes 起-止/总，总数为 %(size)s，与请求体长度一致", size=lesson.size)})
    return courses.lesson_json(courses.receive_chunk(actor, lesson, int(found.group(1)), chunk))


openapi.PATHS["/ce/lessons/{lesson_id}/content"]["put"]["requestBody"] = {
    "required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


@api_route("/ce/lessons/<int:lesson_id>/start", "POST",
           summary="开始（或继续）学习一课时：返回播放编号；同一账户同时只计一个课时", tags=["continuing-education"],
           parameters=LESSON_ID, responses={"200": ("播放", PLAY)}, errors=("403", "404", "409"))
def start_lesson(lesson_id: int):
    actor = caller()
    return learning.start(actor, courses.get_lesson(actor, lesson_id))


@api_route("/ce/lessons/<int:lesson_id>/heartbeat", "POST",
           summary="学习心跳（约每 15 秒）：服务器按心跳计时；隐藏、暂停、拖动不计，快于实际时间或未开始的课时拒绝",
           tags=["continuing-education"], parameters=LESSON_ID, request=HEARTBEAT,
           responses={"200": ("计时", HEARTBEAT_RESULT)}, errors=("400", "409", "422"), identity="id")
def heartbeat(lesson_id: int):
    return learning.heartbeat(caller_id(), lesson_id, json_body())


@api_route("/ce/courses/<int:course_id>/quiz", "POST", summary="参加结业测验（学完全部课时后）：返回题目",
           tags=["continuing-education"], parameters=COURSE_ID, responses={"200": ("测验", QUIZ)},
           errors=("403", "404", "409"))
def start_quiz(course_id: int):
    actor = caller()
    attempt = quiz.start(actor, courses.get_course(actor, course_id))
    return {"id": attempt.id, "questions": quiz.questions(attempt)}


@api_route("/ce/quiz-attempts/<int:attempt_id>/submit", "POST", summary="交卷（只评一次）；通过后课程完成即记入学时",
           tags=["continuing-education"], parameters=ATTEMPT_ID, request=QUIZ_ANSWERS,
           responses={"200": ("成绩", QUIZ_RESULT)}, errors=("400", "404", "422"))
def submit_quiz(attempt_id: int):
    actor = caller()
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != actor.id:
        raise NotFound(_l("未找到该测验"))
    responses = json_body().get("responses")
    if not isinstance(responses, dict):
        raise ValidationFailed(_l("答案有误"), {"responses": _l("应为对象：题目 id → 答案")})
    attempt = quiz.submit(actor, attempt, responses)
    course = db.session.get(Course, attempt.course_id)
    return {"id": attempt.id, "score": attempt.score, "max_score": attempt.max_score, "passed": bool(attempt.passed),
            "course_completed": learning.course_done(actor.id, course)}
