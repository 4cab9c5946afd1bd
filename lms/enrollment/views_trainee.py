"""Trainee pages: profile and photo, open cohorts and applying, own applications with documents,
progress, QR check-in."""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.web import role_required
from lms.core.errors import AppError, ValidationFailed
from lms.core.forms import apply_errors
from lms.core.permissions import one_or_404
from lms.core.time import utcnow
from lms.enrollment import checkin, services, uploads
from lms.enrollment.forms import PhotoForm, ProfileForm, UploadForm
from lms.enrollment.models import Application, ApplicationDocument, CohortSession, TraineeProfile
from lms.enrollment import bp
from lms.extensions import db

PENDING_CHECKIN_SECONDS = 300


# ---- profile ---------------------------------------------------------------------------

@bp.route("/my/profile", methods=["GET", "POST"])
@role_required("trainee")
def profile():
    current = services.profile_of(current_user)
    form = ProfileForm(data=services.profile_json(current) or {"name": current_user.name,
                                                                "phone": current_user.phone or ""})
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            services.save_profile(current_user, data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("个人资料已保存"), "success")
            return redirect(request.args.get("next") if (request.args.get("next") or "").startswith("/")
                            else url_for("enrollment.profile"))
    return render_template("enrollment/profile.html", form=form, profile=current, photo_form=PhotoForm())


@bp.route("/my/profile/photo", methods=["POST"])
@role_required("trainee")
def upload_photo():
    current = services.profile_of(current_user)
    if current is None:
        flash(_("请先保存个人资料，再上传照片"), "warning")
        return redirect(url_for("enrollment.profile"))
    form = PhotoForm()
    if form.validate_on_submit():
        file = form.photo.data
        try:
            uploads.save_photo(current_user, current, file.read() if file else b"")
        except ValidationFailed as error:
            flash(error.fields.get("photo", error.message), "error")
        else:
            db.session.commit()
            flash(_("照片已更新"), "success")
    return redirect(url_for("enrollment.profile"))


@bp.route("/profiles/<int:user_id>/photo")
@login_required
def photo(user_id: int):
    """Own photo, or a trainee's photo for staff who can see one of their applications."""
    target = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == user_id))
    if target is None or not target.photo_path:
        abort(404)
    if user_id != current_user.id:
        seen = db.session.scalar(services.visible_applications(current_user)
                                 .where(Application.user_id == user_id).limit(1))
        if seen is None or not services.is_reviewer(current_user, seen):
            abort(404)
    response = send_file(uploads.stored_path(target.photo_path), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- cohorts and applying ----------------------------------------------------------------

@bp.route("/cohorts")
def open_cohorts():
    cohorts = db.session.scalars(services.open_cohorts()).all()
    mine = {a.cohort_id: a for a in services.own_applications(current_user)} \
        if current_user.is_authenticated and current_user.has_role("trainee") else {}
    return render_template("enrollment/open_cohorts.html", cohorts=cohorts, mine=mine)


@bp.route("/cohorts/<code>/apply", methods=["POST"])
@role_required("trainee")
def apply(code: str):
    cohort = services.get_open_cohort(code)
    if services.profile_of(current_user) is None:
        flash(_("请先完善个人资料再报名"), "warning")
        return redirect(url_for("enrollment.profile", next=url_for("enrollment.open_cohorts")))
    application = services.apply(current_user, cohort)
    db.session.commit()
    flash(_("报名已提交"), "success")
    return redirect(url_for("enrollment.my_application", application_id=application.id))


@bp.route("/my/applications")
@role_required("trainee")
def my_applications():
    return render_template("enrollment/my_applications.html", applications=services.own_applications(current_user))


def _own(application_id: int):
    application = services.get_application(current_user, application_id)
    if application.user_id != current_user.id:
        abort(404)
    return application


@bp.route("/my/applications/<int:application_id>")
@role_required("trainee")
def my_application(application_id: int):
    application = _own(application_id)
    progress = services.progress(application) if application.status == "approved" else None
    return render_template("enrollment/my_application.html", application=application, progress=progress,
                           upload_form=UploadForm())


@bp.route("/my/applications/<int:application_id>/<action>", methods=["POST"])
@role_required("trainee")
def my_application_action(application_id: int, action: str):
    application = _own(application_id)
    actions = {
        "withdraw": (lambda: services.withdraw(current_user, application), _("报名已撤回")),
        "confirm": (lambda: services.confirm_nomination(current_user, application), _("已确认报名")),
        "decline": (lambda: services.confirm_nomination(current_user, application, accept=False), _("已谢绝推荐")),
    }
    if action not in actions:
        abort(404)
    do, message = actions[action]
    try:
        do()
    except AppError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("enrollment.my_application", application_id=application_id))


@bp.route("/my/applications/<int:application_id>/documents", methods=["POST"])
@role_required("trainee")
def upload_document(application_id: int):
    application = _own(application_id)
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        try:
            uploads.add_document(current_user, application, file.filename if file else "", file.read() if file else b"")
        except ValidationFailed as error:
            flash(error.fields.get("file", error.message), "error")
        else:
            db.session.commit()
            flash(_("材料已上传"), "success")
    return redirect(url_for("enrollment.my_application", application_id=application_id))


@bp.route("/applications/<int:application_id>/documents/<int:document_id>")
@login_required
def document(application_id: int, document_id: int):
    """Only the trainee and the reviewing staff; anyone else is told it does not exist."""
    application = services.get_application(current_user, application_id)
    if application.user_id != current_user.id and not services.is_reviewer(current_user, application):
        abort(404)
    doc = one_or_404(select(ApplicationDocument).where(ApplicationDocument.id == document_id,
                                                       ApplicationDocument.application_id == application.id))
    response = send_file(uploads.stored_path(doc.path), mimetype=doc.content_type, download_name=doc.filename,
                         as_attachment=doc.content_type == "application/pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- QR check-in -------------------------------------------------------------------------

def _record_checkin(session_row: CohortSession, token: str | None):
    try:
        if token is None:  # verified before the login, within PENDING_CHECKIN_SECONDS
            attendance, created = checkin.check_in(current_user, session_row, None, verified=True)
        else:
            attendance, created = checkin.check_in(current_user, session_row, token)
    except AppError as error:
        db.session.rollback()
        return render_template("enrollment/checkin.html", session_row=session_row, error=error.message), error.status
    db.session.commit()
    return render_template("enrollment/checkin.html", session_row=session_row, attendance=attendance, created=created)


@bp.route("/checkin/<int:session_id>/<token>")
def checkin_scan(session_id: int, token: str):
    session_row = one_or_404(select(CohortSession).where(CohortSession.id == session_id))
    if current_user.is_authenticated:
        return _record_checkin(session_row, token)
    try:  # not logged in yet: verify now, finish after the login
        checkin.check_token(session_row, token)
    except AppError as error:
        return render_template("enrollment/checkin.html", session_row=session_row, error=error.message), error.status
    session["pending_checkin"] = {"session_id": session_id, "at": utcnow().isoformat()}
    flash(_("请登录以完成签到"), "info")
    return redirect(url_for("auth.login", next=url_for("enrollment.checkin_pending")))


@bp.route("/checkin/pending")
@login_required
def checkin_pending():
    pending = session.pop("pending_checkin", None)
    if not pending or (utcnow() - datetime.fromisoformat(pending["at"])).total_seconds() > PENDING_CHECKIN_SECONDS:
        flash(_("签到已超时，请重新扫描投影屏幕上的二维码"), "warning")
        return redirect(url_for("main.index"))
    session_row = one_or_404(select(CohortSession).where(CohortSession.id == pending["session_id"]))
    return _record_checkin(session_row, None)
