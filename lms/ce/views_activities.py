"""Activity pages: the list, publishing, one activity (register, cancel; the organizer's
registrations and attendance), the projector's QR code and the check-in it opens."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.ce import access, activities, bp
from lms.ce.enums import RegistrationStatus
from lms.ce.forms import ActivityForm
from lms.core.errors import AppError
from lms.core.inputs import int_or_none
from lms.core.time import utcnow
from lms.enrollment.checkin import qr_svg
from lms.enrollment.cohorts import LOCAL_TZ, local_datetime
from lms.extensions import db
from lms.web import attempt, role_required

PENDING_CHECKIN_SECONDS = 300


@bp.route("/ce/activities")
@login_required
def activity_list():
    open_now = db.session.scalars(activities.open_activities()).all()
    mine = {r.activity_id: r for r in activities.own_registrations(current_user)}
    managed = db.session.scalars(activities.managed_activities(current_user).limit(200)).all() \
        if access.is_organizer(current_user) else []
    return render_template("ce/activities.html", open_now=open_now, mine=mine, managed=managed,
                           organizer=access.is_organizer(current_user), person=access.is_person(current_user))


def _form_data(form: ActivityForm) -> dict:
    def moment(day, time):
        return local_datetime(day, time) if day and time else None

    return {"title": form.title.data, "kind": form.kind.data, "category": form.category.data,
            "starts_at": moment(form.starts_on.data, form.starts_time.data),
            "ends_at": moment(form.ends_on.data or form.starts_on.data, form.ends_time.data),
            "place": form.place.data, "hours": form.hours.data, "capacity": form.capacity.data,
            "description": form.description.data, "organizer": form.organizer.data}


@bp.route("/ce/activities/new", methods=["GET", "POST"])
@bp.route("/ce/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@role_required(*access.STAFF_ROLES)
def activity_form(activity_id: int | None = None):
    activity = activities.get_activity(current_user, activity_id) if activity_id else None
    if activity is not None:
        access.require_organize(current_user, activity)
    form = ActivityForm(obj=activity)
    form.organizer.choices = [(o.key, o.name) for o in access.organizers(current_user)]
    if activity is not None and request.method == "GET":
        starts, ends = activity.starts_at.astimezone(LOCAL_TZ), activity.ends_at.astimezone(LOCAL_TZ)
        form.starts_on.data, form.starts_time.data = starts.date(), starts.time()
        form.ends_on.data, form.ends_time.data = ends.date(), ends.time()
        form.hours.data, form.capacity.data = f"{activity.hours:g}", str(activity.capacity)
    if form.validate_on_submit():
        with attempt(form, renames={"starts_at": "starts_on", "ends_at": "ends_on"}) as done:
            saved = activities.save_activity(current_user, _form_data(form), activity)
        if done.ok:
            flash(_("活动已保存"), "success")
            return redirect(url_for("ce.activity", activity_id=saved.id))
    return render_template("ce/activity_form.html", form=form, activity=activity)


@bp.route("/ce/activities/<int:activity_id>")
@login_required
def activity(activity_id: int):
    item = activities.get_activity(current_user, activity_id)
    organizes = access.can_organize(current_user, item)
    now = utcnow()
    first, last = activities.attendance_window(item)
    return render_template(
        "ce/activity.html", activity=item, registration=activities.registration_of(current_user.id, item.id),
        organizes=organizes, person=access.is_person(current_user),
        registrations=activities.registrations(item) if organizes else [],
        registration_open=activities.is_open_for_registration(item, now),
        can_cancel=now < item.starts_at, attendance_open=first <= now <= last)


@bp.route("/ce/activities/<int:activity_id>/register", methods=["POST"])
@role_required("trainee")
def register(activity_id: int):
    item = activities.get_activity(current_user, activity_id)
    with attempt() as done:
        registration, _new = activities.register(current_user, item)
    if done.ok:
        flash(_("报名成功") if registration.status == RegistrationStatus.REGISTERED else _("名额已满，您已进入候补名单"), "success")
    return redirect(url_for("ce.activity", activity_id=item.id))


@bp.route("/ce/activities/<int:activity_id>/cancel", methods=["POST"])
@role_required("trainee")
def cancel(activity_id: int):
    item = activities.get_activity(current_user, activity_id)
    registration = activities.registration_of(current_user.id, item.id)
    with attempt() as done:
        if registration is None:
            raise AppError(_("您没有报名此活动"))
        activities.cancel(current_user, registration)
    if done.ok:
        flash(_("已取消报名"), "success")
    return redirect(url_for("ce.activity", activity_id=item.id))


@bp.route("/ce/activities/<int:activity_id>/attendance", methods=["POST"])
@role_required(*access.STAFF_ROLES)
def attendance(activity_id: int):
    item = activities.get_activity(current_user, activity_id)
    present = {int_or_none(v) for v in request.form.getlist("present")}
    listed = [int_or_none(v) for v in request.form.getlist("listed")]
    with attempt() as done:
        counts = activities.record_attendance(current_user, item, {u: u in present for u in listed if u is not None})
    if done.ok:
        flash(_("出勤已登记：出席 %(present)s 人，本次新记入学时 %(credited)s 人", **counts), "success")
    return redirect(url_for("ce.activity", activity_id=item.id))


# ---- QR check-in ---------------------------------------------------------------------------------

def _projected(activity_id: int):
    """The organizer's activity, its current code and the check-in address the code opens."""
    item = activities.get_activity(current_user, activity_id)
    access.require_organize(current_user, item)
    code = activities.qr_code(item)
    return item, code, url_for("ce.checkin_scan", activity_id=item.id, token=code["token"], _external=True)


@bp.route("/ce/activities/<int:activity_id>/qr")
@role_required(*access.STAFF_ROLES)
def activity_qr(activity_id: int):
    item, code, url = _projected(activity_id)
    return render_template("ce/activity_qr.html", activity=item, code=code, url=url, svg=qr_svg(url))


@bp.route("/ce/activities/<int:activity_id>/qr.json")
@role_required(*access.STAFF_ROLES)
def activity_qr_json(activity_id: int):
    item, code, url = _projected(activity_id)
    response = jsonify(open=code["open"], expires_in=code["expires_in"], url=url, svg=qr_svg(url),
                       checked_in=activities.checked_in_count(item))
    response.headers["Cache-Control"] = "no-store"
    return response


def _record_checkin(item, token: str | None):
    with attempt() as done:
        credited = activities.check_in(current_user, item, token, verified=token is None)
    status = 200 if done.ok else done.error.status
    return render_template("ce/checkin.html", activity=item, done=done, credited=done.ok and credited), status


@bp.route("/ce/checkin/<int:activity_id>/<token>")
def checkin_scan(activity_id: int, token: str):
    with attempt() as done:  # the code is checked first, signed in or not
        item = activities.scanned(activity_id, token)
    if not done.ok:
        return render_template("ce/checkin.html", activity=None, done=done, credited=False), done.error.status
    if current_user.is_authenticated:
        return _record_checkin(item, token)
    session["ce_pending_checkin"] = {"activity_id": item.id, "at": utcnow().isoformat()}
    flash(_("请登录以完成签到"), "info")
    return redirect(url_for("auth.login", next=url_for("ce.checkin_pending")))


@bp.route("/ce/checkin/pending")
@login_required
def checkin_pending():
    pending = session.pop("ce_pending_checkin", None)
    if not pending or utcnow() - datetime.fromisoformat(pending["at"]) > timedelta(seconds=PENDING_CHECKIN_SECONDS):
        flash(_("签到已超时，请重新扫描投影屏幕上的二维码"), "warning")
        return redirect(url_for("ce.index"))
    return _record_checkin(activities.get_activity(current_user, pending["activity_id"]), None)
