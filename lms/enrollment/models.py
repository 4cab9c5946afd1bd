"""Trainee profiles, cohorts (班次) with sessions (课次), applications (报名), documents,
attendance and in-app notifications."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution, Region
from lms.programs.models import Module, Program, Teacher

GENDERS = {"male": "男", "female": "女"}
EDUCATION_LEVELS = {"high_school": "高中及以下", "junior_college": "大专", "bachelor": "本科",
                    "master": "硕士研究生", "doctorate": "博士研究生"}
TITLE_LEVELS = {"none": "无", "junior": "初级", "intermediate": "中级", "associate_senior": "副高级",
                "senior": "正高级"}
APPOINTMENT_STATUSES = {"prospective": "拟任", "appointed": "已聘任"}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class TraineeProfile(db.Model):
    """What the eligibility rules are evaluated on; one per trainee account."""

    __tablename__ = "trainee_profiles"
    __table_args__ = (
        CheckConstraint(_in("gender", GENDERS), name="gender"),
        CheckConstraint(_in("education", EDUCATION_LEVELS), name="education"),
        CheckConstraint(_in("title_level", TITLE_LEVELS), name="title_level"),
        CheckConstraint(_in("appointment_status", APPOINTMENT_STATUSES), name="appointment_status"),
        CheckConstraint("standardization_years >= 0", name="standardization_years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(8))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    position: Mapped[str] = mapped_column(String(64), default="")
    education: Mapped[str] = mapped_column(String(16))
    major: Mapped[str] = mapped_column(String(64), default="")
    standardization_major: Mapped[bool] = mapped_column(Boolean, default=False)
    title_level: Mapped[str] = mapped_column(String(16))
    standardization_years: Mapped[float] = mapped_column(Float, default=0)
    appointment_status: Mapped[str] = mapped_column(String(16))
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


APPLICATION_STATUSES = {
    "nominated": "企业推荐，待本人确认",
    "eligible": "符合条件，待审核",
    "review": "需人工审核",
    "ineligible": "不符合条件",
    "approved": "已录取",
    "rejected": "未录取",
    "waitlisted": "候补",
    "withdrawn": "已撤回",
}
ELIGIBILITY_STATUSES = ("eligible", "review", "ineligible")


class Application(db.Model):
    """A trainee's application to a cohort; once `approved` it is the enrollment (学员)."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        CheckConstraint(_in("status", APPLICATION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
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

    @property
    def status_label(self) -> str:
        return APPLICATION_STATUSES[self.status]


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


ATTENDANCE_STATUSES = {"present": "出勤", "late": "迟到", "absent": "缺勤", "excused": "请假"}
CREDITED_STATUSES = ("present", "late")  # statuses whose session hours count


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "application_id"),
        CheckConstraint(_in("status", ATTENDANCE_STATUSES), name="status"),
        CheckConstraint("method IN ('staff', 'qr', 'import', 'api')", name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("cohort_sessions.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(8))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[CohortSession] = relationship()
    application: Mapped[Application] = relationship()

    def __repr__(self) -> str:
        return f"<Attendance session={self.session_id} application={self.application_id} {self.status}>"
