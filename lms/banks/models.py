"""Banks, their categories, questions and immutable question revisions.

A question's content lives in revisions: editing creates revision n+1, and attempts
(issue 5) point at `QuestionRevision.id`, so a revision row never changes once written.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, and_, event
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from lms.banks.enums import Difficulty, QuestionStatus
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Institution

class QuestionBank(db.Model):
    """A bank of questions; `owner_institution_id` NULL means shared (managed by admins)."""

    __tablename__ = "question_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    owner_institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner_institution: Mapped[Institution | None] = relationship()
    categories: Mapped[list[BankCategory]] = relationship(
        back_populates="bank", order_by="BankCategory.position, BankCategory.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<QuestionBank {self.code} v{self.version}>"

    @property
    def shared(self) -> bool:
        return self.owner_institution_id is None

    def category(self, code: str) -> BankCategory | None:
        return next((c for c in self.categories if c.code == code), None)


class ExclusionGroup(db.Model):
    """Questions of a bank that never share a paper (one states what another asks).
    The YAML format's top-level `excludes: [[LAW-0002, LAW-0019], ...]`, one row per group."""

    __tablename__ = "question_exclusion_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    members: Mapped[list[ExclusionMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="ExclusionMember.position")

    def __repr__(self) -> str:
        return f"<ExclusionGroup bank={self.bank_id} #{self.position}>"


class ExclusionMember(db.Model):
    """One question of an exclusion group; deleting the question removes it from the group."""

    __tablename__ = "question_exclusion_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("question_exclusion_groups.id", ondelete="CASCADE"),
                                          primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[ExclusionGroup] = relationship(back_populates="members")
    question: Mapped[Question] = relationship()


class BankCategory(db.Model):
    """A category of a bank; `module_code` names a curriculum module (plain code, no FK)."""

    __tablename__ = "bank_categories"
    __table_args__ = (UniqueConstraint("bank_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    module_code: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)

    bank: Mapped[QuestionBank] = relationship(back_populates="categories")

    def __repr__(self) -> str:
        return f"<BankCategory {self.code}>"


class Question(db.Model):
    """A question's identity within its bank; its content is in `current` (a revision)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("bank_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(64))
    category_id: Mapped[int] = mapped_column(ForeignKey("bank_categories.id"), index=True)
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Filled in by exams (issue 5): how often used, facility (mean score ratio) and discrimination.
    times_used: Mapped[int | None] = mapped_column(Integer)
    facility: Mapped[float | None] = mapped_column(Float)
    discrimination: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    bank: Mapped[QuestionBank] = relationship()
    category: Mapped[BankCategory] = relationship(lazy="joined")
    revisions: Mapped[list[QuestionRevision]] = relationship(
        back_populates="question", order_by="QuestionRevision.number", cascade="all, delete-orphan")
    current: Mapped[QuestionRevision] = relationship(
        primaryjoin=lambda: and_(foreign(QuestionRevision.question_id) == Question.id,
                                 QuestionRevision.number == Question.current_number),
        viewonly=True, lazy="joined", uselist=False)

    def __repr__(self) -> str:
        return f"<Question {self.external_id} r{self.current_number}>"

    @property
    def status(self) -> QuestionStatus:
        return QuestionStatus.RETIRED if self.retired else QuestionStatus.ACTIVE


class QuestionRevision(db.Model):
    """One immutable version of a question's content."""

    __tablename__ = "question_revisions"
    __table_args__ = (
        UniqueConstraint("question_id", "number"),
        # no CHECK on `type`: the registry (lms.banks.types) owns the set, so a new type is one module
        Difficulty.check("difficulty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16), index=True)  # a name in lms.banks.types.QUESTION_TYPES
    difficulty: Mapped[int] = mapped_column(Integer)  # a Difficulty, stored as its number
    points: Mapped[float] = mapped_column(Float)
    stem: Mapped[str] = mapped_column(Text)
    # options [{key, text}], answer, explanation, source, rubric [{criterion, points}], tags, weights
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # ",tag1,tag2," so a tag filter is one portable LIKE
    tags_text: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    question: Mapped[Question] = relationship(back_populates="revisions")

    def __repr__(self) -> str:
        return f"<QuestionRevision q={self.question_id} #{self.number} {self.type}>"

    @property
    def options(self) -> list[dict[str, str]]:
        return list(self.data.get("options") or [])

    @property
    def level(self) -> Difficulty | None:
        return Difficulty.get(self.difficulty)


@event.listens_for(QuestionRevision, "before_update")
def _revisions_are_immutable(mapper, connection, target):
    raise RuntimeError("a question revision is immutable; create a new revision instead")
