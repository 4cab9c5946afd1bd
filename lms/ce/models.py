"""Continuing education (继续教育): activities with registration and attendance, declared hours,
the credits of each person's yearly ledger, hours transcripts and sent reminders.
Online courses are in lms.ce.course_models."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, \
    UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.ce.enums import (ActivityKind, AttendanceMethod, Category, ClaimKind, ClaimStatus, CreditSource,
                          RegistrationStatus, TranscriptStatus)
from lms.core.enums import EnumText
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Institution, Region


class CeActivity(db.Model):
    """A forum, lecture, salon or course (论坛、讲座、沙龙) that credits its hours on attendance.
    Organized by an institution (`institution_id`) or a bureau (no institution); `region_id` is
    the organizer's region. `seats_taken` is the seat counter registrations take with one
    conditional UPDATE."""

    __tablename__ = "ce_activities"
    __table_args__ = (
        ActivityKind.check("kind"),
        Category.check("category"),
        CheckConstraint("starts_at < ends_at", name="times"),
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_taken"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ActivityKind] = mapped_column(EnumText(ActivityKind, 16))
    category: Mapped[Category] = mapped_column(EnumText(Category, 16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[float] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    institution: Mapped[Institution | None] = relationship()
    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<CeActivity {self.id} {self.kind} {self.starts_at:%Y-%m-%d}>"

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def organizer_name(self) -> str:
        return self.institution.name if self.institution else self.region.full_name


class CeRegistration(db.Model):
    """A person's registration for an activity: registered (holds a seat), waitlisted or cancelled."""

    __tablename__ = "ce_registrations"
    __table_args__ = (UniqueConstraint("activity_id", "user_id"), RegistrationStatus.check("status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("ce_activities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(EnumText(RegistrationStatus, 16))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    activity: Mapped[CeActivity] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CeRegistration activity={self.activity_id} user={self.user_id} {self.status}>"


class CeAttendance(db.Model):
    """Whether a person attended an activity, by QR check-in or the organizer's list."""

    __tablename__ = "ce_attendance"
    __table_args__ = (UniqueConstraint("activity_id", "user_id"), AttendanceMethod.check("method"))

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("ce_activities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    present: Mapped[bool] = mapped_column(Boolean)
    method: Mapped[AttendanceMethod] = mapped_column(EnumText(AttendanceMethod, 8))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<CeAttendance activity={self.activity_id} user={self.user_id} present={self.present}>"


class CeCredit(db.Model):
    """One credited entry of a person's yearly ledger. A source (an activity, a course, a claim)
    credits a person at most once: the unique key, and an INSERT that does nothing on conflict."""

    __tablename__ = "ce_credits"
    __table_args__ = (
        UniqueConstraint("user_id", "source", "source_id"),
        CreditSource.check("source"),
        Category.check("category"),
        CheckConstraint("hours > 0", name="hours"),
        Index("ix_ce_credits_user_year", "user_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    year: Mapped[int] = mapped_column(Integer)
    earned_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    category: Mapped[Category] = mapped_column(EnumText(Category, 16))
    source: Mapped[CreditSource] = mapped_column(EnumText(CreditSource, 16))
    source_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))  # the source's title when credited
    credited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    credited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<CeCredit user={self.user_id} {self.year} {self.hours}h {self.source}:{self.source_id}>"


class CeClaim(db.Model):
    """Hours a person declares (学时申报) with proof, reviewed by the institution of their
    certificate or their bureau; approved (possibly with fewer hours) or rejected with a reason."""

    __tablename__ = "ce_claims"
    __table_args__ = (
        ClaimKind.check("kind"),
        Category.check("category"),
        ClaimStatus.check("status"),
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("happened_on <= ended_on", name="dates"),
        CheckConstraint("approved_hours IS NULL OR (approved_hours > 0 AND approved_hours <= hours)",
                        name="approved_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[ClaimKind] = mapped_column(EnumText(ClaimKind, 16))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[Category] = mapped_column(EnumText(Category, 16))
    hours: Mapped[float] = mapped_column(Float)
    happened_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date] = mapped_column(Date)
    proof_path: Mapped[str] = mapped_column(String(255))
    proof_name: Mapped[str] = mapped_column(String(200))
    proof_type: Mapped[str] = mapped_column(String(64))
    proof_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[ClaimStatus] = mapped_column(EnumText(ClaimStatus, 16), default=ClaimStatus.PENDING, index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_hours: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<CeClaim {self.id} user={self.user_id} {self.hours}h {self.status}>"


class CeTranscript(db.Model):
    """A 学时证明 as issued: the ledger of one person and year when printed, its number and signed
    token (its QR opens the public check) and the stored PDF's SHA-256. A later transcript of the
    same person and year supersedes it."""

    __tablename__ = "ce_transcripts"
    __table_args__ = (TranscriptStatus.check("status"), Index("ix_ce_transcripts_user_year", "user_id", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    year: Mapped[int] = mapped_column(Integer)
    holder_name: Mapped[str] = mapped_column(String(64))
    holder_id_number: Mapped[str] = mapped_column(String(18), default="")
    required_hours: Mapped[float] = mapped_column(Float)
    earned_hours: Mapped[float] = mapped_column(Float)
    by_category: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    complete: Mapped[bool] = mapped_column(Boolean)
    credits_digest: Mapped[str] = mapped_column(String(64))  # what the ledger held, to reuse an unchanged one
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    token: Mapped[str] = mapped_column(Text)
    pdf_path: Mapped[str] = mapped_column(String(255))
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[TranscriptStatus] = mapped_column(EnumText(TranscriptStatus, 16), default=TranscriptStatus.VALID)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<CeTranscript {self.number} {self.year} {self.status}>"


class CeReminder(db.Model):
    """A CE reminder sent to a person on a reminder date: the cron job may run twice a day."""

    __tablename__ = "ce_reminders"
    __table_args__ = (UniqueConstraint("user_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[date] = mapped_column(Date)
    missing_hours: Mapped[float] = mapped_column(Float)

    def __repr__(self) -> str:
        return f"<CeReminder user={self.user_id} {self.sent_on}>"
