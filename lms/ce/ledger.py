"""The yearly CE ledger: credits, and each person's standing for a calendar year.

Required hours (DESIGN §9): the largest `ce_hours_per_year` among the programs of the person's
certificates valid during that year (not revoked; issued on or before 31 December and valid
until 1 January or later; a superseded version counts as the certificate it was). The year is
complete when the hours credited in it reach that number.

A credit is added with one INSERT that does nothing when the (person, source, source id) key
already exists, so each activity, course and claim credits a person exactly once, however
many requests race to do it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from lms.ce.enums import Category, CreditSource
from lms.ce.models import CeCredit
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.core.time import utcnow
from lms.extensions import db
from lms.programs.models import Program


def credit(user_id: int, source: CreditSource, source_id: int, *, hours: float, category: Category, title: str,
           earned_on: date, actor=None) -> bool:
    """Credit a source's hours to a person once. True when this call added the credit."""
    values = dict(user_id=user_id, source=source.value, source_id=source_id, hours=float(hours),
                  category=category.value, title=title[:200], earned_on=earned_on, year=earned_on.year,
                  credited_at=utcnow(), credited_by_id=getattr(actor, "id", None))
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = CeCredit.__table__
    stmt = insert(table).values(**values).on_conflict_do_nothing(
        index_elements=["user_id", "source", "source_id"]).returning(table.c.id)
    return db.session.execute(stmt).scalar() is not None


def withdraw(user_id: int, source: CreditSource, source_id: int) -> bool:
    """Remove a source's credit (an organizer corrected an attendance to absent)."""
    result = db.session.execute(delete(CeCredit).where(
        CeCredit.user_id == user_id, CeCredit.source == source.value, CeCredit.source_id == source_id))
    return result.rowcount == 1


def is_credited(user_id: int, source: CreditSource, source_id: int) -> bool:
    return db.session.scalar(select(CeCredit.id).where(
        CeCredit.user_id == user_id, CeCredit.source == source.value, CeCredit.source_id == source_id)) is not None


@dataclass
class Standing:
    user_id: int
    year: int
    required_hours: float
    earned_hours: float = 0.0
    by_category: dict[str, float] = field(default_factory=dict)
    credits: list[CeCredit] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.earned_hours >= self.required_hours

    @property
    def missing_hours(self) -> float:
        return round(max(0.0, self.required_hours - self.earned_hours), 2)

    @property
    def certified(self) -> bool:
        """Holds a certificate that asks for CE hours this year."""
        return self.required_hours > 0

    def as_json(self, with_credits: bool = True) -> dict:
        data = {"year": self.year, "required_hours": self.required_hours, "earned_hours": self.earned_hours,
                "by_category": {c.value: self.by_category.get(c.value, 0.0) for c in Category},
                "complete": self.complete}
        if with_credits:
            data["credits"] = [credit_json(c) for c in self.credits]
        return data


def credit_json(row: CeCredit) -> dict:
    return {"id": row.id, "hours": row.hours, "category": row.category.value, "source": row.source.value,
            "source_id": row.source_id, "title": row.title, "earned_on": row.earned_on.isoformat()}


def valid_during(year: int) -> tuple:
    """Conditions on Certificate: valid at some time during `year` (the certificates that set its requirement)."""
    return (Certificate.status != CertificateStatus.REVOKED, Certificate.issued_on <= date(year, 12, 31),
            Certificate.valid_until >= date(year, 1, 1))


# valid_during() with the year's first and last day as parameters, for the prebuilt statements
_VALID_DURING_YEAR = (Certificate.status != CertificateStatus.REVOKED, Certificate.issued_on <= bindparam("last_day"),
                      Certificate.valid_until >= bindparam("first_day"))

# The two numbers of a standing, as prebuilt Core statements, so the public certificate check
# (lms.verify, which may run outside the app on its own connection) computes them the same way.
_REQUIRED = (select(Certificate.user_id, func.max(Program.ce_hours_per_year))
             .join(Program, Program.id == Certificate.program_id)
             .where(Certificate.user_id.in_(bindparam("user_ids", expanding=True)), *_VALID_DURING_YEAR)
             .group_by(Certificate.user_id))
_EARNED = (select(CeCredit.user_id, CeCredit.category, func.sum(CeCredit.hours))
           .where(CeCredit.user_id.in_(bindparam("user_ids", expanding=True)), CeCredit.year == bindparam("year"))
           .group_by(CeCredit.user_id, CeCredit.category))


def required_hours_of(user_ids: list[int], year: int, connection=None) -> dict[int, float]:
    """Required hours of each person for `year` (0 for those with no certificate valid that year)."""
    if not user_ids:
        return {}
    rows = (connection or db.session).execute(_REQUIRED, {"user_ids": list(user_ids), "last_day": date(year, 12, 31),
                                                          "first_day": date(year, 1, 1)}).all()
    found = {user_id: float(hours or 0) for user_id, hours in rows}
    return {user_id: found.get(user_id, 0.0) for user_id in user_ids}


# One person's two numbers in one round trip (the public check is the busiest page)
_ONE = select(
    select(func.max(Program.ce_hours_per_year)).select_from(Certificate)
    .join(Program, Program.id == Certificate.program_id)
    .where(Certificate.user_id == bindparam("user_id"), *_VALID_DURING_YEAR).scalar_subquery(),
    select(func.sum(CeCredit.hours)).where(CeCredit.user_id == bindparam("user_id"), CeCredit.year == bindparam("year"))
    .scalar_subquery())


def public_standing(user_id: int, year: int, connection=None) -> dict:
    """{year, required_hours, earned_hours, complete}: what the public certificate check shows."""
    required, earned = (connection or db.session).execute(_ONE, {
        "user_id": user_id, "year": year, "last_day": date(year, 12, 31), "first_day": date(year, 1, 1)}).one()
    required, earned = float(required or 0), round(float(earned or 0), 2)
    return {"year": year, "required_hours": required, "earned_hours": earned, "complete": earned >= required}


def standings(user_ids: list[int], year: int, with_credits: bool = False) -> dict[int, Standing]:
    """The standing of each person for `year`: two queries for all of them."""
    required = required_hours_of(user_ids, year)
    result = {user_id: Standing(user_id, year, required[user_id]) for user_id in user_ids}
    if not user_ids:
        return result
    if with_credits:
        rows = db.session.scalars(select(CeCredit).where(CeCredit.user_id.in_(user_ids), CeCredit.year == year)
                                  .order_by(CeCredit.earned_on, CeCredit.id)).all()
        sums: dict[tuple[int, str], float] = defaultdict(float)
        for row in rows:
            result[row.user_id].credits.append(row)
            sums[(row.user_id, row.category.value)] += row.hours
        totals = [(user_id, category, hours) for (user_id, category), hours in sums.items()]
    else:
        totals = db.session.execute(_EARNED, {"user_ids": list(user_ids), "year": year}).all()
    for user_id, category, hours in totals:
        key = category.value if isinstance(category, Category) else category
        standing = result[user_id]
        standing.by_category[key] = round(standing.by_category.get(key, 0.0) + float(hours), 2)
        standing.earned_hours = round(standing.earned_hours + float(hours), 2)
    return result


def standing(user_id: int, year: int, with_credits: bool = True) -> Standing:
    return standings([user_id], year, with_credits)[user_id]
