"""Staff pages: a cohort's certificates (issue one, issue all), search, one certificate
(download, reissue, revoke), and the batch job's progress page and ZIP."""
from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.certificates import access, batch, bp, issuing, services
from lms.certificates.forms import ReissueForm, RevokeForm
from lms.core import jobs
from lms.core.pagination import paginate
from lms.enrollment import services as enrollment
from lms.enrollment.attendance import enrolled_in
from lms.enrollment.models import Application, TraineeProfile
from lms.extensions import db
from lms.web import attempt, confirmation, confirmed, role_required

STAFF = ("admin", "bureau", "institution")


@bp.route("/staff/cohorts/<code>/certificates")
@role_required(*STAFF)
def cohort(code: str):
    cohort_ = enrollment.get_cohort(current_user, code)
    applications = enrolled_in(cohort_.id)
    issued = services.cohort_certificates(cohort_.id)
    names = dict(db.session.execute(select(TraineeProfile.user_id, TraineeProfile.name).where(
        TraineeProfile.user_id.in_([a.user_id for a in applications]))).all())
    unmet = issuing.unmet_requirements_of([a for a in applications if a.id not in issued])
    return render_template("certificates/cohort.html", cohort=cohort_, applications=applications, issued=issued,
                           names=names, unmet=unmet, manages=access.can_issue(current_user, cohort_),
                           today=enrollment.local_today())


@bp.route("/staff/cohorts/<code>/certificates/<int:application_id>", methods=["POST"])
@role_required("admin", "institution")
def issue_one(code: str, application_id: int):
    cohort_ = enrollment.get_cohort(current_user, code)
    application = db.session.scalar(select(Application).where(Application.id == application_id,
                                                              Application.cohort_id == cohort_.id))
    if application is None:
        abort(404)
    with attempt() as done:
        certificate = services.issue(current_user, application)
    if done.ok:
        flash(_("已颁发合格证 %(no)s", no=certificate.cert_no), "success")
    return redirect(url_for("certificates.cohort", code=cohort_.code))


@bp.route("/staff/cohorts/<code>/certificates/batch", methods=["POST"])
@role_required("admin", "institution")
def issue_all(code: str):
    job = batch.start(current_user, enrollment.get_cohort(current_user, code))
    return redirect(url_for("certificates.job_page", job_id=job.id))


@bp.route("/staff/jobs/<int:job_id>")
@role_required(*STAFF)
def job_page(job_id: int):
    job = jobs.get_job(current_user, job_id)
    return render_template("certificates/job.html", job=job)


@bp.route("/staff/certificates")
@role_required(*STAFF)
def search():
    query = request.args.get("q", "").strip()
    page = paginate(services.visible_certificates(current_user, query), request.args.get("page", 1, type=int))
    return render_template("certificates/search.html", page=page, query=query, today=enrollment.local_today())


@bp.route("/staff/certificates/<cert_no>", methods=["GET", "POST"])
@role_required(*STAFF)
def detail(cert_no: str):
    certificate = services.get_certificate(current_user, cert_no)
    manages = access.can_manage(current_user, certificate)
    revoke_form, reissue_form = RevokeForm(prefix="revoke"), ReissueForm(prefix="reissue")
    action = request.form.get("action")
    if request.method == "POST":
        access.require_manage(current_user, certificate)
        if action == "revoke" and revoke_form.validate_on_submit():
            if (revoke_form.reason.data or "").strip() and not confirmed():
                return _confirm_revocation(certificate, revoke_form.reason.data.strip())
            with attempt(revoke_form) as done:
                services.revoke(current_user, certificate, revoke_form.reason.data)
            if done.ok:
                flash(_("证书已撤销"), "success")
                return redirect(url_for("certificates.detail", cert_no=certificate.cert_no))
        elif action == "reissue" and reissue_form.validate_on_submit():
            with attempt(reissue_form) as done:
                new = services.reissue(current_user, certificate, reissue_form.reason.data,
                                       reissue_form.holder_name.data)
            if done.ok:
                flash(_("已换发新版本 %(no)s，旧版本已标记为被替代", no=new.cert_no), "success")
                return redirect(url_for("certificates.detail", cert_no=new.cert_no))
    log = services.verification_summary([certificate.id])[certificate.id]
    return render_template("certificates/detail.html", certificate=certificate, manages=manages, log=log,
                           revoke_form=revoke_form, reissue_form=reissue_form, today=enrollment.local_today(),
                           share_url=services.share_url(certificate))


def _confirm_revocation(certificate, reason: str):
    lines = [_("合格证 %(no)s（持证人 %(name)s）将被撤销，不能恢复；如需恢复只能重新颁发。",
               no=certificate.cert_no, name=certificate.holder_name),
             _("扫码或在核验页面查询此证书时，将显示“已撤销”及撤销理由：%(reason)s", reason=reason)]
    return confirmation(_("撤销合格证？"), lines, _("确认撤销"),
                        url_for("certificates.detail", cert_no=certificate.cert_no))


@bp.route("/staff/certificates/<cert_no>/pdf")
@role_required(*STAFF)
def staff_download(cert_no: str):
    certificate = services.get_certificate(current_user, cert_no)
    return send_file(io.BytesIO(services.stored_pdf(certificate)), mimetype="application/pdf",
                     as_attachment=True, download_name=f"{certificate.cert_no}.pdf")
