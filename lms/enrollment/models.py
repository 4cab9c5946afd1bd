"""Trainee profiles, cohorts (班次) with sessions (课次), applications (报名), documents and
attendance. The fixed value sets are in `lms.enrollment.enums`."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.core.enums import EnumText
from lms.core.time import UTCDateTime, utcnow
from lms.enrollment.enums import ApplicationStatus, AttendanceMethod, AttendanceStatus, Gender
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution, Region
from lms.programs.facts import AppointmentStatus, EducationLevel, PositionLevel, TitleLevel
from lms.programs.models import Module, Program, Teacher


class TraineeProfile(db.Model):
    """What the eligibility rules are evaluated on; one per trainee account."""

    __tablename__ = "trainee_profiles"
    __table_args__ = (
        Gender.check("gender"),
        EducationLevel.check("education"),
        TitleLevel.check("title_level"),
        AppointmentStatus.check("appointment_status"),
        PositionLevel.check("position_level"),
        CheckConstraint("standardization_years >= 0", name="standardization_years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[Gender] = mapped_column(EnumText(Gender, 8))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    position: Mapped[str] = mapped_column(String(64), default="")
    # None on profiles saved before it was asked (a rule reading it then says it is not filled in)
    position_level: Mapped[PositionLevel | None] = mapped_column(EnumText(PositionLevel, 16))
    education: Mapped[EducationLevel] = mapped_column(EnumText(EducationLevel, 16))
    major: Mapped[str] = mapped_column(String(64), default="")
    standardization_major: Mapped[bool] = mapped_column(Boolean, default=False)
    title_level: Mapped[TitleLevel] = mapped_column(EnumText(TitleLevel, 16))
    standardization_years: Mapped[float] = mapped_column(Float, default=0)
    appointment_status: Mapped[AppointmentStatus] = mapped_column(EnumText(AppointmentStatus, 16))
    photo_path: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()

    def __repr__(self) -> str:
        return f"<TraineeProfile user={self.user_id} {self.name}>"


class Cohort(db.Model):
    """One run of a program by an institution, in a region. `seats_taken` is the seat counter
    that approvals take with one conditional UPDATE (see enrollment.applications)."""

    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint("starts_on <= ends_on", name="dates"),
        CheckConstraint("applications_open_on <= applications_close_on", name="application_window"),
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_taken"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(128))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    applications_open_on: Mapped[date] = mapped_column(Date)
    applications_close_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(128), default="")
    # 开班须知: what an admitted trainee must know before the first session (report time, what to bring)
    admission_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship()
    institution: Mapped[Institution] = relationship()
    region: Mapped[Region] = relationship()
    sessions: Mapped[list[CohortSession]] = relationship(
        back_populates="cohort", order_by="CohortSession.starts_at", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Cohort {self.code}>"

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def taking_applications(self, today: date) -> bool:
        return self.applications_open_on <= today <= self.applications_close_on


class CohortSession(db.Model):
    """One scheduled class (课次) of a cohort."""

    __tablename__ = "cohort_sessions"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="times"), CheckConstraint("hours > 0", name="hours"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("program_modules.id"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hours: Mapped[float] = mapped_column(Float)
    place: Mapped[str] = mapped_column(String(128), default="")

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")
    module: Mapped[Module] = relationship()
    teacher: Mapped[Teacher | None] = relationship()

    def __repr__(self) -> str:
        return f"<CohortSession {self.id} cohort={self.cohort_id} {self.starts_at:%Y-%m-%d %H:%M}>"


class Application(db.Model):
    """A trainee's application to a cohort; once `approved` it is the enrollment (学员)."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        ApplicationStatus.check("status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(EnumText(ApplicationStatus, 16), index=True)
    # the rule engine's verdict as evaluated at application time: {"result", "reasons": [...]}
    eligibility: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The final assignment (结业作业), for programs that require one: None until assessed.
    assignment_passed: Mapped[bool | None] = mapped_column(Boolean)
    assignment_assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assignment_assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    enterprise: Mapped[Enterprise | None] = relationship()
    nominated_by: Mapped[User | None] = relationship(foreign_keys=[nominated_by_id])
    recommended_by: Mapped[User | None] = relationship(foreign_keys=[recommended_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    documents: Mapped[list[ApplicationDocument]] = relationship(back_populates="application",
                                                                order_by="ApplicationDocument.id")

    def __repr__(self) -> str:
        return f"<Application {self.id} cohort={self.cohort_id} user={self.user_id} {self.status}>"


class ApplicationDocument(db.Model):
    """A supporting document; the file lives under instance/uploads, served only through an access check."""

    __tablename__ = "application_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="documents")

    def __repr__(self) -> str:
        return f"<ApplicationDocument {self.id} {self.filename}>"


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "application_id"),
        AttendanceStatus.check("status"),
        AttendanceMethod.check("method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("cohort_sessions.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(EnumText(AttendanceStatus, 16))
    method: Mapped[AttendanceMethod] = mapped_column(EnumText(AttendanceMethod, 8))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[CohortSession] = relationship()
    application: Mapped[Application] = relationship()

    def __repr__(self) -> str:
        return f"<Attendance session={self.session_id} application={self.application_id} {self.status}>"
