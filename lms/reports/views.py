"""/reports for bureaus and admins: targets with progress and the chart, the yearly tables, the
list behind every number, the workbook download, and (admins) target editing."""
from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user

from lms.appointments.models import Post
from lms.core.errors import ValidationFailed
from lms.core.pagination import Page, page_number
from lms.extensions import db
from lms.programs.models import ProgramLevel
from lms.reports import bp, chart, listing, services, workbook
from lms.reports.metrics import METRICS, Filters
from lms.reports.services import TARGET_METRICS
from lms.web import attempt, role_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50


def chart_of(progress: services.Progress):
    t = progress.target
    return chart.cumulative_chart(
        progress.points, t.value, t.starts_on, t.deadline, progress.as_of,
        None if progress.passed else progress.projected,
        {"title": gettext("%(title)s：累计进度", title=t.title), "target": gettext("目标"),
         "deadline": gettext("截止"), "today": gettext("现在"), "projected": gettext("预计")})


@bp.route("/reports")
@role_required("admin", "bureau")
def index():
    region = services.resolve_region(current_user, request.args.get("region"))
    try:
        year = services.parse_year(request.args.get("year"))
    except ValidationFailed as error:
        flash(str(error.message), "error")
        year = services.today().year
    progresses = [services.progress(t) for t in services.visible_targets(current_user)
                  if region is None or services.related(t.region, region)]
    kids = services.children(region)
    years = services.years_of(region, year)
    yearly = services.by_year(region, years)
    summary = services.summary_of(region, year, dict(yearly)[year])
    return render_template(
        "reports/index.html", region=region, region_name=services.region_label(region), year=year,
        progresses=[(p, chart_of(p)) for p in progresses], summary=summary, kids=kids,
        by_year=yearly, by_post=services.breakdown(region, year, "post"),
        by_industry=services.breakdown(region, year, "industry"),
        by_ownership=services.breakdown(region, year, "ownership"),
        period=services.year_period(year), metrics=METRICS, year_metrics=services.YEAR_METRICS,
        people_metrics=services.PEOPLE_METRICS, post_metrics=services.POST_METRICS,
        regions=_region_choices(), labels=services.STATUS_LABELS, today=services.today(),
        can_manage=current_user.has_role("admin"))


def _region_choices():
    roots = services.home_regions(current_user)
    choices = []
    for root in roots:
        choices.append(root)
        choices.extend(services.children(root))
    return choices


@bp.route("/reports/list")
@role_required("admin", "bureau")
def list_page():
    """What a number counts: the same metric, region, period and filter, one row per person or time."""
    key = request.args.get("metric", "")
    if key not in METRICS:
        flash(gettext("未知的统计指标"), "error")
        return redirect(url_for("reports.index"))
    region = services.resolve_region(current_user, request.args.get("region"))
    params = listing.parse(request.args)
    number = page_number(request.args.get("page"), PER_PAGE)
    found, total = listing.list_rows(key, region, params, PER_PAGE, (number - 1) * PER_PAGE)
    return render_template("reports/list.html", metric=METRICS[key], region=region,
                           region_name=services.region_label(region), params=params,
                           page=Page(found, number, PER_PAGE, total), query=request.args.to_dict())


@bp.route("/reports/summary.xlsx")
@role_required("admin", "bureau")
def download():
    with attempt() as done:
        region = services.resolve_region(current_user, request.args.get("region"))
        year = services.parse_year(request.args.get("year"))
        name, data = workbook.summary_workbook(region, year)
    if not done.ok:
        return redirect(url_for("reports.index"))
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


# ---- targets (admins) -------------------------------------------------------------------------

def _form_values(source) -> dict:
    return {"region": source.get("region", ""), "metric": source.get("metric", ""), "title": source.get("title", ""),
            "value": source.get("value", ""), "starts_on": source.get("starts_on", ""),
            "deadline": source.get("deadline", ""), "source": source.get("source", ""),
            "levels": source.getlist("levels") if hasattr(source, "getlist") else source.get("levels", []),
            "posts": source.getlist("posts") if hasattr(source, "getlist") else source.get("posts", [])}


def _target_page(values: dict, target=None, problems=None):
    return render_template("reports/target_form.html", values=values, target=target, problems=problems or {},
                           metrics=[METRICS[k] for k in TARGET_METRICS], levels=ProgramLevel,
                           posts=list(db.session.scalars(db.select(Post).order_by(Post.region_id, Post.rank))),
                           regions=_region_choices())


@bp.route("/reports/targets/new", methods=["GET", "POST"])
@role_required("admin")
def new_target():
    if request.method == "POST":
        return _save(None)
    after = request.args.get("after", type=int)
    values = services.next_target_defaults(services.get_target(current_user, after)) if after else {
        "region": "", "metric": "", "title": "", "value": "", "starts_on": "", "deadline": "", "source": "",
        "levels": [], "posts": []}
    return _target_page(values)


@bp.route("/reports/targets/<int:target_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_target(target_id: int):
    target = services.get_target(current_user, target_id)
    if request.method == "POST":
        return _save(target)
    values = {"region": target.region.code, "metric": target.metric, "title": target.title, "value": target.value,
              "starts_on": target.starts_on.isoformat(), "deadline": target.deadline.isoformat(),
              "source": target.source, "levels": target.filters.get("levels", []),
              "posts": target.filters.get("posts", [])}
    return _target_page(values, target)


def _save(target):
    values = _form_values(request.form)
    problems = {}
    with attempt() as done:
        try:
            services.save_target(current_user, values, target)
        except ValidationFailed as error:
            problems = error.fields
            raise
    if done.ok:
        flash(gettext("目标已保存"), "success")
        return redirect(url_for("reports.index"))
    return _target_page(values, target, problems), 422


def list_link(key: str, region_code: str, last: date, first: date | None = None, filters: Filters | None = None,
              group: tuple[str, str] | None = None) -> str:
    """The list page of what a number counts."""
    args = {"metric": key, "region": region_code, "last": last.isoformat()}
    if first is not None and METRICS[key].kind in ("first", "each"):
        args["first"] = first.isoformat()
    if filters:
        if filters.levels:
            args["levels"] = ",".join(filters.levels)
        if filters.posts:
            args["posts"] = ",".join(filters.posts)
    if group:
        args[group[0]] = group[1]
    return url_for("reports.list_page", **args)


@bp.app_context_processor
def _helpers():
    return {"report_link": list_link, "metrics_of": METRICS.get, "filters_of": lambda t: Filters.of(t.filters),
            "level_label": lambda value: ProgramLevel.get(value, value).label if ProgramLevel.get(value) else value,
            "year_bounds": services.year_period, "post_filter": lambda code: Filters(posts=(code,)),
            "describe": listing.describe_params, "post_titles": _post_titles}


def _post_titles(codes) -> list[str]:
    titles = dict(db.session.execute(db.select(Post.code, Post.title).where(Post.code.in_(list(codes)))).all())
    return [titles.get(code, code) for code in codes]
