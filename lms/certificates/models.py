"""Issued certificates (合格证), their verification log, and the serial counters of numbers."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.certificates.enums import STORED_STATUSES, CertificateStatus, Channel
from lms.core.enums import EnumText
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db

# `expired` is not stored: it is derived when read, from valid_until and today's date
# (Certificate.status_on), so no sweep has to run for it to be right.
_STORED = ", ".join(f"'{s.value}'" for s in STORED_STATUSES)


class Certificate(db.Model):
    """One version of an issued certificate. Nothing is ever deleted: a reissue adds a row
    (new number, version + 1, `supersedes_id` the old row) and marks the old one superseded;
    a revocation sets the status and its reason. The holder's data is a snapshot as printed."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STORED})", name="status"),
        CheckConstraint("version >= 1", name="version"),
        # At most one current (not superseded) certificate per enrollment: issuing twice,
        # even from two processes at once, cannot make a second one.
        Index("uq_certificates_current_application", "application_id", unique=True,
              sqlite_where=text("status != 'superseded'"), postgresql_where=text("status != 'superseded'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cert_no: Mapped[str] = mapped_column(String(40), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[CertificateStatus] = mapped_column(EnumText(CertificateStatus, 16), default=CertificateStatus.VALID)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(64), index=True)
    holder_gender: Mapped[str] = mapped_column(String(8))
    holder_id_number: Mapped[str] = mapped_column(String(18))
    program_code: Mapped[str] = mapped_column(String(32))
    program_title: Mapped[str] = mapped_column(String(128))
    institution_code: Mapped[str] = mapped_column(String(32))
    institution_name: Mapped[str] = mapped_column(String(128))
    hours: Mapped[float] = mapped_column(Float)
    modules: Mapped[list[Any]] = mapped_column(JSON, default=list)
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    template: Mapped[str] = mapped_column(String(32))
    token: Mapped[str] = mapped_column(Text)
    pdf_path: Mapped[str] = mapped_column(String(255))
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdf_size: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), index=True)
    reissue_reason: Mapped[str] = mapped_column(Text, default="")
    # Where the holder worked when it was issued (statistics count the person there, DESIGN §9):
    # the profile's enterprise at first issue, kept by every later version; NULL when unknown.
    holder_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    holder_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    supersedes: Mapped[Certificate | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Certificate {self.cert_no} v{self.version} {self.status}>"

    def status_on(self, day: date) -> CertificateStatus:
        return status_on(self.status, self.valid_until, day)


def status_on(stored: str, valid_until: date, day: date) -> CertificateStatus:
    """valid / revoked / superseded as stored, or expired once `day` is past valid_until."""
    if stored == CertificateStatus.VALID and day > valid_until:
        return CertificateStatus.EXPIRED
    return CertificateStatus(stored)


class CertificateSerial(db.Model):
    """The last serial used per number region and year; taken with one conditional UPDATE."""

    __tablename__ = "certificate_serials"
    __table_args__ = (UniqueConstraint("region", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(9))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<CertificateSerial {self.region}-{self.year} {self.last}>"



class VerificationEvent(db.Model):
    """One public check of a certificate. The address is kept truncated (IPv4 /24, IPv6 /48),
    enough to tell checks apart, not to identify who checked."""

    __tablename__ = "verification_events"
    __table_args__ = (Channel.check("channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    network: Mapped[str] = mapped_column(String(48), default="")
    agent: Mapped[str] = mapped_column(String(24), default="")
    channel: Mapped[Channel] = mapped_column(EnumText(Channel, 16))
    # whether what was shown matched the record: the QR code's token (page, API; None when
    # the check came without one) or the uploaded file (pdf-check: genuine or not)
    token_matched: Mapped[bool | None] = mapped_column(Boolean)

    def __repr__(self) -> str:
        return f"<VerificationEvent {self.certificate_id} {self.channel} {self.at:%Y-%m-%d %H:%M}>"
