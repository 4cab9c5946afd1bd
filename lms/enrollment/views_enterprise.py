"""Enterprise HR pages: employees' applications and progress, nominating an employee."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.models import User
from lms.core.forms import options
from lms.enrollment import bp, services
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.forms import NominationForm
from lms.enrollment.models import Cohort
from lms.extensions import db
from lms.web import attempt, role_required


@bp.route("/enterprise/employees", methods=["GET", "POST"])
@role_required("enterprise")
def employees():
    profiles = services.employees_of(current_user)
    form = NominationForm()
    form.trainee_id.choices = options([(p.user_id, _("%(name)s（%(position)s）", name=p.name, position=p.position))
                                       for p in profiles])
    form.cohort_id.choices = options([(c.id, _("%(title)s（%(code)s）", title=c.title, code=c.code))
                                      for c in db.session.scalars(services.open_cohorts())])
    warnings = []
    if form.validate_on_submit():
        cohort = db.session.get(Cohort, form.cohort_id.data)
        if form.confirmed.data != "1":
            warnings = [str(w) for w in services.nomination_warnings(form.trainee_id.data, cohort)]
        if not warnings:
            with attempt(form, {"trainee": "trainee_id"}) as done:
                services.nominate(current_user, cohort, db.session.get(User, form.trainee_id.data))
            if done.ok:
                flash(_("已推荐，等待员工本人确认"), "success")
                return redirect(url_for("enrollment.employees"))
    rows = [(a, services.progress(a) if a.status == ApplicationStatus.APPROVED else None)
            for a in services.employee_applications(current_user)]
    return render_template("enrollment/employees.html", profiles=profiles, rows=rows, form=form, warnings=warnings)
