"""The metrics (DESIGN §9, docs/statistics.md): each defined here once, counted here only.

A metric is a select of *facts* — one row per thing it counts, with the person, the day it
counts from, the region it counts in, the enterprise and the post — and a *kind* that says how
facts become a number:

- `first`  people (人), counted once from their first fact: as of a day, the people whose first
           fact is on or before it (累计); in a period, those whose first fact falls in it (新增).
- `each`   person-times (人次): every fact counts; as of a day all up to it, in a period those in it.
- `active` people holding something on the day (facts carry an end day): as of the period's last day.
- `year`   people complete for the calendar year of the day (continuing education).

Every page, workbook and API answer calls `count()` (numbers) or `rows()` (what a number counts,
for the list a number links to), so they show the same figures.
"""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any
from collections.abc import Callable

from flask import current_app, has_app_context

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Integer, Select, and_, case, cast, exists, func, literal, null, or_, select, union_all

from lms.appointments.models import Appointment, Post
from lms.ce.enums import CreditSource
from lms.ce.course_models import Course
from lms.ce.models import CeActivity, CeCredit
from lms.certificates.models import Certificate
from lms.enrollment.enums import CREDITED, ApplicationStatus
from lms.enrollment.models import Application, Attendance, Cohort
from lms.extensions import db
from lms.orgs.models import Enterprise
from lms.programs.models import Program
from lms.talent.models import TalentEntry


@dataclass(frozen=True)
class Filters:
    """Optional narrowing: program levels (certificates) or post codes (appointments, filings)."""

    levels: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()

    @classmethod
    def of(cls, data: dict | None) -> Filters:
        data = data or {}
        return cls(tuple(sorted(data.get("levels") or ())), tuple(sorted(data.get("posts") or ())))

    def as_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in (("levels", self.levels), ("posts", self.posts)) if v}

    def __bool__(self) -> bool:
        return bool(self.levels or self.posts)


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any  # lazy string
    unit: Any
    kind: str  # first | each | active | year
    filter: str | None  # "levels" | "posts" | None: what a target or query may narrow it by
    facts: Callable[[Filters], Select]
    definition: Any


METRICS: dict[str, Metric] = {}


def metric(key: str, label, unit, kind: str, definition, filter: str | None = None):  # noqa: A002
    def register(facts: Callable[[Filters], Select]) -> Callable:
        METRICS[key] = Metric(key, label, unit, kind, filter, facts, definition)
        return facts

    return register


PEOPLE, TIMES = _l("人"), _l("人次")


def _facts(person, day, region_id, enterprise_id, post_id, ref, end=None) -> list:
    return [person.label("person"), day.label("day"), region_id.label("region_id"),
            enterprise_id.label("enterprise_id"), post_id.label("post_id"), ref.label("ref"),
            (end if end is not None else cast(null(), Date)).label("end")]


@metric("applications", _l("报名"), TIMES, "each",
        _l("报名人次：报名表（任何状态）按所报班次的开班日期计，计入班次所在地区。"))
def _applications(filters: Filters) -> Select:
    return (select(*_facts(Application.user_id, Cohort.starts_on, Cohort.region_id, Application.enterprise_id,
                           cast(null(), Integer), Application.id))
            .join(Cohort, Cohort.id == Application.cohort_id))


@metric("admitted", _l("录取"), TIMES, "each",
        _l("录取人次：已录取的报名，按班次开班日期计，计入班次所在地区。"))
def _admitted(filters: Filters) -> Select:
    return _applications(filters).where(Application.status == ApplicationStatus.APPROVED)


@metric("trained_person_times", _l("培训人次"), TIMES, "each",
        _l("培训人次：已录取且至少出勤一次的报名（按开班日期）、每次继续教育活动出勤、每门学完的网络课程（按记入学时的日期）；"
           "计入组织方（班次、活动、课程）所在地区。"))
def _trained(filters: Filters) -> Select:
    attended = exists().where(Attendance.application_id == Application.id, Attendance.status.in_(CREDITED))
    enrollments = (select(*_facts(Application.user_id, Cohort.starts_on, Cohort.region_id, Application.enterprise_id,
                                  cast(null(), Integer), Application.id))
                   .join(Cohort, Cohort.id == Application.cohort_id)
                   .where(Application.status == ApplicationStatus.APPROVED, attended))
    activities = (select(*_facts(CeCredit.user_id, CeCredit.earned_on, CeActivity.region_id, cast(null(), Integer),
                                 cast(null(), Integer), -CeCredit.id))
                  .join(CeActivity, and_(CeCredit.source == CreditSource.ACTIVITY, CeActivity.id == CeCredit.source_id)))
    courses = (select(*_facts(CeCredit.user_id, CeCredit.earned_on, Course.region_id, cast(null(), Integer),
                              cast(null(), Integer), -CeCredit.id))
               .join(Course, and_(CeCredit.source == CreditSource.COURSE, Course.id == CeCredit.source_id)))
    return union_all(enrollments, activities, courses)


def _certificates(filters: Filters, revoked=False) -> Select:
    revoked_applications = select(Certificate.application_id).where(Certificate.status == "revoked")
    stmt = (select(*_facts(Certificate.user_id, Certificate.issued_on,
                           func.coalesce(Certificate.holder_region_id, Cohort.region_id),
                           Certificate.holder_enterprise_id, cast(null(), Integer), Certificate.id))
            .join(Cohort, Cohort.id == Certificate.cohort_id)
            .where(Certificate.application_id.not_in(revoked_applications)))
    if filters.levels:
        stmt = stmt.join(Program, Program.id == Certificate.program_id).where(Program.level.in_(filters.levels))
    return stmt


@metric("certified_people", _l("累计培育"), PEOPLE, "first",
        _l("累计培育人数：在该日期或之前获发合格证的不同人数；撤销的不计（其被替代的旧版本也不计），"
           "换发的新旧版本与过期的证书都计，一人只计一次。地区为发证时持证人所在企业的地区（记在证书上），"
           "无企业的按班次所在地区。可按培训项目级别筛选。"), filter="levels")
def _certified(filters: Filters) -> Select:
    return _certificates(filters)


@metric("appointed_people", _l("在聘人数"), PEOPLE, "active",
        _l("在聘人数：该日期有有效聘任的不同人数（聘任开始日不晚于该日，且未解聘或解聘日晚于该日）；"
           "地区为聘任企业所在地区。可按岗位筛选。"), filter="posts")
def _appointed(filters: Filters) -> Select:
    stmt = (select(*_facts(Appointment.user_id, Appointment.starts_on, Enterprise.region_id, Appointment.enterprise_id,
                           Appointment.post_id, Appointment.id, Appointment.ended_on))
            .join(Enterprise, Enterprise.id == Appointment.enterprise_id))
    if filters.posts:
        stmt = stmt.join(Post, Post.id == Appointment.post_id).where(Post.code.in_(filters.posts))
    return stmt


@metric("filed_people", _l("入库人数"), PEOPLE, "first",
        _l("入库人数：备案已受理、进入人才库的不同人数（按受理日期），一人只计一次；地区为备案企业所在地区。可按岗位筛选。"),
        filter="posts")
def _filed(filters: Filters) -> Select:
    stmt = (select(*_facts(TalentEntry.user_id, TalentEntry.accepted_on, Enterprise.region_id, TalentEntry.enterprise_id,
                           TalentEntry.post_id, TalentEntry.id))
            .join(Enterprise, Enterprise.id == TalentEntry.enterprise_id))
    if filters.posts:
        stmt = stmt.join(Post, Post.id == TalentEntry.post_id).where(Post.code.in_(filters.posts))
    return stmt


@metric("ce_complete_people", _l("继续教育达标"), PEOPLE, "year",
        _l("继续教育达标人数：当年持有有效合格证（须继续教育学时）且截至该日期当年所记学时达到要求的不同人数；"
           "地区为其当年有效合格证的地区（同上）。"), filter="levels")
def _ce_facts(filters: Filters) -> Select:
    return _certificates(filters)  # the certificates that place the person; hours are added in _year_counts


# ---- counting ------------------------------------------------------------------------------

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


@_cached
def count(key: str, scope: Scope, last: date, first: date | None = None, filters: Filters = Filters(),
          by: str | None = None, child_map: dict[int, str] | None = None) -> Any:
    """The metric `key` in `scope`: as of `last` (first None) or for the period first..last
    (module docstring). With `by`, a dict {group key: number} (groups with nothing are absent)."""
    m = METRICS[key]
    if m.kind == "year":
        result = _year_counts(scope, last, filters, by, child_map)
    else:
        f = _grouped(m.facts(filters), by, child_map)
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


def _ce_people(scope: Scope, lasts: list[date], filters: Filters, by, child_map):
    """For each day of `lasts` (index i): (i, group, person) of the people certified during that
    day's year in scope, with their required and earned hours as of the day; one statement for all."""
    days = union_all(*[select(literal(i).label("i"), literal(last.year).label("y"),
                              literal(date(last.year, 1, 1), Date).label("first_day"),
                              literal(last, Date).label("last_day")) for i, last in enumerate(lasts)]
                     ).subquery("days") if len(lasts) > 1 else \
        select(literal(0).label("i"), literal(lasts[0].year).label("y"),
               literal(date(lasts[0].year, 1, 1), Date).label("first_day"),
               literal(lasts[0], Date).label("last_day")).subquery("days")
    f = _grouped(_certificates(filters).add_columns(Certificate.valid_until.label("valid_until")), by, child_map)
    placed = (select(days.c.i, f.c.g, f.c.person)
              .join(days, and_(f.c.day <= days.c.last_day, f.c.valid_until >= days.c.first_day))
              .where(scope.clause(f.c.region_id))
              .group_by(days.c.i, f.c.g, f.c.person).subquery("placed"))
    revoked_applications = select(Certificate.application_id).where(Certificate.status == "revoked")
    required = (select(days.c.i, Certificate.user_id.label("person"),
                       func.max(Program.ce_hours_per_year).label("hours"))
                .join(Program, Program.id == Certificate.program_id)
                .join(days, and_(Certificate.issued_on <= days.c.last_day, Certificate.valid_until >= days.c.first_day))
                .where(Certificate.application_id.not_in(revoked_applications))
                .group_by(days.c.i, Certificate.user_id).subquery("required"))
    earned = (select(days.c.i, CeCredit.user_id.label("person"), func.sum(CeCredit.hours).label("hours"))
              .join(days, and_(CeCredit.year == days.c.y, CeCredit.earned_on <= days.c.last_day))
              .group_by(days.c.i, CeCredit.user_id).subquery("earned"))
    complete = (select(placed.c.i, placed.c.g, placed.c.person)
                .join(required, and_(required.c.i == placed.c.i, required.c.person == placed.c.person))
                .join(earned, and_(earned.c.i == placed.c.i, earned.c.person == placed.c.person))
                .where(required.c.hours > 0, earned.c.hours >= required.c.hours))
    return complete


@_cached
def _year_counts_many(scope, lasts, filters, by, child_map) -> dict[tuple[int, Any], int]:
    complete = _ce_people(scope, lasts, filters, by, child_map).subquery("complete")
    stmt = select(complete.c.i, complete.c.g, func.count()).group_by(complete.c.i, complete.c.g)
    return {(i, g): n for i, g, n in db.session.execute(stmt).all()}


def _year_counts(scope, last, filters, by, child_map) -> dict:
    return {g: n for (_i, g), n in _year_counts_many(scope, [last], filters, by, child_map).items()}


def rows(key: str, scope: Scope, last: date, first: date | None = None, filters: Filters = Filters(),
         limit: int | None = None, offset: int = 0, group: tuple[str, str] | None = None
         ) -> list[tuple[int, date | None, int]]:
    """What count() counts (without `by`): (person, day, ref) per counted item, newest first.
    For people, one row per person with the day they count from; for person-times, one per fact
    (`ref`: an application id, or minus a CE credit id)."""
    m = METRICS[key]
    if m.kind == "year":
        complete = _ce_people(scope, [last], filters, None, None).subquery("complete")
        stmt = (select(complete.c.person, literal(None).label("day"), complete.c.person.label("ref"))
                .order_by(complete.c.person))
    else:
        f = _grouped(m.facts(filters), group[0] if group else None, None)
        where = [scope.clause(f.c.region_id), f.c.day <= last]
        if group is not None:  # one cell of a breakdown by industry or ownership
            where.append(f.c.g == group[1])
        if m.kind == "each":
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
    f = m.facts(filters).subquery("f")
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
    f = METRICS[key].facts(filters).subquery("f")
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


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite answers strings from subqueries
