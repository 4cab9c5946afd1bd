"""The metrics (DESIGN §9, docs/statistics.md): each defined here once (lms.reports.counting counts them).

A metric is a select of *facts* — one row per thing it counts, with the person, the day it
counts from, the region it counts in, the enterprise and the post — and a *kind* that says how
facts become a number:

- `first`  people (人), counted once from their first fact: as of a day, the people whose first
           fact is on or before it (累计); in a period, those whose first fact falls in it (新增).
- `each`   person-times (人次): every fact counts; as of a day all up to it, in a period those in it.
- `active` people holding something on the day (facts carry an end day): as of the period's last day.
- `year`   people complete for the calendar year of the day (continuing education).

The facts are defined here against the records; lms.reports.facts keeps a copy of them, rewritten
per person whenever that person's records change, and lms.reports.counting counts that copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Integer, Select, String, and_, cast, exists, func, null, select, union_all

from lms.appointments.models import Appointment
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


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite answers strings from subqueries
