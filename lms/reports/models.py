"""Targets (目标): a region's number to reach for one metric by a deadline."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Region


class Target(db.Model):
    """`value` of `metric` (lms.reports.metrics.METRICS) in `region` by `deadline`, counted from
    `starts_on`. `filters` narrows the metric: {"levels": [...]} or {"posts": [...]}."""

    __tablename__ = "report_targets"
    __table_args__ = (CheckConstraint("value > 0", name="value"),
                      CheckConstraint("starts_on < deadline", name="period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    metric: Mapped[str] = mapped_column(String(32))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    title: Mapped[str] = mapped_column(String(200))
    value: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200), default="")  # the policy that sets it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<Target {self.region_id} {self.metric} {self.value} by {self.deadline}>"
