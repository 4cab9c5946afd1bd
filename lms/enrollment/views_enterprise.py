"""Enterprise HR pages: employees' applications and progress, nominating an employee."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.accounts.models import User
from lms.web import role_required
from lms.core.errors import AppError, ValidationFailed
from lms.core.forms import apply_errors
from lms.core.permissions import enterprise_ids
from lms.enrollment import services
from lms.enrollment.forms import NominationForm
from lms.enrollment.models import Application, Cohort, TraineeProfile
from lms.enrollment import bp
from lms.core.forms import options
from lms.extensions import db


def _employees():
    own = sorted(enterprise_ids(current_user)) or [-1]
    return db.session.scalars(select(TraineeProfile).where(TraineeProfile.enterprise_id.in_(own))
                              .order_by(TraineeProfile.name)).all()


@bp.route("/enterprise/employees", methods=["GET", "POST"])
@role_required("enterprise")
def employees():
    profiles = _employees()
    form = NominationForm()
    form.trainee_id.choices = options([(p.user_id, f"{p.name}（{p.position}）") for p in profiles])
    cohorts = db.session.scalars(services.open_cohorts())
    form.cohort_id.choices = options([(c.id, f"{c.title}（{c.code}）") for c in cohorts])
    if form.validate_on_submit():
        try:
            services.nominate(current_user, db.session.get(Cohort, form.cohort_id.data),
                              db.session.get(User, form.trainee_id.data))
        except ValidationFailed as error:
            db.session.rollback()
            apply_errors(form, ValidationFailed(error.message, {"trainee_id": "；".join(error.fields.values())}))
        except AppError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("已推荐，等待员工本人确认"), "success")
            return redirect(url_for("enrollment.employees"))
    applications = db.session.scalars(services.visible_applications(current_user)
                                      .order_by(Application.submitted_at.desc())).all()
    rows = [(a, services.progress(a) if a.status == "approved" else None) for a in applications]
    return render_template("enrollment/employees.html", profiles=profiles, rows=rows, form=form)
