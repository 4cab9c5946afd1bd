"""Filings (备案表, Liaoning 附件1) and the talent pool (人才库) entries they become."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.appointments.models import Appointment, Post
from lms.certificates.models import Certificate
from lms.core.enums import EnumText, LabeledEnum
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Enterprise


class FilingStatus(LabeledEnum):
    DRAFT = "draft", _l("草稿")
    SUBMITTED = "submitted", _l("待企业确认")
    ENDORSED = "endorsed", _l("待市场监管部门受理")
    ACCEPTED = "accepted", _l("已入库")
    RETURNED = "returned", _l("已退回")


# the person may still change it (and a second one for the same appointment is refused)
EDITABLE = (FilingStatus.DRAFT, FilingStatus.RETURNED)


class PoliticalStatus(LabeledEnum):
    """政治面貌 (after GB/T 4762)."""

    CPC_MEMBER = "cpc_member", _l("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _l("中共预备党员")
    CYL_MEMBER = "cyl_member", _l("共青团员")
    DEMOCRATIC_PARTY = "democratic_party", _l("民主党派成员")
    NON_PARTISAN = "non_partisan", _l("无党派人士")
    MASSES = "masses", _l("群众")


class AchievementKind(LabeledEnum):
    STANDARD = "standard", _l("主持或参与制修订标准")
    PILOT = "pilot", _l("标准化试点示范项目")
    AWARD = "award", _l("标准化相关奖励")
    COMMITTEE = "committee", _l("标准化技术组织任职")
    OTHER = "other", _l("其他")


class Filing(db.Model):
    """One person's 备案表 for one appointment: draft → submitted (the person) → endorsed
    (enterprise HR) → accepted (a city bureau: filing number, talent entry), or returned
    with a reason, edited and submitted again. `form` holds every value the form prints."""

    __tablename__ = "filings"
    __table_args__ = (
        FilingStatus.check("status"),
        # one open filing per appointment, even when two requests race
        Index("uq_filings_open_appointment", "appointment_id", unique=True,
              sqlite_where=text("status != 'accepted'"), postgresql_where=text("status != 'accepted'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    status: Mapped[FilingStatus] = mapped_column(EnumText(FilingStatus, 16), default=FilingStatus.DRAFT, index=True)
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    filing_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    endorsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    endorsed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    appointment: Mapped[Appointment] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    certificate: Mapped[Certificate] = relationship()
    endorsed_by: Mapped[User | None] = relationship(foreign_keys=[endorsed_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    def __repr__(self) -> str:
        return f"<Filing {self.id} user={self.user_id} {self.status}>"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class TalentEntry(db.Model):
    """An accepted filing: the person is in the talent pool of their enterprise's region.
    `achievements_text` is the achievements as plain text, for keyword search."""

    __tablename__ = "talent_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    accepted_on: Mapped[date] = mapped_column(Date, index=True)
    achievements_text: Mapped[str] = mapped_column(Text, default="")

    filing: Mapped[Filing] = relationship()
    user: Mapped[User] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    post: Mapped[Post] = relationship()
    certificate: Mapped[Certificate] = relationship()

    def __repr__(self) -> str:
        return f"<TalentEntry {self.id} user={self.user_id} post={self.post_id}>"
