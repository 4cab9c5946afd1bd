"""The /ce pages: a person's hours for a year (their hub), the staff hub, and the standing of the
people an enterprise HR contact or a bureau sees."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from lms.ce import access, activities, bp, ledger, people
from lms.core.inputs import int_or_none
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.web import role_required


def _year() -> int:
    year = int_or_none(request.args.get("year"))
    this_year = local_today().year
    return year if year is not None and 2000 <= year <= this_year + 1 else this_year


@bp.route("/ce")
@login_required
def index():
    if not access.is_person(current_user):
        return redirect(url_for("ce.staff"))
    year = _year()
    return render_template("ce/index.html", year=year, years=range(local_today().year, local_today().year - 5, -1),
                           standing=ledger.standing(current_user.id, year),
                           registrations=activities.own_registrations(current_user),
                           open_count=db.session.scalar(select(func.count()).select_from(
                               activities.open_activities().order_by(None).subquery())),
                           **people.extras(current_user))


@bp.route("/ce/staff")
@role_required(*access.STAFF_ROLES, "enterprise")
def staff():
    return render_template("ce/staff.html", organizer=access.is_organizer(current_user),
                           renews=current_user.has_role("admin", "institution"),
                           sees_people=current_user.has_role(*access.SEE_PEOPLE_ROLES),
                           **people.staff_counts(current_user))


@bp.route("/ce/people")
@role_required(*access.SEE_PEOPLE_ROLES)
def people_list():
    year = _year()
    query = (request.args.get("q") or "").strip()[:64]
    rows = people.standing_list(current_user, year, query)
    return render_template("ce/people.html", year=year, rows=rows, q=query,
                           years=range(local_today().year, local_today().year - 5, -1))


@bp.route("/ce/people/<int:user_id>")
@role_required(*access.SEE_PEOPLE_ROLES)
def person(user_id: int):
    year = _year()
    user = access.visible_person(current_user, user_id)
    return render_template("ce/person.html", person=user, year=year, standing=ledger.standing(user.id, year),
                           years=range(local_today().year, local_today().year - 5, -1))


@bp.context_processor
def _ce_globals():
    from lms.ce.enums import Category

    return {"categories": [(c.value, c.label) for c in Category]}
