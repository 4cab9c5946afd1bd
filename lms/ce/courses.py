"""Online courses (标准云课堂): staff publish courses and upload lessons in chunks; learners see
published courses with their progress. Learning time is counted in lms.ce.learning.

A lesson's file is uploaded in chunks (each at most a few MB, so no request is large): each
chunk is appended with one conditional UPDATE on the bytes received so far (`received =
:offset`), which also serializes two uploads of the same lesson; the first chunk is checked by
content (a PDF for a PDF lesson, WebM or MP4 for a video) and the lesson is ready once every
byte arrived. Files live under CE_STORAGE_DIR, shared by every host.
"""
from __future__ import annotations

import os

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from lms.banks.models import QuestionBank
from lms.ce import access, storage, validate
from lms.ce.course_models import Course, Lesson, LessonProgress
from lms.ce.enums import Category, LessonKind
from lms.core import audit
from lms.core.errors import Conflict, ValidationFailed
from lms.core.permissions import institution_ids, is_admin, one_or_404
from lms.extensions import db

MAX_MIN_SECONDS = 6 * 3600
MAX_QUIZ = 50


def published_courses() -> Select:
    return select(Course).where(Course.published.is_(True)).order_by(Course.created_at.desc(), Course.id.desc())


def managed_courses(actor) -> Select:
    return (select(Course).where(access.organizer_clause(actor, Course))
            .order_by(Course.created_at.desc(), Course.id.desc()))


def get_course(actor, course_id: int) -> Course:
    """A published course (anyone signed in), or one the actor organizes."""
    visible = Course.published.is_(True) | access.organizer_clause(actor, Course)
    return one_or_404(select(Course).where(Course.id == course_id, visible))


def get_lesson(actor, lesson_id: int) -> Lesson:
    lesson = one_or_404(select(Lesson).where(Lesson.id == lesson_id))
    get_course(actor, lesson.course_id)
    return lesson


def quiz_banks(actor) -> list[QuestionBank]:
    """Banks a course organizer may draw a final quiz from: shared ones and their institutions'."""
    stmt = select(QuestionBank).order_by(QuestionBank.code)
    if not is_admin(actor):
        own = sorted(institution_ids(actor, "institution"))
        stmt = stmt.where(QuestionBank.owner_institution_id.is_(None) | QuestionBank.owner_institution_id.in_(own))
    return list(db.session.scalars(stmt))


def save_course(actor, data: dict, course: Course | None = None) -> Course:
    """`data`: title, category, hours, description, organizer (new courses), quiz_bank (a bank
    code or empty), quiz_count, quiz_pass_mark, published (bool)."""
    access.require_publish(actor, course, _l("只有承办机构、市场监管局可以发布网络课程"))
    problems = validate.Problems()
    title = validate.text(data, "title", problems)
    category = validate.choice(data, "category", Category, problems)
    hours = validate.hours(data.get("hours"), "hours", problems, high=100)
    description = validate.text(data, "description", problems, required=False, max_length=5000)
    bank = None
    if data.get("quiz_bank"):
        bank = next((b for b in quiz_banks(actor) if b.code == data.get("quiz_bank")), None)
        if bank is None:
            problems["quiz_bank"] = _l("不是您可以使用的题库")
    count = validate.whole(data.get("quiz_count") or 0, "quiz_count", problems, low=0, high=MAX_QUIZ)
    if bank is not None and not count:
        problems["quiz_count"] = _l("选了题库时应为 1 到 %(high)s 之间的整数", high=MAX_QUIZ)
    pass_mark = validate.whole(data.get("quiz_pass_mark") or 60, "quiz_pass_mark", problems, low=0, high=100)
    organizer = access.pick_organizer(actor, data.get("organizer"), problems) if course is None else None
    publish = bool(data.get("published"))
    if publish and (course is None or not course.lessons or not all(lesson.ready for lesson in course.lessons)):
        problems["published"] = _l("先上传全部课时，再发布课程")
    problems.raise_if_any(_l("课程信息有误"))
    if course is None:
        course = Course(institution_id=organizer.institution_id, region_id=organizer.region_id, created_by_id=actor.id)
        db.session.add(course)
    course.title, course.category, course.hours, course.description = title, category, hours, description
    course.quiz_bank_id, course.quiz_count = (bank.id, count) if bank else (None, 0)
    course.quiz_pass_mark, course.published = pass_mark, publish
    db.session.flush()
    audit.record(actor, "ce.course.save", course, title=title, published=course.published)
    return course


# ---- lessons and their files ----------------------------------------------------------------

def _max_bytes() -> int:
    return current_app.config.get("CE_LESSON_MAX_BYTES") or 2 * 1024 ** 3


def add_lesson(actor, course: Course, data: dict) -> Lesson:
    """A new lesson waiting for its file: title, kind (video/pdf), min_seconds, size (bytes)."""
    access.require_organize(actor, course)
    problems = validate.Problems()
    title = validate.text(data, "title", problems)
    kind = validate.choice(data, "kind", LessonKind, problems)
    min_seconds = validate.whole(data.get("min_seconds"), "min_seconds", problems, low=1, high=MAX_MIN_SECONDS)
    size = validate.whole(data.get("size"), "size", problems, low=1, high=_max_bytes())
    if "size" in problems:
        problems["size"] = _l("文件应大于 0 字节、不超过 %(mb)s MB", mb=_max_bytes() // 1048576)
    problems.raise_if_any(_l("课时信息有误"))
    position = (db.session.scalar(select(func.max(Lesson.position)).where(Lesson.course_id == course.id)) or 0) + 1
    lesson = Lesson(course_id=course.id, position=position, title=title, kind=kind, min_seconds=min_seconds,
                    size=size, received=0, ready=False)
    db.session.add(lesson)
    db.session.flush()
    lesson.path = f"lessons/{course.id}/{lesson.id}.{'pdf' if kind == LessonKind.PDF else 'video'}"
    audit.record(actor, "ce.lesson.add", lesson, title=title, size=size)
    return lesson


def content_type_of(kind: LessonKind, head: bytes) -> str | None:
    """The file's type judged by its first bytes, if it fits the lesson's kind."""
    if kind == LessonKind.PDF:
        return "application/pdf" if head.startswith(b"%PDF-") else None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    return None


def receive_chunk(actor, lesson: Lesson, offset: int, chunk: bytes) -> Lesson:
    """Append `chunk` at `offset` (which must be the bytes received so far)."""
    access.require_organize(actor, lesson.course)
    if lesson.ready:
        raise Conflict(_l("该课时的文件已上传完成"))
    if not chunk:
        raise ValidationFailed(_l("文件内容为空"), {"file": _l("请选择要上传的文件")})
    if offset + len(chunk) > lesson.size:
        raise ValidationFailed(_l("文件大小与登记的不一致"), {"file": _l("超出登记的文件大小")})
    content_type = lesson.content_type
    if offset == 0:
        content_type = content_type_of(lesson.kind, chunk[:16])
        if content_type is None:
            raise ValidationFailed(_l("文件类型不支持"), {"file": _l("视频应为 MP4 或 WebM，文档应为 PDF（按文件内容判断）")})
    done = offset + len(chunk) == lesson.size
    moved = db.session.execute(
        update(Lesson).where(Lesson.id == lesson.id, Lesson.received == offset, Lesson.ready.is_(False))
        .values(received=offset + len(chunk), content_type=content_type, ready=done)
        .execution_options(synchronize_session=False)).rowcount
    if not moved:
        db.session.refresh(lesson)
        raise Conflict(_l("上传位置不一致：已收到 %(n)s 字节，请从那里继续", n=lesson.received))
    target = storage.root() / lesson.path
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "r+b" if offset else "wb") as handle:  # the row lock above keeps other uploads out
        handle.seek(offset)
        handle.write(chunk)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    db.session.refresh(lesson)
    if done:
        audit.record(actor, "ce.lesson.uploaded", lesson, size=lesson.size)
    return lesson


def lesson_file(lesson: Lesson):
    return storage.path(lesson.path)


def progress_of(user_id: int, lesson_ids: list[int]) -> dict[int, LessonProgress]:
    if not lesson_ids:
        return {}
    return {p.lesson_id: p for p in db.session.scalars(select(LessonProgress).where(
        LessonProgress.user_id == user_id, LessonProgress.lesson_id.in_(lesson_ids)))}


def lesson_json(lesson: Lesson, progress: LessonProgress | None = None) -> dict:
    data = {"id": lesson.id, "position": lesson.position, "title": lesson.title, "kind": lesson.kind.value,
            "min_seconds": lesson.min_seconds, "ready": lesson.ready, "size": lesson.size, "received": lesson.received}
    if progress is not None:
        data.update(seconds=round(progress.seconds, 1), completed=progress.completed_at is not None)
    return data
