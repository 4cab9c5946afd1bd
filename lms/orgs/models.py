"""Regions (行政区划), training institutions (承办机构) and enterprises (企业)."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.enums import EnumSet, EnumText, LabeledEnum
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.attributes import Honour, Industry, Ownership


class RegionLevel(LabeledEnum):
    PROVINCE = "province", _l("省级")
    CITY = "city", _l("市级")
    DISTRICT = "district", _l("区县级")


class EnterpriseStatus(LabeledEnum):
    VERIFIED = "verified", _l("已核实")
    PENDING = "pending", _l("待核实")


class Region(db.Model):
    """A node of the province / city / district tree.

    `path` is the materialized path of ids ("/1/5/"), so a subtree is one prefix match.
    """

    __tablename__ = "regions"
    __table_args__ = (RegionLevel.check("level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[RegionLevel] = mapped_column(EnumText(RegionLevel, 16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    path: Mapped[str] = mapped_column(String(255), index=True, default="")

    parent: Mapped[Region | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Region]] = relationship(back_populates="parent", order_by="Region.code")

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Institution(db.Model):
    """A training institution with a standardization-training accreditation (资质)."""

    __tablename__ = "institutions"
    __table_args__ = (CheckConstraint("accredited_from <= accredited_until", name="accreditation_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    accreditation_no: Mapped[str] = mapped_column(String(64))
    accreditation_scope: Mapped[str] = mapped_column(Text, default="")
    accredited_from: Mapped[date] = mapped_column(Date)
    accredited_until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<Institution {self.code} {self.name}>"

    def accredited_on(self, day: date) -> bool:
        return self.accredited_from <= day <= self.accredited_until

    def accredited_through(self, first: date, last: date) -> bool:
        return self.accredited_from <= first and last <= self.accredited_until


class Enterprise(db.Model):
    """An employer, identified by its unified social credit code (GB 32100)."""

    __tablename__ = "enterprises"
    __table_args__ = (EnterpriseStatus.check("status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    industry: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[EnterpriseStatus] = mapped_column(EnumText(EnterpriseStatus, 16),
                                                     default=EnterpriseStatus.VERIFIED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    # What statistics need (lms.orgs.attributes); bureaus edit them in lms.appointments.
    industry_section: Mapped[Industry | None] = mapped_column(EnumText(Industry, 1), Industry.check("industry_section"))
    ownership: Mapped[Ownership | None] = mapped_column(EnumText(Ownership, 16), Ownership.check("ownership"))
    honours: Mapped[frozenset[Honour]] = mapped_column(EnumSet(Honour, 255), default=frozenset, server_default="")

    def __repr__(self) -> str:
        return f"<Enterprise {self.uscc} {self.name}>"
