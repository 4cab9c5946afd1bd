"""Programs with their curriculum modules, and the teachers (师资) of institutions."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.enums import EnumText, LabeledEnum
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Institution, Region


class ProgramLevel(LabeledEnum):
    """The tiers of the policies (DESIGN: levels cso/director/specialist), highest first."""

    CSO = "cso", _l("首席标准官")
    DIRECTOR = "director", _l("标准化总监")
    SPECIALIST = "specialist", _l("标准化专员")


class Program(db.Model):
    """A unified curriculum with assessment and certificate rules, set by a bureau."""

    __tablename__ = "programs"
    __table_args__ = (
        ProgramLevel.check("level"),
        CheckConstraint("min_attendance_ratio > 0 AND min_attendance_ratio <= 1", name="attendance_ratio"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(128))
    level: Mapped[ProgramLevel] = mapped_column(EnumText(ProgramLevel, 16))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    teacher_requirements: Mapped[str] = mapped_column(Text, default="")
    required_qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_attendance_ratio: Mapped[float] = mapped_column(Float, default=0.9)
    exam_pass_mark: Mapped[int] = mapped_column(Integer, default=60)
    assignment_required: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate_validity_years: Mapped[int] = mapped_column(Integer, default=3)
    ce_hours_per_year: Mapped[int] = mapped_column(Integer, default=0)
    eligibility_rules: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    modules: Mapped[list[Module]] = relationship(back_populates="program", order_by="Module.position",
                                                 cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Program {self.code} {self.level}>"

    @property
    def total_hours(self) -> float:
        return float(sum(m.hours for m in self.modules))


class Module(db.Model):
    """A curriculum unit (课程模块) with its hours (学时)."""

    __tablename__ = "program_modules"
    __table_args__ = (UniqueConstraint("program_id", "code"), CheckConstraint("hours > 0", name="hours"))

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(128))
    hours: Mapped[float] = mapped_column(Float)

    program: Mapped[Program] = relationship(back_populates="modules")

    def __repr__(self) -> str:
        return f"<Module {self.code} {self.hours}h>"


class Teacher(db.Model):
    """A teacher (师资) of an institution, with qualifications matched against a program's requirements."""

    __tablename__ = "teachers"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(64), default="")
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    institution: Mapped[Institution] = relationship()

    def __repr__(self) -> str:
        return f"<Teacher {self.name}>"
