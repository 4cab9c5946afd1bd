"""Counting the metrics (lms.reports.metrics) from their kept facts (lms.reports.facts): the only
counting code. Every page, workbook and API answer calls `count()` (numbers) or `rows()` (what a
number counts, for the list a number links to), so they show the same figures; `daily()`,
`active_intervals()` and `by_periods()` give the charts and the tables by period from one query."""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any
from collections.abc import Callable

from flask import current_app, has_app_context
from sqlalchemy import Date, Select, and_, case, func, literal, or_, select, union_all

from lms.appointments.models import Post
from lms.extensions import db
from lms.orgs.models import Enterprise
from lms.reports.facts import ensure_fresh
from lms.reports.metrics import FACT_COLUMNS, METRICS, Filters, _as_date
from lms.reports.models import ReportFact

# REPORTS_CACHE_SECONDS > 0: each process keeps what a statement answered for that long (key: the
# database, the function and its arguments), so a page, the workbook and the API asked within it
# read the same figures without counting again. 0 (the default): every call counts.
_CACHE: dict[tuple, tuple[float, Any]] = {}


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def _cached(function: Callable) -> Callable:
    @wraps(function)
    def call(*args, **kwargs):
        seconds = current_app.config.get("REPORTS_CACHE_SECONDS", 0) if has_app_context() else 0
        if not seconds:
            return function(*args, **kwargs)
        key = (function.__name__, current_app.config.get("SQLALCHEMY_DATABASE_URI"), _freeze(args), _freeze(kwargs))
        now = time.monotonic()
        kept = _CACHE.get(key)
        if kept is None or now - kept[0] >= seconds:
            kept = (now, function(*args, **kwargs))
            if len(_CACHE) > 10_000:
                for old in [k for k, (at, _v) in list(_CACHE.items()) if now - at >= seconds]:
                    _CACHE.pop(old, None)
            _CACHE[key] = kept
        return copy.deepcopy(kept[1])

    return call


@dataclass(frozen=True)
class Scope:
    """Where to count: the region ids of a subtree, or everywhere (None)."""

    region_ids: tuple[int, ...] | None

    def clause(self, column):
        return literal(True) if self.region_ids is None else column.in_(self.region_ids)


# what a number can be broken down by: the facts with a column `g`, the group's key
def _grouped(facts: Select, by: str | None, child_map: dict[int, str] | None):
    f = facts.subquery("facts")
    if by is None:
        key = literal("")
    elif by == "child":
        # no child regions: nothing to break down
        key = case(child_map, value=f.c.region_id, else_=literal("")) if child_map else literal(None)
    elif by == "post":
        return (select(f, Post.code.label("g")).outerjoin(Post, Post.id == f.c.post_id)).subquery("f")
    elif by in ("industry", "ownership"):
        column = Enterprise.industry_section if by == "industry" else Enterprise.ownership
        return (select(f, func.coalesce(column, "").label("g"))
                .outerjoin(Enterprise, Enterprise.id == f.c.enterprise_id)).subquery("f")
    else:
        raise ValueError(by)
    return select(f, key.label("g")).subquery("f")


def stored(key: str, filters: Filters = Filters()) -> Select:
    """The metric's facts as kept in report_facts (fresh: see lms.reports.facts), narrowed by `filters`,
    with the columns of its definition (FACT_COLUMNS, and `year`)."""
    ensure_fresh()
    stmt = select(*[getattr(ReportFact, c).label(c) for c in FACT_COLUMNS], ReportFact.year.label("year")
                  ).where(ReportFact.metric == key)
    if filters.levels:
        stmt = stmt.where(ReportFact.level.in_(filters.levels))
    if filters.posts:
        stmt = stmt.where(ReportFact.post_id.in_(select(Post.id).where(Post.code.in_(filters.posts))))
    return stmt


@_cached
def count(key: str, scope: Scope, last: date, first: date | None = None, filters: Filters = Filters(),
          by: str | None = None, child_map: dict[int, str] | None = None) -> Any:
    """The metric `key` in `scope`: as of `last` (first None) or for the period first..last
    (module docstring). With `by`, a dict {group key: number} (groups with nothing are absent)."""
    m = METRICS[key]
    if m.kind == "year":
        result = {g: n for (_i, g), n in _year_counts_many(scope, [last], filters, by, child_map).items()}
    else:
        f = _grouped(stored(key, filters), by, child_map)
        group = f.c.g
        where = [scope.clause(f.c.region_id), f.c.day <= last]
        if m.kind == "each":
            if first is not None:
                where.append(f.c.day >= first)
            stmt = select(group, func.count()).where(*where).group_by(group)
        elif m.kind == "active":
            where.append(or_(f.c.end.is_(None), f.c.end > last))
            stmt = select(group, func.count(f.c.person.distinct())).where(*where).group_by(group)
        else:  # first
            people = (select(group.label("g"), f.c.person, func.min(f.c.day).label("first_day")).where(*where)
                      .group_by(group, f.c.person).subquery())
            stmt = select(people.c.g, func.count())
            if first is not None:
                stmt = stmt.where(people.c.first_day >= first)
            stmt = stmt.group_by(people.c.g)
        result = {g: n for g, n in db.session.execute(stmt).all()}
    if by is None:
        return int(result.get("", 0))
    return {str(g): int(n) for g, n in result.items() if g not in (None, "")}


def _complete_on(facts, days) -> list:
    """Conditions for a `year` fact that holds on the day of `days` it is joined to."""
    return [facts.c.year == days.c.y, facts.c.day <= days.c.last_day,
            or_(facts.c.end.is_(None), facts.c.end > days.c.last_day)]


def _days(lasts: list[date]):
    return union_all(*[select(literal(i).label("i"), literal(last.year).label("y"),
                              literal(last, Date).label("last_day")) for i, last in enumerate(lasts)]
                     ).subquery("days") if len(lasts) > 1 else \
        select(literal(0).label("i"), literal(lasts[0].year).label("y"),
               literal(lasts[0], Date).label("last_day")).subquery("days")


@_cached
def _year_counts_many(scope, lasts, filters, by, child_map) -> dict[tuple[int, Any], int]:
    """CE complete (kind `year`) as of each day of `lasts`: {(index, group): people}, one statement."""
    f = _grouped(stored("ce_complete_people", filters), by, child_map)
    days = _days(lasts)
    stmt = (select(days.c.i, f.c.g, func.count(f.c.person.distinct()))
            .join(days, and_(*_complete_on(f, days))).where(scope.clause(f.c.region_id))
            .group_by(days.c.i, f.c.g))
    return {(i, g): n for i, g, n in db.session.execute(stmt).all()}


def rows(key: str, scope: Scope, last: date, first: date | None = None, filters: Filters = Filters(),
         limit: int | None = None, offset: int = 0, group: tuple[str, str] | None = None
         ) -> list[tuple[int, date | None, int]]:
    """What count() counts (without `by`): (person, day, ref) per counted item, newest first.
    For people, one row per person with the day they count from; for person-times, one per fact
    (`ref`: an application id, or minus a CE credit id)."""
    m = METRICS[key]
    f = _grouped(stored(key, filters), group[0] if group else None, None)
    where = [scope.clause(f.c.region_id), f.c.day <= last]
    if group is not None:  # one cell of a breakdown by industry or ownership
        where.append(f.c.g == group[1])
    if m.kind == "year":
        days = _days([last])
        stmt = (select(f.c.person, literal(None).label("day"), f.c.person.label("ref"))
                .join(days, and_(*_complete_on(f, days))).where(*where).distinct().order_by(f.c.person))
    elif m.kind == "each":
        if first is not None:
            where.append(f.c.day >= first)
        stmt = select(f.c.person, f.c.day, f.c.ref).where(*where).order_by(f.c.day.desc(), f.c.ref.desc())
    else:
        if m.kind == "active":
            where.append(or_(f.c.end.is_(None), f.c.end > last))
        people = (select(f.c.person, func.min(f.c.day).label("day"), func.min(f.c.ref).label("ref"))
                  .where(*where).group_by(f.c.person).subquery())
        stmt = select(people.c.person, people.c.day, people.c.ref)
        if first is not None and m.kind == "first":
            stmt = stmt.where(people.c.day >= first)
        stmt = stmt.order_by(people.c.day.desc(), people.c.person)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return [(person, _as_date(day), ref) for person, day, ref in db.session.execute(stmt).all()]


@_cached
def daily(key: str, scope: Scope, last: date, filters: Filters = Filters()) -> list[tuple[date, int]]:
    """The increments of a `first` or `each` metric by day, up to `last` (for cumulative charts):
    summing them up to a day gives count(key, scope, day)."""
    m = METRICS[key]
    f = stored(key, filters).subquery("f")
    where = [scope.clause(f.c.region_id), f.c.day <= last]
    if m.kind == "each":
        stmt = select(f.c.day, func.count()).where(*where).group_by(f.c.day)
    elif m.kind == "first":
        people = select(func.min(f.c.day).label("day")).where(*where).group_by(f.c.person).subquery()
        stmt = select(people.c.day, func.count()).group_by(people.c.day)
    else:
        raise ValueError(f"{key} is not cumulative")
    return sorted((_as_date(day), int(n)) for day, n in db.session.execute(stmt).all())


@_cached
def active_intervals(key: str, scope: Scope, last: date, filters: Filters = Filters()) -> list[tuple[date, int]]:
    """The increments of an `active` metric by day (+1 when a person starts holding, -1 when they
    stop), each person's intervals merged, so running sums are count() on each day."""
    f = stored(key, filters).subquery("f")
    found = db.session.execute(select(f.c.person, f.c.day, f.c.end)
                               .where(scope.clause(f.c.region_id), f.c.day <= last)
                               .order_by(f.c.person, f.c.day)).all()
    changes: dict[date, int] = {}
    current: tuple[int, date, date | None] | None = None

    def close(span):
        changes[span[1]] = changes.get(span[1], 0) + 1
        if span[2] is not None:
            changes[span[2]] = changes.get(span[2], 0) - 1

    for person, start, end in found:
        start, end = _as_date(start), _as_date(end)
        if current and current[0] == person and (current[2] is None or start <= current[2]):
            if current[2] is not None and (end is None or end > current[2]):
                current = (person, current[1], end)
            continue
        if current:
            close(current)
        current = (person, start, end)
    if current:
        close(current)
    return sorted(changes.items())


def by_periods(key: str, scope: Scope, periods: list[tuple[date, date]], filters: Filters = Filters()) -> list[int]:
    """count(key, scope, last, first) for each (first, last) of `periods` (in order, not
    overlapping), from one query where the kind allows: the daily increments bucketed."""
    m = METRICS[key]
    if not periods:
        return []
    if m.kind == "year":  # one statement for every period
        found = _year_counts_many(scope, [last for _first, last in periods], filters, None, None)
        return [int(found.get((i, ""), 0)) for i in range(len(periods))]
    if m.kind == "active":
        changes = active_intervals(key, scope, periods[-1][1], filters)
        result = []
        for _first, last in periods:
            result.append(sum(n for day, n in changes if day <= last))
        return result
    changes = daily(key, scope, periods[-1][1], filters)
    return [sum(n for day, n in changes if first <= day <= last) for first, last in periods]
