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
for the list a number links to), so they show the same figures. The facts are defined here against
the records and counted from the copy lms.reports.facts keeps of them (`stored()`), rewritten per
person whenever that person's records change.
"""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, NamedTuple
from collections.abc import Callable

from flask import current_app, has_app_context

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Integer, Select, String, and_, case, cast, exists, func, literal, null, or_, select, union_all

from lms.appointments.models import Appointment, Post
from lms.ce.enums import CreditSource
from lms.ce.course_models import Course
from lms.ce.models import CeActivity, CeCredit
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.enrollment.enums import CREDITED, ApplicationStatus
from lms.enrollment.models import Application, Attendance, Cohort
from lms.extensions import db
from lms.orgs.models import Enterprise
from lms.programs.models import Program
from lms.reports.models import ReportFact
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
    facts: Callable[[], Select] | Callable[[list[int]], list[dict]]  # a select, or (kind `year`) computed per person
    definition: Any


METRICS: dict[str, Metric] = {}


def metric(key: str, label, unit, kind: str, definition, filter: str | None = None):  # noqa: A002
    def register(facts: Callable) -> Callable:
        METRICS[key] = Metric(key, label, unit, kind, filter, facts, definition)
        return facts

    return register


PEOPLE, TIMES = _l("人"), _l("人次")


# the columns of a fact, as lms.reports.models.ReportFact stores them
FACT_COLUMNS = ("person", "day", "region_id", "enterprise_id", "post_id", "ref", "end", "level")


def _facts(person, day, region_id, enterprise_id, post_id, ref, end=None, level=None) -> list:
    return [person.label("person"), day.label("day"), region_id.label("region_id"),
            enterprise_id.label("enterprise_id"), post_id.label("post_id"), ref.label("ref"),
            (end if end is not None else cast(null(), Date)).label("end"),
            (level if level is not None else cast(null(), String)).label("level")]


@metric("applications", _l("报名"), TIMES, "each",
        _l("报名人次：报名表（任何状态）按所报班次的开班日期计，计入班次所在地区。"))
def _applications() -> Select:
    return (select(*_facts(Application.user_id, Cohort.starts_on, Cohort.region_id, Application.enterprise_id,
                           cast(null(), Integer), Application.id))
            .join(Cohort, Cohort.id == Application.cohort_id))


@metric("admitted", _l("录取"), TIMES, "each",
        _l("录取人次：已录取的报名，按班次开班日期计，计入班次所在地区。"))
def _admitted() -> Select:
    return _applications().where(Application.status == ApplicationStatus.APPROVED)


@metric("trained_person_times", _l("培训人次"), TIMES, "each",
        _l("培训人次：已录取且至少出勤一次的报名（按开班日期）、每次继续教育活动出勤、每门学完的网络课程（按记入学时的日期）；"
           "计入组织方（班次、活动、课程）所在地区。"))
def _trained() -> Select:
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


def _certificates() -> Select:
    revoked_applications = select(Certificate.application_id).where(Certificate.status == CertificateStatus.REVOKED)
    return (select(*_facts(Certificate.user_id, Certificate.issued_on,
                           func.coalesce(Certificate.holder_region_id, Cohort.region_id),
                           Certificate.holder_enterprise_id, cast(null(), Integer), Certificate.id,
                           level=Program.level))
            .join(Cohort, Cohort.id == Certificate.cohort_id)
            .join(Program, Program.id == Certificate.program_id)
            .where(Certificate.application_id.not_in(revoked_applications)))


@metric("certified_people", _l("累计培育"), PEOPLE, "first",
        _l("累计培育人数：在该日期或之前获发合格证的不同人数；撤销的不计（其被替代的旧版本也不计），"
           "换发的新旧版本与过期的证书都计，一人只计一次。地区为发证时持证人所在企业的地区（记在证书上），"
           "无企业的按班次所在地区。可按培训项目级别筛选。"), filter="levels")
def _certified() -> Select:
    return _certificates()


@metric("appointed_people", _l("在聘人数"), PEOPLE, "active",
        _l("在聘人数：该日期有有效聘任的不同人数（聘任开始日不晚于该日，且未解聘或解聘日晚于该日）；"
           "地区为聘任企业所在地区。可按岗位筛选。"), filter="posts")
def _appointed() -> Select:
    return (select(*_facts(Appointment.user_id, Appointment.starts_on, Enterprise.region_id, Appointment.enterprise_id,
                           Appointment.post_id, Appointment.id, Appointment.ended_on))
            .join(Enterprise, Enterprise.id == Appointment.enterprise_id))


@metric("filed_people", _l("入库人数"), PEOPLE, "first",
        _l("入库人数：备案已受理、进入人才库的不同人数（按受理日期），一人只计一次；地区为备案企业所在地区。可按岗位筛选。"),
        filter="posts")
def _filed() -> Select:
    return (select(*_facts(TalentEntry.user_id, TalentEntry.accepted_on, Enterprise.region_id, TalentEntry.enterprise_id,
                           TalentEntry.post_id, TalentEntry.id))
            .join(Enterprise, Enterprise.id == TalentEntry.enterprise_id))


class _Held(NamedTuple):
    """A certificate as CE complete sees it: issued `day`, the programme's yearly `hours`."""

    day: date
    valid_until: date
    hours: float
    region_id: int | None
    enterprise_id: int | None
    level: str | None
    ref: int


@metric("ce_complete_people", _l("继续教育达标"), PEOPLE, "year",
        _l("继续教育达标人数：当年持有有效合格证（须继续教育学时）且截至该日期当年所记学时达到要求的不同人数；"
           "地区为其当年有效合格证的地区（同上）。"), filter="levels")
def _ce_complete(persons: list[int]) -> list[dict]:
    """The days of each year on which each person is complete, one fact per placing certificate:
    {day: from, end: until (exclusive; None = the year's end), year, and the certificate's region,
    enterprise, level}. As of a day D of year Y a certificate places its holder when it was issued by
    D and is still valid on 1 January (expiring during the year does not unplace); the hours
    required are the highest yearly hours of those certificates' programmes; the hours earned are
    the year's credits earned by D (a credit's `year` decides, as in the ledger)."""
    certificates: dict[int, list[_Held]] = {}
    placing = _certificates().add_columns(Certificate.valid_until, Program.ce_hours_per_year).subquery()
    for row in db.session.execute(select(placing).where(placing.c.person.in_(persons))).all():
        certificates.setdefault(row.person, []).append(_Held(
            _as_date(row.day), _as_date(row.valid_until), row.ce_hours_per_year or 0, row.region_id,
            row.enterprise_id, row.level, row.ref))
    credits: dict[tuple[int, int], list[tuple[date, float]]] = {}
    for person, year, earned_on, hours in db.session.execute(
            select(CeCredit.user_id, CeCredit.year, CeCredit.earned_on, CeCredit.hours)
            .where(CeCredit.user_id.in_(persons))).all():
        credits.setdefault((person, year), []).append((_as_date(earned_on), float(hours or 0)))
    facts = []
    for person, held in certificates.items():
        for year in sorted({y for row in held for y in range(row.day.year, row.valid_until.year + 1)}):
            facts += _complete_in(person, year, [r for r in held if r.day.year <= year <= r.valid_until.year],
                                  credits.get((person, year), []))
    return facts


def _complete_in(person: int, year: int, held: list, credits: list[tuple[date, float]]) -> list[dict]:
    first = date(year, 1, 1)
    days = sorted({first} | {max(row.day, first) for row in held} | {d for d, _h in credits if first < d <= date(year, 12, 31)})
    complete = []  # (from, until) spans of the year on which the person is complete
    for i, day in enumerate(days):
        required = max((row.hours for row in held if row.day <= day), default=0)
        earned = sum(hours for earned_on, hours in credits if earned_on <= day)
        if required > 0 and earned + 1e-9 >= required:
            until = days[i + 1] if i + 1 < len(days) else None
            if complete and complete[-1][1] == day:
                complete[-1] = (complete[-1][0], until)
            else:
                complete.append((day, until))
    facts = []
    for row in held:
        for start, until in complete:
            if until is not None and until <= row.day:
                continue
            facts.append(dict(person=person, day=max(start, row.day), end=until, year=year, region_id=row.region_id,
                              enterprise_id=row.enterprise_id, post_id=None, level=row.level, ref=row.ref))
    return facts


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


def stored(key: str, filters: Filters = Filters()) -> Select:
    """The metric's facts as kept in report_facts (fresh: see lms.reports.facts), narrowed by `filters`,
    with the columns of its definition (FACT_COLUMNS, and `year`)."""
    from lms.reports.facts import ensure_fresh

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


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite answers strings from subqueries
