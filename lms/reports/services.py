"""Reports: where a region stands against its targets, and the yearly figures by region, post,
industry, ownership and month. Every number comes from lms.reports.counting.count(), so the page,
the workbook and the API agree. Services take an explicit actor (bureau or admin) and plain values."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.appointments.models import Post
from lms.core import audit
from lms.core.errors import Forbidden, NotFound, ValidationFailed
from lms.core.permissions import is_admin, require_role
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.orgs.attributes import Industry, Ownership
from lms.orgs.models import Region
from lms.programs.models import ProgramLevel
from lms.reports.counting import Scope, active_intervals, by_periods, count, daily
from lms.reports.metrics import METRICS, Filters
from lms.reports.models import Target

# the columns of the yearly tables, in order (DESIGN §9; docs/statistics.md says what each counts in a year)
YEAR_METRICS = ("applications", "admitted", "trained_person_times", "certified_people", "appointed_people",
                "filed_people", "ce_complete_people")
# the people metrics broken down by post, industry and ownership (they have an enterprise)
PEOPLE_METRICS = ("certified_people", "appointed_people", "filed_people")
POST_METRICS = ("appointed_people", "filed_people")


def require_reader(actor) -> None:
    require_role(actor, "admin", "bureau")


def today() -> date:
    return local_today()


# ---- where ---------------------------------------------------------------------------------

def home_regions(actor) -> list[Region]:
    """The regions an actor reports on: a bureau its own; an admin the roots (provinces)."""
    require_reader(actor)
    if is_admin(actor):
        return list(db.session.scalars(select(Region).where(Region.parent_id.is_(None)).order_by(Region.code)))
    return [g.region for g in actor.grants_for("bureau") if g.region is not None]


def resolve_region(actor, code: str | None) -> Region | None:
    """The region `code` if the actor may see it (404 otherwise); None = everywhere (admin only).
    No code: the bureau's own region, or everywhere for an admin."""
    require_reader(actor)
    code = (code or "").strip()
    if not code:
        if is_admin(actor):
            return None
        regions = home_regions(actor)
        if not regions:
            raise Forbidden(_l("您没有执行此操作的权限"))
        return regions[0]
    region = db.session.scalar(select(Region).where(Region.code == code))
    if region is None or not in_scope(actor, region):
        raise NotFound(_l("未找到该地区，或不在您的辖区内"))
    return region


def in_scope(actor, region: Region) -> bool:
    if is_admin(actor):
        return True
    return any(region.path.startswith(g.region.path) for g in actor.grants_for("bureau") if g.region is not None)


def scope_of(region: Region | None) -> Scope:
    if region is None:
        return Scope(None)
    ids = db.session.scalars(select(Region.id).where(Region.path.startswith(region.path, autoescape=True))).all()
    return Scope(tuple(ids))


def children(region: Region | None) -> list[Region]:
    stmt = select(Region).where(Region.parent_id.is_(None) if region is None else Region.parent_id == region.id)
    return list(db.session.scalars(stmt.order_by(Region.code)))


def child_map(region: Region | None) -> dict[int, str]:
    """Region id -> the code of the child of `region` it lies under (for breakdowns by child)."""
    kids = children(region)
    paths = [(kid.path, kid.code) for kid in kids]
    mapping = {}
    for region_id, path in db.session.execute(select(Region.id, Region.path)).all():
        for prefix, code in paths:
            if path.startswith(prefix):
                mapping[region_id] = code
                break
    return mapping


def region_label(region: Region | None) -> str:
    return region.full_name if region is not None else str(_l("全部地区"))


# ---- targets -------------------------------------------------------------------------------

@dataclass
class Progress:
    target: Target
    as_of: date
    current: int  # today
    at_deadline: int  # on the deadline (today's value while it has not come)
    at_start: int
    projected: int
    status: str  # reached | missed | on_track | behind
    pace_needed: float  # per 30 days, from start to deadline
    pace_achieved: float  # per 30 days, from start to today (or the deadline)
    points: list[tuple[date, int]] = field(default_factory=list)

    @property
    def progress(self) -> float:
        return self.at_deadline / self.target.value if self.target.value else 0.0

    @property
    def difference(self) -> int:
        return self.at_deadline - self.target.value

    @property
    def passed(self) -> bool:
        return self.as_of > self.target.deadline

    def as_json(self) -> dict[str, Any]:
        t = self.target
        return {"id": t.id, "region_code": t.region.code, "region_name": t.region.full_name, "metric": t.metric,
                "filters": Filters.of(t.filters).as_dict(), "title": t.title, "value": t.value,
                "starts_on": t.starts_on.isoformat(), "deadline": t.deadline.isoformat(), "current": self.current,
                "at_deadline": self.at_deadline, "progress": round(self.progress, 4), "projected": self.projected,
                "status": self.status, "difference": self.difference,
                "pace_needed": round(self.pace_needed, 2), "pace_achieved": round(self.pace_achieved, 2)}


STATUS_LABELS = {"reached": _l("已完成"), "missed": _l("未完成"), "on_track": _l("按进度"), "behind": _l("落后于进度")}


def target_value(target: Target, day: date) -> int:
    """The target's metric on `day`: person-times from the target's start, people cumulatively (累计)."""
    m = METRICS[target.metric]
    first = target.starts_on if m.kind == "each" else None
    return count(target.metric, scope_of(target.region), day, first, Filters.of(target.filters))


def _chart_days(start: date, end: date) -> list[date]:
    """About 24 evenly spaced days from start to end, both included."""
    span = max(1, (end - start).days)
    step = max(1, span // 24)
    days = [start + timedelta(days=i) for i in range(0, span, step)]
    return [*days, end]


def series(target: Target, days: list[date]) -> dict[date, int]:
    """target_value() on each of `days`, from one query (the metric's daily increments, summed)."""
    m = METRICS[target.metric]
    scope, filters, last = scope_of(target.region), Filters.of(target.filters), max(days)
    if m.kind == "year":
        return {day: target_value(target, day) for day in days}
    if m.kind == "active":
        changes = active_intervals(target.metric, scope, last, filters)
    else:
        changes = daily(target.metric, scope, last, filters)
        if m.kind == "each":
            changes = [(day, n) for day, n in changes if day >= target.starts_on]
    result, running, i = {}, 0, 0
    for day in sorted(days):
        while i < len(changes) and changes[i][0] <= day:
            running += changes[i][1]
            i += 1
        result[day] = running
    return result


def progress(target: Target, as_of: date | None = None, with_points: bool = True) -> Progress:
    as_of = as_of or today()
    end = min(as_of, target.deadline)
    before = target.starts_on - timedelta(days=1)
    days = {as_of, end, before}
    if with_points:
        days |= set(_chart_days(target.starts_on, as_of))
    values = series(target, sorted(days))
    at_start = values[before] if METRICS[target.metric].kind != "each" else 0
    current, at_deadline = values[as_of], values[end]
    months = lambda days: max(days, 1) / 30  # noqa: E731
    needed = (target.value - at_start) / months((target.deadline - target.starts_on).days)
    achieved = (at_deadline - at_start) / months((end - target.starts_on).days)
    if as_of > target.deadline:
        projected = at_deadline
        status = "reached" if at_deadline >= target.value else "missed"
    else:
        projected = round(current + achieved * (target.deadline - as_of).days / 30)
        status = "reached" if current >= target.value else ("on_track" if projected >= target.value else "behind")
    points = [(day, values[day]) for day in sorted(days) if day >= target.starts_on] if with_points else []
    return Progress(target, as_of, current, at_deadline, at_start, projected, status, needed, achieved, points)


def visible_targets(actor) -> list[Target]:
    """Targets of regions in the actor's scope, and of the regions above it (a district sees its
    city's and province's targets: what it contributes to)."""
    require_reader(actor)
    targets = db.session.scalars(select(Target).join(Region).order_by(Target.deadline.desc(), Region.code, Target.id))
    if is_admin(actor):
        return list(targets)
    mine = [g.region for g in actor.grants_for("bureau") if g.region is not None]
    return [t for t in targets if any(related(t.region, r) for r in mine)]


def related(one: Region, other: Region) -> bool:
    """One region lies within the other, or the other within it (a target a region contributes to,
    or one of its own regions')."""
    return one.path.startswith(other.path) or other.path.startswith(one.path)


def get_target(actor, target_id: int) -> Target:
    for target in visible_targets(actor):
        if target.id == target_id:
            return target
    raise NotFound(_l("未找到该目标，或您无权查看"))


def require_manage(actor) -> None:
    if not is_admin(actor):
        raise Forbidden(_l("只有管理员可以设定目标"))


def _parse_date(value, field_name: str, problems: dict) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        problems[field_name] = _l("请填写日期，格式 YYYY-MM-DD")
        return None


def save_target(actor, data: dict, target: Target | None = None) -> Target:
    """Create or change a target (admins). data: region (code), metric, title, value, starts_on,
    deadline, levels or posts (lists), source."""
    require_manage(actor)
    problems: dict[str, Any] = {}
    region = db.session.scalar(select(Region).where(Region.code == str(data.get("region") or "").strip()))
    if region is None:
        problems["region"] = _l("未知的地区代码")
    metric = METRICS.get(str(data.get("metric") or ""))
    if metric is None or metric.key not in TARGET_METRICS:
        problems["metric"] = _l("请选择统计指标")
    title = str(data.get("title") or "").strip()
    if not title:
        problems["title"] = _l("请填写目标名称")
    try:
        value = int(str(data.get("value") or "").strip())
        if value <= 0:
            raise ValueError
    except ValueError:
        value = 0
        problems["value"] = _l("请填写正整数")
    starts_on = _parse_date(data.get("starts_on"), "starts_on", problems)
    deadline = _parse_date(data.get("deadline"), "deadline", problems)
    if starts_on and deadline and starts_on >= deadline:
        problems["deadline"] = _l("截止日期须晚于起始日期")
    levels = [v for v in (data.get("levels") or []) if v]
    posts = [v for v in (data.get("posts") or []) if v]
    if metric is not None:
        if levels and metric.filter != "levels":
            problems["levels"] = _l("该指标不能按培训项目级别筛选")
        if posts and metric.filter != "posts":
            problems["posts"] = _l("该指标不能按岗位筛选")
    if any(level not in ProgramLevel.values() for level in levels):
        problems["levels"] = _l("未知的培训项目级别")
    known_posts = set(db.session.scalars(select(Post.code)))
    if any(code not in known_posts for code in posts):
        problems["posts"] = _l("未知的岗位代码")
    if problems:
        raise ValidationFailed(_l("目标未保存，请检查标出的项目"), problems)
    created = target is None
    target = target or Target(created_by_id=getattr(actor, "id", None))
    target.region, target.metric, target.title, target.value = region, metric.key, title, value
    target.starts_on, target.deadline = starts_on, deadline
    target.filters = Filters(tuple(sorted(levels)), tuple(sorted(posts))).as_dict()
    target.source = str(data.get("source") or "").strip()[:200]
    db.session.add(target)
    db.session.flush()
    audit.record(actor, "target.create" if created else "target.update", target, metric=target.metric,
                 value=target.value, deadline=target.deadline.isoformat())
    return target


TARGET_METRICS = ("certified_people", "trained_person_times", "appointed_people", "filed_people", "ce_complete_people")

# The seeds' numbers (DESIGN §9), shipped: `flask lms report seed-targets` and seed-demo add them when missing.
SEED_TARGETS = [
    dict(region="310000", metric="certified_people", levels=["director"], value=1000, starts_on="2021-01-01",
         deadline="2025-12-31", title="累计培育企业标准化总监1000名",
         source="上海市企业标准化总监制度实施方案：到2025年，累计培育企业标准化总监1000名"),
    dict(region="210000", metric="filed_people", posts=["ln-cso", "ln-director", "ln-specialist"], value=800,
         starts_on="2023-01-01", deadline="2025-12-31", title="首席标准官、标准总监、标准化专员达到800名以上",
         source="辽宁省：2025年底前，全省首席标准官、标准总监、标准化专员达到800名以上"),
    dict(region="330000", metric="trained_person_times", value=10000, starts_on="2021-01-01", deadline="2025-12-31",
         title="培训企业标准化人员10000人次以上", source="浙江省：培训企业标准化人员10000人次以上"),
]


def seed_targets() -> int:
    """Add the seeds' targets whose region exists and that are missing (same region, metric, deadline)."""
    added = 0
    for spec in SEED_TARGETS:
        region = db.session.scalar(select(Region).where(Region.code == spec["region"]))
        if region is None or db.session.scalar(select(Target.id).where(
                Target.region_id == region.id, Target.metric == spec["metric"],
                Target.deadline == date.fromisoformat(spec["deadline"]))):
            continue
        filters = Filters(tuple(spec.get("levels", ())), tuple(spec.get("posts", ()))).as_dict()
        db.session.add(Target(region=region, metric=spec["metric"], filters=filters, title=spec["title"],
                              value=spec["value"], starts_on=date.fromisoformat(spec["starts_on"]),
                              deadline=date.fromisoformat(spec["deadline"]), source=spec["source"]))
        added += 1
    db.session.flush()
    return added


def next_target_defaults(target: Target) -> dict[str, Any]:
    """The form's values for the next target after a passed one: same region, metric and filter,
    the following period of the same length."""
    length = target.deadline.year - target.starts_on.year + 1
    start = date(target.deadline.year + 1, 1, 1)
    return {"region": target.region.code, "metric": target.metric, "levels": target.filters.get("levels", []),
            "posts": target.filters.get("posts", []), "value": target.value, "title": target.title,
            "starts_on": start.isoformat(), "deadline": date(start.year + max(length, 1) - 1, 12, 31).isoformat(),
            "source": ""}


# ---- the yearly summary ---------------------------------------------------------------------

def year_period(year: int, as_of: date | None = None) -> tuple[date, date]:
    as_of = as_of or today()
    return date(year, 1, 1), min(date(year, 12, 31), as_of)


def year_figures(scope: Scope, year: int, by: str | None = None, cmap=None, as_of: date | None = None,
                 metrics=YEAR_METRICS) -> dict[str, Any]:
    """The yearly table's figures: {metric: number or {group: number}} for the year (so far)."""
    first, last = year_period(year, as_of)
    return {key: count(key, scope, last, None if METRICS[key].kind in ("active", "year") else first,
                       by=by, child_map=cmap) for key in metrics}


def parse_year(value, as_of: date | None = None) -> int:
    as_of = as_of or today()
    if value in (None, ""):
        return as_of.year
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= as_of.year:
        raise ValidationFailed(_l("年份无效"), {"year": _l("请填写 2000 年至今年之间的年份")})
    return year


def summary(actor, region_code: str | None, year_value) -> dict[str, Any]:
    """GET /api/v1/reports/summary: the year's figures of a region and of each child region."""
    region = resolve_region(actor, region_code)
    year = parse_year(year_value)
    return summary_of(region, year)


def summary_of(region: Region | None, year: int, figures: dict[str, int] | None = None) -> dict[str, Any]:
    """The year's figures of `region` (`figures`: already computed by by_year()) and of each child."""
    scope, kids, cmap = scope_of(region), children(region), child_map(region)
    first, last = year_period(year)
    by_child = year_figures(scope, year, "child", cmap)
    return {
        "region": {"code": region.code if region else "", "name": region_label(region)},
        "year": year, "first_day": first.isoformat(), "last_day": last.isoformat(),
        "metrics": figures if figures is not None else by_year(region, [year])[0][1],
        "totals": {key: count(key, scope, last) for key in ("certified_people", "filed_people")},
        "by_region": [{"code": kid.code, "name": kid.name,
                       "metrics": {key: by_child[key].get(kid.code, 0) for key in YEAR_METRICS}} for kid in kids],
    }


def years_of(region: Region | None, last_year: int | None = None, count_years: int = 6) -> list[int]:
    last_year = last_year or today().year
    return list(range(last_year - count_years + 1, last_year + 1))


def by_year(region: Region | None, years: list[int]) -> list[tuple[int, dict[str, int]]]:
    """year_figures() of each year (one query per metric, CE complete one per year)."""
    return _by_periods(region, [year_period(year) for year in years], years)


def _by_periods(region: Region | None, periods: list[tuple[date, date]], keys: list) -> list[tuple[Any, dict[str, int]]]:
    scope = scope_of(region)
    columns = {key: by_periods(key, scope, periods) for key in YEAR_METRICS}
    return [(k, {key: columns[key][i] for key in YEAR_METRICS}) for i, k in enumerate(keys)]


def breakdown(region: Region | None, year: int, by: str) -> list[tuple[str, Any, dict[str, int]]]:
    """(key, label, {metric: number}) per post / industry / ownership, for the people metrics,
    as of the year's end (people in post, cumulative certified and filed people)."""
    scope = scope_of(region)
    _first, last = year_period(year)
    metrics = POST_METRICS if by == "post" else PEOPLE_METRICS
    figures = {key: count(key, scope, last, by=by) for key in metrics}
    if by == "post":
        labels = {p.code: p.title for p in db.session.scalars(select(Post).order_by(Post.region_id, Post.rank))}
    else:
        labels = {m.value: m.label for m in (Industry if by == "industry" else Ownership)}
    keys = [k for k in labels if any(k in figures[m] for m in metrics)]
    keys += sorted({k for m in metrics for k in figures[m]} - set(keys))
    return [(k, labels.get(k, k), {m: figures[m].get(k, 0) for m in metrics}) for k in keys]


def by_month(region: Region | None, year: int) -> list[tuple[int, dict[str, int]]]:
    """The year's figures month by month (flows and new people in the month; people in post at its
    end; CE complete as of its end)."""
    periods, months = [], []
    for month in range(1, 13):
        first = date(year, month, 1)
        if first > today():
            break
        periods.append((first, min(date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1), today())))
        months.append(month)
    return _by_periods(region, periods, months)
