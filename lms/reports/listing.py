"""The list behind a number: the rows counting.rows() counts, described for a person to check
(masked name, date, what it is, the enterprise)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.accounts.models import User
from lms.appointments.models import Appointment
from lms.ce.models import CeCredit
from lms.certificates.models import Certificate
from lms.core.errors import ValidationFailed
from lms.core.masking import mask_name
from lms.enrollment.models import Application
from lms.extensions import db
from lms.orgs.attributes import Industry, Ownership
from lms.orgs.models import Enterprise, Region
from lms.programs.models import ProgramLevel
from lms.reports import services
from lms.reports.counting import count, rows
from lms.reports.metrics import METRICS, Filters
from lms.talent.models import TalentEntry


@dataclass(frozen=True)
class Params:
    last: date
    first: date | None
    filters: Filters
    group: tuple[str, str] | None


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_l("日期无效"), {name: _l("请填写日期，格式 YYYY-MM-DD")}) from None


def parse(args) -> Params:
    last = _day(args.get("last"), "last") or services.today()
    levels = tuple(v for v in (args.get("levels") or "").split(",") if v)
    posts = tuple(v for v in (args.get("posts") or "").split(",") if v)
    group = next(((name, args[name]) for name in ("industry", "ownership") if args.get(name)), None)
    return Params(last, _day(args.get("first"), "first"), Filters(tuple(sorted(levels)), tuple(sorted(posts))), group)


@dataclass
class Row:
    name: str
    day: date | None
    what: str
    enterprise: str


def list_rows(key: str, region: Region | None, params: Params, limit: int, offset: int) -> tuple[list[Row], int]:
    scope = services.scope_of(region)
    first = params.first if METRICS[key].kind in ("first", "each") else None
    if params.group:
        total = count(key, scope, params.last, first, params.filters, by=params.group[0]).get(params.group[1], 0)
    else:
        total = count(key, scope, params.last, first, params.filters)
    found = rows(key, scope, params.last, first, params.filters, limit, offset, params.group)
    return describe(key, found), total


def describe(key: str, found: list[tuple[int, date | None, int]]) -> list[Row]:
    people = {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_({p for p, _d, _r in found})))}
    details: dict[int, tuple[str, str]] = {}
    refs = [r for _p, _d, r in found]
    if key in ("applications", "admitted", "trained_person_times"):
        for a in db.session.scalars(select(Application).where(Application.id.in_([r for r in refs if r > 0]))):
            details[a.id] = (a.cohort.title, a.enterprise.name if a.enterprise else "")
        for c in db.session.scalars(select(CeCredit).where(CeCredit.id.in_([-r for r in refs if r < 0]))):
            details[-c.id] = (f"{c.source.label} · {c.title}", "")
    elif key in ("certified_people", "ce_complete_people"):
        stmt = select(Certificate, Enterprise.name).outerjoin(Enterprise, Enterprise.id == Certificate.holder_enterprise_id)
        if key == "certified_people":
            stmt = stmt.where(Certificate.id.in_(refs))
            for c, enterprise in db.session.execute(stmt):
                details[c.id] = (f"{c.program_title} · {c.cert_no}", enterprise or "")
        else:  # ref is the person: their newest certificate
            for c, enterprise in db.session.execute(stmt.where(Certificate.user_id.in_(refs)).order_by(Certificate.id)):
                details[c.user_id] = (f"{c.program_title} · {c.cert_no}", enterprise or "")
    elif key == "appointed_people":
        for a in db.session.scalars(select(Appointment).where(Appointment.id.in_(refs))):
            details[a.id] = (a.post.title, a.enterprise.name)
    elif key == "filed_people":
        for e in db.session.scalars(select(TalentEntry).where(TalentEntry.id.in_(refs))):
            details[e.id] = (f"{e.post.title} · {e.filing.filing_no}", e.enterprise.name)
    return [Row(mask_name(people.get(p, "")), day, *details.get(r, ("", ""))) for p, day, r in found]


def describe_params(params: Params) -> list[tuple[Any, str]]:
    """The filter in words, for the list's heading."""
    shown = []
    if params.first:
        shown.append((_l("起始日期"), params.first.isoformat()))
    shown.append((_l("截至日期"), params.last.isoformat()))
    if params.filters.levels:
        levels = (str(ProgramLevel.get(v).label) if ProgramLevel.get(v) else v for v in params.filters.levels)
        shown.append((_l("培训项目级别"), ", ".join(levels)))
    if params.filters.posts:
        shown.append((_l("岗位"), ", ".join(params.filters.posts)))
    if params.group:
        enum = Industry if params.group[0] == "industry" else Ownership
        member = enum.get(params.group[1])
        shown.append((_l("行业") if params.group[0] == "industry" else _l("所有制"),
                      str(member.label) if member else params.group[1]))
    return shown
