"""Targets (目标): a region's number to reach for one metric by a deadline."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String
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


class ReportFact(db.Model):
    """One stored fact of a metric (lms.reports.metrics): what the metric's definition selects from
    the records, kept as a row so a page counts a few indexed columns instead of joining the records
    again (docs/statistics.md, "How the figures are kept"). Derived data: rewritten per person by
    lms.reports.facts whenever that person's records change, so it has no foreign keys (a fact
    outlives nothing: the person's next refresh rewrites or removes it)."""

    __tablename__ = "report_facts"
    __table_args__ = (Index("ix_report_facts_metric_region_day", "metric", "region_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(32))
    person: Mapped[int] = mapped_column(Integer, index=True)
    day: Mapped[date] = mapped_column(Date)  # the day it counts from
    end: Mapped[date | None] = mapped_column("end_day", Date)  # `active` facts: the day it stops
    year: Mapped[int | None] = mapped_column(Integer)  # `year` facts: the calendar year
    region_id: Mapped[int | None] = mapped_column(Integer)
    enterprise_id: Mapped[int | None] = mapped_column(Integer)
    post_id: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[str | None] = mapped_column(String(16))  # the programme level (certificate metrics)
    ref: Mapped[int] = mapped_column(Integer)  # the record: an application, certificate, ... id


class ReportStale(db.Model):
    """People whose facts must be rewritten before the next count: written in the same transaction
    as the change to their records (lms.reports.freshness), consumed by lms.reports.facts.refresh.
    Repeats are harmless, so there is no unique key to contend on."""

    __tablename__ = "report_stale"

    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[int] = mapped_column(Integer)
