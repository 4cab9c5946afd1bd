"""Online courses (标准云课堂): ordered lessons (a video or a PDF, with a minimum learning time),
each learner's progress measured on the server from heartbeats, the one lesson an account
plays at a time, and the final quiz's attempts."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, \
    UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.ce.enums import Category, LessonKind
from lms.core.enums import EnumText
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Institution, Region


class Course(db.Model):
    """An online course; completing every lesson (and passing the quiz, when it has one)
    credits `hours` once. Organized like an activity: an institution, or a bureau's region."""

    __tablename__ = "ce_courses"
    __table_args__ = (
        Category.check("category"),
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("quiz_count >= 0", name="quiz_count"),
        CheckConstraint("quiz_pass_mark BETWEEN 0 AND 100", name="quiz_pass_mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[Category] = mapped_column(EnumText(Category, 16))
    hours: Mapped[float] = mapped_column(Float)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    quiz_bank_id: Mapped[int | None] = mapped_column(ForeignKey("question_banks.id"))
    quiz_count: Mapped[int] = mapped_column(Integer, default=0)  # 0: no final quiz
    quiz_pass_mark: Mapped[int] = mapped_column(Integer, default=60)  # % of the quiz's points
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    institution: Mapped[Institution | None] = relationship()
    region: Mapped[Region] = relationship()
    lessons: Mapped[list[Lesson]] = relationship(back_populates="course", order_by="Lesson.position, Lesson.id",
                                                 cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.title!r}>"

    @property
    def has_quiz(self) -> bool:
        return bool(self.quiz_bank_id and self.quiz_count)

    @property
    def organizer_name(self) -> str:
        return self.institution.name if self.institution else self.region.full_name


class Lesson(db.Model):
    """One lesson: a video (served with range requests) or a PDF, stored under CE_STORAGE_DIR.
    Uploaded in chunks (`received` bytes so far of `size`); `ready` once complete and checked."""

    __tablename__ = "ce_lessons"
    __table_args__ = (
        LessonKind.check("kind"),
        CheckConstraint("min_seconds > 0", name="min_seconds"),
        CheckConstraint("received >= 0 AND received <= size", name="received"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("ce_courses.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[LessonKind] = mapped_column(EnumText(LessonKind, 8))
    min_seconds: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    ready: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")

    def __repr__(self) -> str:
        return f"<Lesson {self.id} course={self.course_id} #{self.position} {self.kind}>"


class LessonProgress(db.Model):
    """A learner's time on a lesson, counted by the server between heartbeats. `beat_at`,
    `position` and `counting` are the last accepted heartbeat; `seconds` the time credited."""

    __tablename__ = "ce_lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"), CheckConstraint("seconds >= 0", name="seconds"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("ce_lessons.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    position: Mapped[float] = mapped_column(Float, default=0)
    counting: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds: Mapped[float] = mapped_column(Float, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<LessonProgress user={self.user_id} lesson={self.lesson_id} {self.seconds:.0f}s>"


class CePlayer(db.Model):
    """The one lesson an account plays now: starting a lesson replaces the row, so heartbeats of
    any other play (another tab, another lesson) are refused."""

    __tablename__ = "ce_players"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    play_id: Mapped[str] = mapped_column(String(32))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("ce_lessons.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CePlayer user={self.user_id} lesson={self.lesson_id}>"


class QuizAttempt(db.Model):
    """One sitting of a course's final quiz: the drawn questions (revision ids with the bank's
    option keys in display order, shown as A, B, C…), the score and whether it passed."""

    __tablename__ = "ce_quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("ce_courses.id", ondelete="CASCADE"), index=True)
    paper: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    def __repr__(self) -> str:
        return f"<QuizAttempt {self.id} course={self.course_id} passed={self.passed}>"
