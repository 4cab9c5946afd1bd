"""Trainee pages: profile and photo, open cohorts and applying, own applications with documents
and invitations, progress, QR check-in."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core.time import utcnow
from lms.accounts.invitations import invited_enterprise
from lms.enrollment import bp, checkin, services, timetable, uploads
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.forms import PhotoForm, ProfileForm, UploadForm
from lms.extensions import db
from lms.programs.eligibility import condition_text, first_unmet, marked_first, next_step
from lms.web import attempt, role_required, safe_next

PENDING_CHECKIN_SECONDS = 300
DECIDING = (ApplicationStatus.ELIGIBLE, ApplicationStatus.REVIEW, ApplicationStatus.INELIGIBLE)


def explained(verdict) -> dict | None:
    """A stored verdict as the tree the programme page draws, with what failed first and what to do
    next; None for a verdict stored before trees were kept (its reasons are shown as a list)."""
    tree = (verdict or {}).get("tree")
    if not tree:
        return None
    first = first_unmet(tree)
    return {"tree": marked_first(tree), "first": first, "describe": condition_text,
            "next": next_step(first) if first else _("您符合任职条件，请等待承办机构审核录取。")
            if verdict.get("result") == "eligible" else None}


# ---- profile ---------------------------------------------------------------------------

def _profile_page(form: ProfileForm, photo_form: PhotoForm, status: int = 200):
    return render_template("enrollment/profile.html", form=form, photo_form=photo_form,
                           profile=services.profile_of(current_user)), status


def _new_profile_data(user) -> dict:
    """A first profile starts from the account, and from the enterprise that invited the person."""
    data = {"name": user.name, "phone": user.phone or ""}
    if (enterprise := invited_enterprise(user)) is not None:
        data.update(enterprise_uscc=enterprise.uscc, enterprise_name=enterprise.name)
    return data


@bp.route("/my/profile", methods=["GET", "POST"])
@role_required("trainee")
def profile():
    current = services.profile_of(current_user)
    form = ProfileForm(data=services.profile_json(current) or _new_profile_data(current_user))
    if form.validate_on_submit():
        with attempt(form) as done:
            services.save_profile(current_user, {k: v for k, v in form.data.items() if k != "csrf_token"})
        if done.ok:
            flash(_("个人资料已保存"), "success")
            return redirect(safe_next(request.args.get("next"), "enrollment.profile"))
    return _profile_page(form, PhotoForm())


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
        with attempt(form) as done:
            uploads.save_photo(current_user, current, file.read() if file else b"")
        if not done.ok:
            return _profile_page(ProfileForm(data=services.profile_json(current)), form, done.error.status)
        flash(_("照片已更新"), "success")
    return redirect(url_for("enrollment.profile"))


@bp.route("/profiles/<int:user_id>/photo")
@login_required
def photo(user_id: int):
    """Own photo, or a trainee's photo for staff who review one of their applications."""
    response = send_file(uploads.photo_for(current_user, user_id), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- cohorts and applying ----------------------------------------------------------------

@bp.route("/cohorts")
def open_cohorts():
    cohorts = db.session.scalars(services.open_cohorts()).all()
    mine = {a.cohort_id: a for a in services.own_applications(current_user)} \
        if current_user.is_authenticated and current_user.has_role("trainee") else {}
    return render_template("enrollment/open_cohorts.html", cohorts=cohorts, mine=mine,
                           can_apply=current_user.is_authenticated and current_user.has_role("trainee"),
                           reapplicable=(ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED))


@bp.route("/cohorts/<code>/apply", methods=["POST"])
@role_required("trainee")
def apply(code: str):
    cohort = services.get_open_cohort(code)
    if services.profile_of(current_user) is None:
        flash(_("请先完善个人资料再报名"), "warning")
        return redirect(url_for("enrollment.profile", next=url_for("enrollment.open_cohorts")))
    with attempt() as done:
        application = services.apply(current_user, cohort)
    if not done.ok:
        return redirect(url_for("enrollment.open_cohorts"))
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


def _application_page(application, upload_form: UploadForm, status: int = 200):
    approved = application.status == ApplicationStatus.APPROVED
    return render_template("enrollment/my_application.html", application=application, upload_form=upload_form,
                           progress=services.progress(application) if approved else None,
                           started=approved and timetable.started(application.cohort, utcnow()),
                           explained=explained(application.eligibility),
                           deciding=application.status in DECIDING,
                           promoted=approved and application.waitlisted_at is not None,
                           invited=application.status == ApplicationStatus.INVITED,
                           answerable=application.status in services.ANSWERABLE,
                           withdrawable=application.status in services.WITHDRAWABLE,
                           can_upload=application.status not in uploads.CLOSED,
                           max_documents=uploads.DOCUMENTS_PER_APPLICATION), status


@bp.route("/my/applications/<int:application_id>")
@role_required("trainee")
def my_application(application_id: int):
    return _application_page(_own(application_id), UploadForm())


@bp.route("/my/applications/<int:application_id>/<action>", methods=["POST"])
@role_required("trainee")
def my_application_action(application_id: int, action: str):
    application = _own(application_id)
    actions = {
        "withdraw": (lambda: services.withdraw(current_user, application), _("报名已撤回")),
        "confirm": (lambda: services.answer(current_user, application, accept=True), _("已确认报名")),
        "decline": (lambda: services.answer(current_user, application, accept=False), _("已谢绝")),
    }
    if action not in actions:
        abort(404)
    do, message = actions[action]
    with attempt() as done:
        do()
    if done.ok:
        flash(message, "success")
    return redirect(url_for("enrollment.my_application", application_id=application_id))


@bp.route("/my/applications/<int:application_id>/documents", methods=["POST"])
@role_required("trainee")
def upload_document(application_id: int):
    application = _own(application_id)
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        with attempt(form) as done:
            uploads.add_document(current_user, application, file.filename if file else "", file.read() if file else b"")
        if not done.ok:
            return _application_page(application, form, done.error.status)
        flash(_("材料已上传"), "success")
    return redirect(url_for("enrollment.my_application", application_id=application_id))


@bp.route("/applications/<int:application_id>/documents/<int:document_id>")
@login_required
def document(application_id: int, document_id: int):
    """Only the trainee and the reviewing staff; anyone else is told it does not exist."""
    doc = uploads.document_for(current_user, application_id, document_id)
    response = send_file(uploads.stored_path(doc.path), mimetype=doc.content_type, download_name=doc.filename,
                         as_attachment=doc.content_type == "application/pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- the timetable -----------------------------------------------------------------------

@bp.route("/my/timetable")
@role_required("trainee")
def my_timetable():
    now = utcnow()
    return render_template("enrollment/timetable.html", tables=timetable.my_timetables(current_user, now), now=now)


@bp.route("/my/timetable/<int:application_id>.ics")
@role_required("trainee")
def timetable_ics(application_id: int):
    application = timetable.admitted_application(current_user, application_id)
    body = timetable.ics(application, utcnow(), request.host.split(":")[0] or "lms", {
        "calendar": application.cohort.title, "hours": _("%(hours)s 学时"), "teacher": _("授课教师：")})
    response = send_file(BytesIO(body), mimetype="text/calendar", as_attachment=True,
                         download_name=f"timetable-{application.cohort.code}.ics")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- QR check-in -------------------------------------------------------------------------
# Nothing about the session is shown until its code checks out (checkin.scanned).

def _checkin_page(session_row=None, attendance=None, created=False, status: int = 200):
    return render_template("enrollment/checkin.html", session_row=session_row, attendance=attendance,
                           created=created), status


@bp.route("/checkin/<int:session_id>/<token>")
def checkin_scan(session_id: int, token: str):
    with attempt() as done:
        session_row = checkin.scanned(session_id, token)
        if current_user.is_authenticated:
            attendance, created = checkin.check_in(current_user, session_row, None, verified=True)
    if not done.ok:
        return _checkin_page(status=done.error.status)
    if current_user.is_authenticated:
        return _checkin_page(session_row, attendance, created)
    session["pending_checkin"] = {"session_id": session_id, "at": utcnow().isoformat()}  # finish after the login
    flash(_("请登录以完成签到"), "info")
    return redirect(url_for("auth.login", next=url_for("enrollment.checkin_pending")))


@bp.route("/checkin/pending")
@login_required
def checkin_pending():
    pending = session.pop("pending_checkin", None)
    if not pending or (utcnow() - datetime.fromisoformat(pending["at"])).total_seconds() > PENDING_CHECKIN_SECONDS:
        flash(_("签到已超时，请重新扫描投影屏幕上的二维码"), "warning")
        return redirect(url_for("main.index"))
    session_row = checkin.session_by_id(pending["session_id"])
    with attempt() as done:
        attendance, created = checkin.check_in(current_user, session_row, None, verified=True)
    if not done.ok:
        return _checkin_page(session_row, status=done.error.status)
    return _checkin_page(session_row, attendance, created)
