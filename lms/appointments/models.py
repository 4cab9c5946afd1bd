"""Posts (岗位) a region's policy defines, and appointments (聘任) of people to them."""
from __future__ import annotations

from datetime import date, datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.core.enums import EnumText, LabeledEnum
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Enterprise, Region


class AppointmentStatus(LabeledEnum):
    ACTIVE = "active", _l("在聘")
    ENDED = "ended", _l("已解聘")


class EndReason(LabeledEnum):
    LEFT = "left", _l("离职")
    DISMISSED = "dismissed", _l("解聘")
    TERM_ENDED = "term_ended", _l("任期届满")


class Post(db.Model):
    """A post of a region's policy (sh-director 企业标准化总监, ln-cso 首席标准官 ...): data, so a
    region adds its own without code. `levels` are the program levels whose certificate
    qualifies for it; `usual_count` is how many an enterprise usually has (Liaoning: one CSO
    and one director), a warning when exceeded, never a refusal."""

    __tablename__ = "posts"
    __table_args__ = (CheckConstraint("usual_count IS NULL OR usual_count > 0", name="usual_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(64))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    rank: Mapped[int] = mapped_column(Integer, default=1)
    usual_count: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<Post {self.code} {self.title}>"


class Appointment(db.Model):
    """An enterprise appointing a person to a post: `active`, then `ended` with a date and a
    reason. Never deleted."""

    __tablename__ = "appointments"
    __table_args__ = (
        AppointmentStatus.check("status"),
        EndReason.check("end_reason"),
        CheckConstraint("ended_on IS NULL OR ended_on >= starts_on", name="dates"),
        CheckConstraint("(status = 'ended') = (ended_on IS NOT NULL AND end_reason IS NOT NULL)", name="ended"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    status: Mapped[AppointmentStatus] = mapped_column(EnumText(AppointmentStatus, 16), default=AppointmentStatus.ACTIVE,
                                                      index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    full_time: Mapped[bool] = mapped_column(Boolean, default=True)
    document_no: Mapped[str] = mapped_column(String(64), default="")
    # the scanned appointment letter (PDF/JPEG/PNG under instance/uploads, served after an access check)
    letter_path: Mapped[str | None] = mapped_column(String(255))
    letter_name: Mapped[str] = mapped_column(String(200), default="")
    letter_type: Mapped[str] = mapped_column(String(32), default="")
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[EndReason | None] = mapped_column(EnumText(EndReason, 16))
    end_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    enterprise: Mapped[Enterprise] = relationship()
    post: Mapped[Post] = relationship()

    def __repr__(self) -> str:
        return f"<Appointment {self.id} user={self.user_id} {self.status}>"

    @property
    def active(self) -> bool:
        return self.status == AppointmentStatus.ACTIVE
