"""Exams (考试) of a cohort, their blueprint (组卷规则) or fixed paper, per-trainee time
extensions, attempts (答卷) with their frozen paper and answers, and the integrity log.

An attempt's paper is frozen at start: each `AttemptItem` names the question revision,
the option order and the points, so later edits of a question never reach the attempt.
The answer lives on the item row (`response`, `seq`), so an autosave is one guarded UPDATE.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint, false)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.banks.models import BankCategory, Question, QuestionRevision
from lms.core.enums import EnumText, LabeledEnum
from lms.core.time import UTCDateTime, utcnow
from lms.enrollment.models import Cohort
from lms.extensions import db


class ExamPurpose(LabeledEnum):
    """Only a passed formal exam counts towards the certificate; practice quizzes never do."""

    FORMAL = "formal", _l("结业考试（通过后计入合格证要求）")
    PRACTICE = "practice", _l("练习测验（不计入合格证）")


class PaperMode(LabeledEnum):
    BLUEPRINT = "blueprint", _l("按组卷规则随机抽题")
    FIXED = "fixed", _l("固定试卷（所有人相同）")


class ReleasePolicy(LabeledEnum):
    """When a trainee sees the score."""

    IMMEDIATE = "immediate", _l("交卷并评分后立即公布")
    AFTER_GRADING = "after_grading", _l("全部阅卷完成且考试结束后公布")
    MANUAL = "manual", _l("由机构手动公布")


class ReviewPolicy(LabeledEnum):
    """Whether a trainee sees the correct answers once the window has closed (a practice quiz can
    also show them right after handing in: `Exam.answers_on_submit`)."""

    AFTER_CLOSE = "after_close", _l("考试结束后可查看正确答案与解析")
    NEVER = "never", _l("不公布正确答案")


class AttemptStatus(LabeledEnum):
    IN_PROGRESS = "in_progress", _l("答题中")
    SUBMITTED = "submitted", _l("已交卷")
    AUTO_SUBMITTED = "auto_submitted", _l("到时自动交卷")
    GRADED = "graded", _l("已评分")


FINAL_STATUSES = (AttemptStatus.SUBMITTED, AttemptStatus.AUTO_SUBMITTED)


class IntegrityKind(LabeledEnum):
    FOCUS_LOSS = "focus_loss", _l("页面失去焦点")
    TAB_SWITCH = "tab_switch", _l("切换标签页/应用")
    PASTE = "paste", _l("粘贴")
    IP_CHANGE = "ip_change", _l("IP 地址变化")
    USER_AGENT_CHANGE = "user_agent_change", _l("浏览器变化")


# what the exam page reports; the server notices the others itself
REPORTED_KINDS = (IntegrityKind.FOCUS_LOSS, IntegrityKind.TAB_SWITCH, IntegrityKind.PASTE)


class Exam(db.Model):
    """A timed exam of a cohort. `pass_mark` is a percentage of the paper's total points."""

    __tablename__ = "exams"
    __table_args__ = (
        CheckConstraint("opens_at < closes_at", name="window"),
        CheckConstraint("duration_minutes > 0", name="duration"),
        CheckConstraint("attempts_allowed > 0", name="attempts_allowed"),
        CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark"),
        ReleasePolicy.check("release_policy"),
        ReviewPolicy.check("review_policy"),
        PaperMode.check("paper_mode"),
        ExamPurpose.check("purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    purpose: Mapped[ExamPurpose] = mapped_column(EnumText(ExamPurpose, 16), default=ExamPurpose.FORMAL,
                                                 server_default="formal")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    paper_mode: Mapped[PaperMode] = mapped_column(EnumText(PaperMode, 16), default=PaperMode.BLUEPRINT)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=True)
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=2)
    pass_mark: Mapped[float] = mapped_column(Float, default=60)
    multiple_partial: Mapped[bool] = mapped_column(Boolean, default=False)
    release_policy: Mapped[ReleasePolicy] = mapped_column(EnumText(ReleasePolicy, 16),
                                                          default=ReleasePolicy.IMMEDIATE)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_policy: Mapped[ReviewPolicy] = mapped_column(EnumText(ReviewPolicy, 16), default=ReviewPolicy.AFTER_CLOSE)
    requires_attendance: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous_grading: Mapped[bool] = mapped_column(Boolean, default=False)
    max_tab_switches: Mapped[int | None] = mapped_column(Integer)
    # a practice quiz only: the answers and explanations right after handing in (and the 错题本)
    answers_on_submit: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    cohort: Mapped[Cohort] = relationship()
    rules: Mapped[list[BlueprintRule]] = relationship(
        back_populates="exam", order_by="BlueprintRule.position, BlueprintRule.id", cascade="all, delete-orphan")
    fixed_questions: Mapped[list[FixedQuestion]] = relationship(
        back_populates="exam", order_by="FixedQuestion.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Exam {self.id} {self.title!r} cohort={self.cohort_id}>"


class BlueprintRule(db.Model):
    """One cell of the blueprint: `count` questions of category × type × difficulty, `points` each."""

    __tablename__ = "exam_blueprint_rules"
    __table_args__ = (
        UniqueConstraint("exam_id", "category_id", "type", "difficulty"),
        CheckConstraint("count > 0", name="count"),
        CheckConstraint("points > 0", name="points"),
        CheckConstraint("difficulty BETWEEN 1 AND 5", name="difficulty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("bank_categories.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    difficulty: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    points: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)

    exam: Mapped[Exam] = relationship(back_populates="rules")
    category: Mapped[BankCategory] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<BlueprintRule {self.category_id}×{self.type}×{self.difficulty} {self.count}×{self.points}>"


class FixedQuestion(db.Model):
    """A question of a fixed paper, frozen at the revision chosen when the paper was saved."""

    __tablename__ = "exam_fixed_questions"
    __table_args__ = (UniqueConstraint("exam_id", "question_id"), CheckConstraint("points > 0", name="points"))

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("question_revisions.id"))
    position: Mapped[int] = mapped_column(Integer)
    points: Mapped[float] = mapped_column(Float)

    exam: Mapped[Exam] = relationship(back_populates="fixed_questions")
    revision: Mapped[QuestionRevision] = relationship()

    def __repr__(self) -> str:
        return f"<FixedQuestion exam={self.exam_id} #{self.position} q={self.question_id}>"


class TimeExtension(db.Model):
    """Extra minutes one trainee gets on one exam (e.g. an accessibility accommodation)."""

    __tablename__ = "exam_extensions"
    __table_args__ = (UniqueConstraint("exam_id", "user_id"), CheckConstraint("minutes > 0", name="minutes"))

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<TimeExtension exam={self.exam_id} user={self.user_id} +{self.minutes}min>"


class Attempt(db.Model):
    """One sitting. `(exam, user, number)` is unique, so two concurrent starts cannot both
    create the same sitting; the deadline is fixed at start and never recomputed."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("exam_id", "user_id", "number"),
        AttemptStatus.check("status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[AttemptStatus] = mapped_column(EnumText(AttemptStatus, 16), default=AttemptStatus.IN_PROGRESS,
                                                  index=True)
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=0)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    tab_switches: Mapped[int] = mapped_column(Integer, default=0)
    # In progress when option letters came in: speaks the bank's option keys until it closes
    # (lms.exams.responses); every later attempt is lettered A, B, C… as shown.
    bank_letters: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    exam: Mapped[Exam] = relationship()
    user: Mapped[User] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Attempt {self.id} exam={self.exam_id} user={self.user_id} #{self.number} {self.status}>"

    @property
    def speaks_bank_keys(self) -> bool:
        return self.bank_letters and self.status == AttemptStatus.IN_PROGRESS


class AttemptItem(db.Model):
    """A question of the frozen paper with the trainee's answer and its score."""

    __tablename__ = "attempt_items"
    # Every save and the submit's scoring update these rows: on PostgreSQL, half-empty pages let an
    # update stay on its page without touching the indexes (a "HOT" update; none of the updated
    # columns is indexed), and attempt_id needs no index of its own (both unique keys start with it).
    __table_args__ = (UniqueConstraint("attempt_id", "revision_id"), UniqueConstraint("attempt_id", "position"),
                      {"postgresql_with": {"fillfactor": 50}})

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("question_revisions.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("bank_categories.id"))
    option_order: Mapped[list[str]] = mapped_column(JSON, default=list)
    points: Mapped[float] = mapped_column(Float)
    response: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    needs_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grader_comment: Mapped[str] = mapped_column(Text, default="")
    # the points given on each criterion of the essay's rubric, in the rubric's order (score = their sum)
    criterion_scores: Mapped[list[float] | None] = mapped_column(JSON(none_as_null=True), nullable=True)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    revision: Mapped[QuestionRevision] = relationship()
    question: Mapped[Question] = relationship()
    category: Mapped[BankCategory] = relationship()

    def __repr__(self) -> str:
        return f"<AttemptItem attempt={self.attempt_id} #{self.position} rev={self.revision_id}>"


class IntegrityEvent(db.Model):
    """Something staff may want to know about a sitting: focus loss, paste, a new IP or browser."""

    __tablename__ = "attempt_integrity_events"
    __table_args__ = (IntegrityKind.check("kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[IntegrityKind] = mapped_column(EnumText(IntegrityKind, 24))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<IntegrityEvent attempt={self.attempt_id} {self.kind}>"


class MistakeClear(db.Model):
    """A question the trainee has practised again from the 错题本 and answered right: it leaves the
    book until they get it wrong in a practice quiz after `cleared_at` (lms.exams.mistakes)."""

    __tablename__ = "exam_mistake_clears"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    cleared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<MistakeClear user={self.user_id} q={self.question_id}>"


def _used_in_attempts(question: Question) -> bool:
    from sqlalchemy import exists, select

    return bool(db.session.scalar(select(exists().where(AttemptItem.question_id == question.id))))


def _register_usage_check() -> None:
    from lms.banks.services import USAGE_CHECKS

    if _used_in_attempts not in USAGE_CHECKS:
        USAGE_CHECKS.append(_used_in_attempts)


_register_usage_check()
