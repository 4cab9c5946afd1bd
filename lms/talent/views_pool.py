"""/talent for bureaus and admins: filings waiting for acceptance, the talent pool search with the
shortlist export, a person's full record (audited) and the 汇总表 download."""
from __future__ import annotations

from io import BytesIO

from flask import redirect, render_template, request, send_file, url_for
from flask_login import current_user

from lms.core.inputs import int_or_none
from lms.talent import access, bp, pool, services, summary
from lms.talent.form import LABELS, shown
from lms.talent.models import AchievementKind
from lms.web import attempt, role_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/talent")
@role_required("admin", "bureau")
def pool_page():
    params = {name: request.args.get(name, "") for name in pool.POOL_FILTERS}
    page = None
    with attempt() as done:
        page = pool.search_page(current_user, params, request.args.get("page"))
    rows = [pool.entry_row(entry) for entry in page.items] if done.ok else []
    filters = [(f, f.choices(current_user) if f.choices else None) for f in pool.POOL_FILTERS.values()]
    return render_template("talent/pool.html", page=page, rows=rows, params=params, filters=filters,
                           awaiting=services.awaiting_acceptance(current_user),
                           regions=summary.summary_regions(current_user),
                           accepting=access.accepting_regions(current_user))


@bp.route("/talent/entries/<int:entry_id>")
@role_required("admin", "bureau")
def entry(entry_id: int):
    record = pool.get_record(current_user, entry_id)
    return render_template("talent/entry.html", entry=record, values=record.filing.form, shown=shown, labels=LABELS,
                           kinds=AchievementKind)


@bp.route("/talent/shortlist.xlsx", methods=["POST"])
@role_required("admin", "bureau")
def shortlist():
    ids = [number for number in map(int_or_none, request.form.getlist("entry")) if number is not None]
    with attempt() as done:
        data = pool.shortlist_workbook(current_user, ids)
    if not done.ok:
        return redirect(url_for("talent.pool_page"))
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name="shortlist.xlsx")


@bp.route("/talent/summary.xlsx")
@role_required("admin", "bureau")
def summary_download():
    with attempt() as done:
        name, data = summary.summary_workbook(current_user, request.args.get("region", ""),
                                              summary.parse_year(request.args.get("year")))
    if not done.ok:
        return redirect(url_for("talent.pool_page"))
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
