"""Learning time, measured on the server from the player's heartbeats.

Starting a lesson (in course order) opens a *play*: the account's one playing lesson
(ce_players, one row per account, replaced by every start), so heartbeats of another tab or
another lesson are refused (409). Each heartbeat reports the play, the video position, and
whether the player is playing and the page visible. The time between two heartbeats counts
only when both reported playing and visible and the gap is at most MAX_GAP (a player that was
hidden, paused or cut off counts nothing); for a video, when no seek happened in between, and
never more than the position advanced. A heartbeat whose position ran ahead of the server's
clock (faster than real time, beyond 10 % + 5 s for network delays) is refused (422, `position`), as is one from a lesson not
started (422, `lesson_id`); nothing is counted then.

The heartbeat is the hot path: one indexed read and one conditional UPDATE (`beat_at` as
read), in Core. Two heartbeats racing on one play: the second finds `beat_at` moved and is
refused (409), so no interval is counted twice. A lesson completes once its counted time
reaches its minimum; when every lesson is complete (and the quiz passed, if any) the course's
hours are credited once (lms.ce.ledger).
"""
from __future__ import annotations

import math
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from lms.ce import access, ledger
from lms.ce.course_models import CePlayer, Course, Lesson, LessonProgress, QuizAttempt
from lms.ce.enums import CreditSource, LessonKind
from lms.core.errors import Conflict, ValidationFailed
from lms.core.time import utcnow
from lms.enrollment.cohorts import LOCAL_TZ
from lms.extensions import db
from lms.notifications.services import message, notify

BEAT_SECONDS = 15  # what the player sends; shorter lessons get shorter beats (beat_interval)
MAX_GAP = 2 * BEAT_SECONDS + 5  # a longer silence counts nothing
# A position may run ahead of the server's clock by this much: the player reads its position
# when it sends, the server its clock when it answers, and network and queue delays vary
AHEAD_TOLERANCE, AHEAD_RATIO = 5.0, 1.1

COURSE_CREDITED = message("ce.course_credited", _l("您已完成网络课程“%(course)s”，记入 %(hours)s 学时"))

_progress, _players, _lessons = LessonProgress.__table__, CePlayer.__table__, Lesson.__table__
_BEAT_READ = (select(_progress.c.id, _progress.c.beat_at, _progress.c.position, _progress.c.counting,
                     _progress.c.seconds, _progress.c.completed_at, _lessons.c.min_seconds, _lessons.c.kind,
                     _lessons.c.course_id, _players.c.play_id, _players.c.lesson_id.label("playing_lesson"))
              .join(_lessons, _lessons.c.id == _progress.c.lesson_id)
              .join(_players, _players.c.user_id == _progress.c.user_id, isouter=True)
              .where(_progress.c.user_id == bindparam("user_id"), _progress.c.lesson_id == bindparam("lesson_id")))
# the conditional UPDATE of a heartbeat: only if no other heartbeat moved `beat_at` since the read
_BEAT_WRITE = (update(_progress).where(_progress.c.id == bindparam("row_id"), _progress.c.beat_at == bindparam("seen"))
               .values(seconds=_progress.c.seconds + bindparam("counted"), beat_at=bindparam("now"),
                       position=bindparam("new_position"), counting=bindparam("active"),
                       completed_at=func.coalesce(_progress.c.completed_at, bindparam("completed_at"))))


_ASYNC_COMMIT = text("SET LOCAL synchronous_commit TO OFF")


def beat_interval(lesson: Lesson) -> int:
    """Seconds between heartbeats for this lesson: 15, or less for a very short lesson."""
    return max(1, min(BEAT_SECONDS, lesson.min_seconds // 3))


def lessons_before(lesson: Lesson) -> list[Lesson]:
    return [other for other in lesson.course.lessons if (other.position, other.id) < (lesson.position, lesson.id)]


def completed_lessons(user_id: int, course: Course) -> set[int]:
    ids = [lesson.id for lesson in course.lessons]
    if not ids:
        return set()
    return set(db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user_id, LessonProgress.lesson_id.in_(ids),
        LessonProgress.completed_at.is_not(None))))


def _upsert(table, values: dict, key: list[str], changes: dict):
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    return statement.on_conflict_do_update(index_elements=key, set_=changes)


def start(actor, lesson: Lesson, now: datetime | None = None) -> dict:
    """Open a play of `lesson` for the actor (ending any other play of the account)."""
    access.require_person(actor)
    now = now or utcnow()
    course = lesson.course
    if not course.published or not lesson.ready:
        raise Conflict(_l("该课时尚未开放"))
    done = completed_lessons(actor.id, course)
    waiting = [other for other in lessons_before(lesson) if other.id not in done]
    if waiting:
        raise Conflict(_l("请先学完第 %(n)s 课时：%(title)s", n=waiting[0].position, title=waiting[0].title))
    progress = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == actor.id,
                                                              LessonProgress.lesson_id == lesson.id))
    if progress is None:
        try:
            with db.session.begin_nested():
                progress = LessonProgress(user_id=actor.id, lesson_id=lesson.id, started_at=now, beat_at=now)
                db.session.add(progress)
        except IntegrityError:  # another tab started it at the same moment
            progress = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == actor.id,
                                                                      LessonProgress.lesson_id == lesson.id))
    progress.beat_at, progress.counting = now, False
    play = secrets.token_hex(12)
    db.session.execute(_upsert(_players, {"user_id": actor.id, "play_id": play, "lesson_id": lesson.id,
                                          "started_at": now}, ["user_id"],
                               {"play_id": play, "lesson_id": lesson.id, "started_at": now}))
    db.session.flush()
    return {"play": play, "position": progress.position, "seconds": round(progress.seconds, 1),
            "min_seconds": lesson.min_seconds, "completed": progress.completed_at is not None,
            "interval": beat_interval(lesson)}


def _flag(data: dict, name: str, problems: dict) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        problems[name] = _l("应为 true 或 false")
        return False
    return value


def heartbeat(user_id: int, lesson_id: int, data: dict, now: datetime | None = None) -> dict:
    """Count the time since the play's previous heartbeat (see the module's rules)."""
    now = now or utcnow()
    problems: dict = {}
    play = data.get("play")
    if not isinstance(play, str) or not play:
        problems["play"] = _l("缺少播放编号（开始学习时获得）")
    playing, visible, seeked = (_flag(data, name, problems) for name in ("playing", "visible", "seeked"))
    position = data.get("position")
    if position is not None and (isinstance(position, bool) or not isinstance(position, (int, float))
                                 or not math.isfinite(position) or position < 0):
        problems["position"] = _l("播放位置应为不小于 0 的秒数")
    if problems:
        raise ValidationFailed(_l("心跳数据有误"), problems)
    row = db.session.execute(_BEAT_READ, {"user_id": user_id, "lesson_id": lesson_id}).first()
    if row is None:
        raise ValidationFailed(_l("尚未开始学习该课时"), {"lesson_id": _l("请先开始学习该课时")})
    if row.play_id != play or row.playing_lesson != lesson_id:
        raise Conflict(_l("本账户正在学习另一课时（或在另一窗口打开），此处已暂停计时"), {"play": _l("播放已被取代")})
    elapsed = max(0.0, (now - row.beat_at).total_seconds())
    active = playing and visible
    video = row.kind == LessonKind.VIDEO
    counted = 0.0
    if video:
        if position is None:
            raise ValidationFailed(_l("心跳数据有误"), {"position": _l("视频课时应报告播放位置")})
        advanced = position - row.position
        if active and not seeked and advanced > elapsed * AHEAD_RATIO + AHEAD_TOLERANCE:
            raise ValidationFailed(_l("播放进度快于实际时间，本次不计时"),
                                   {"position": _l("播放位置前进了 %(advanced)s 秒，而实际只过了 %(elapsed)s 秒",
                                                   advanced=f"{advanced:.0f}", elapsed=f"{elapsed:.0f}")})
        if row.counting and active and not seeked and elapsed <= MAX_GAP:
            counted = max(0.0, min(elapsed, advanced))
    else:
        position = 0.0
        if row.counting and active and elapsed <= MAX_GAP:
            counted = elapsed
    seconds = row.seconds + counted
    completes = row.completed_at is None and seconds >= row.min_seconds
    if db.session.get_bind().dialect.name == "postgresql":
        # A heartbeat's commit need not wait for the WAL flush: a database crash may lose the
        # last moment's heartbeats, and the next one then counts from the one before.
        db.session.execute(_ASYNC_COMMIT)
    moved = db.session.execute(_BEAT_WRITE, {
        "row_id": row.id, "seen": row.beat_at, "counted": counted, "now": now, "new_position": float(position),
        "active": active, "completed_at": now if completes else None}).rowcount
    if not moved:
        raise Conflict(_l("同一播放的另一心跳刚刚到达，本次不计时"), {"beat": _l("重复的心跳")})
    result = {"seconds": round(seconds, 1), "min_seconds": row.min_seconds, "counted": round(counted, 1),
              "completed": row.completed_at is not None or completes, "course_completed": False,
              "credited_hours": None}
    if completes:
        hours = complete_course(user_id, db.session.get(Course, row.course_id), now)
        result.update(course_completed=course_done(user_id, db.session.get(Course, row.course_id)),
                      credited_hours=hours)
    return result


def quiz_passed(user_id: int, course: Course) -> bool:
    return db.session.scalar(select(QuizAttempt.id).where(
        QuizAttempt.user_id == user_id, QuizAttempt.course_id == course.id, QuizAttempt.passed.is_(True))) is not None


def course_done(user_id: int, course: Course) -> bool:
    lessons = {lesson.id for lesson in course.lessons}
    return bool(lessons) and lessons <= completed_lessons(user_id, course) and (
        not course.has_quiz or quiz_passed(user_id, course))


def complete_course(user_id: int, course: Course, now: datetime | None = None) -> float | None:
    """Credit the course's hours once it is done. The hours when this call credited them."""
    if not course_done(user_id, course):
        return None
    credited = ledger.credit(user_id, CreditSource.COURSE, course.id, hours=course.hours, category=course.category,
                             title=course.title, earned_on=(now or utcnow()).astimezone(LOCAL_TZ).date())
    if not credited:
        return None
    notify(user_id, COURSE_CREDITED, f"/ce/courses/{course.id}", course=course.title, hours=f"{course.hours:g}")
    return course.hours


def course_progress(user_id: int, course: Course) -> dict:
    done = completed_lessons(user_id, course)
    return {"lessons": len(course.lessons), "completed": len(done & {lesson.id for lesson in course.lessons}),
            "quiz_passed": quiz_passed(user_id, course) if course.has_quiz else None,
            "credited": ledger.is_credited(user_id, CreditSource.COURSE, course.id)}

