"""Renewals for institution staff: certificates due within N days with their CE years, renew one,
or renew every one whose CE years are complete as a batch job with progress."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.ce import bp, renewal
from lms.certificates.services import get_certificate
from lms.core import jobs
from lms.core.inputs import int_or_none
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.web import attempt, role_required

WINDOWS = (30, 60, 90, 180, 365)


def _days() -> int:
    days = int_or_none(request.values.get("days"))
    return days if days in WINDOWS else 90


@bp.route("/ce/renewals")
@role_required("admin", "institution")
def renewals():
    days = _days()
    certificates = db.session.scalars(renewal.due(current_user, days).limit(500)).all()
    rows = [(c, renewal.missing_years(c)) for c in certificates]
    return render_template("ce/renewals.html", rows=rows, days=days, windows=WINDOWS, today=local_today(),
                           ready=sum(1 for _c, missing in rows if not missing))


@bp.route("/ce/renewals/<cert_no>", methods=["POST"])
@role_required("admin", "institution")
def renew_one(cert_no: str):
    certificate = get_certificate(current_user, cert_no)
    with attempt() as done:
        renewed = renewal.renew(current_user, certificate)
    if done.ok:
        flash(_("已续期：新证书 %(no)s，有效期至 %(until)s", no=renewed.cert_no, until=renewed.valid_until.isoformat()),
              "success")
    return redirect(url_for("ce.renewals", days=_days()))


@bp.route("/ce/renewals/batch", methods=["POST"])
@role_required("admin", "institution")
def renew_batch():
    certificates = [c for c in db.session.scalars(renewal.due(current_user, _days()).limit(500))
                    if not renewal.missing_years(c)]
    if not certificates:
        flash(_("没有可以续期的证书"), "info")
        return redirect(url_for("ce.renewals", days=_days()))
    job = renewal.start_batch(current_user, certificates)
    return redirect(url_for("ce.renewal_job", job_id=job.id))


@bp.route("/ce/renewals/jobs/<int:job_id>")
@role_required("admin", "institution")
def renewal_job(job_id: int):
    return render_template("ce/renewal_job.html", job=jobs.get_job(current_user, job_id))
