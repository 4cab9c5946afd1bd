"""Appointment pages: enterprise HR records and ends appointments of its employees; the person
sees their own; anyone in scope sees one appointment and its letter."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.appointments import access, bp, services
from lms.appointments.forms import AppointmentForm, EndForm
from lms.core.forms import options
from lms.core.permissions import enterprise_ids
from lms.web import attempt, role_required


def _appointment_form(employees) -> AppointmentForm:
    form = AppointmentForm()
    people = [(p.user_id, _("%(name)s（%(position)s）", name=p.name, position=p.position)) for p in employees]
    form.person_id.choices = options([(0, _("请选择"))] + people)
    enterprises = {p.enterprise for p in employees if p.enterprise}
    posts = {post.code: post for e in enterprises for post in services.posts_for(e)}
    form.post_code.choices = options([("", _("请选择"))] + [(code, post.title) for code, post in posts.items()])
    return form


@bp.route("/enterprise/appointments", methods=["GET", "POST"])
@role_required("enterprise")
def enterprise_appointments():
    employees = services.employees(current_user)
    form = _appointment_form(employees)
    if form.validate_on_submit():
        upload = request.files.get(form.letter.name)
        letter = (upload.filename, upload.read()) if upload and upload.filename else None
        data = {"person_id": form.person_id.data or None, "post_code": form.post_code.data,
                "starts_on": form.starts_on.data, "full_time": form.full_time.data == "1",
                "document_no": form.document_no.data}
        with attempt(form) as done:
            recorded = services.record_appointment(current_user, data, letter)
        if done.ok:
            flash(_("已记录聘任"), "success")
            for warning in recorded.warnings:
                flash(str(warning), "warning")
            return redirect(url_for("appointments.appointment", appointment_id=recorded.appointment.id))
    appointments = services.enterprise_appointments(current_user, enterprise_ids(current_user))
    certificates = services.valid_certificates([p.user_id for p in employees])
    return render_template("appointments/enterprise.html", form=form, employees=employees, certificates=certificates,
                           appointments=appointments, qualified=services.qualified(appointments))


@bp.route("/my/appointments")
@login_required
def my_appointments():
    appointments = services.own_appointments(current_user)
    return render_template("appointments/mine.html", appointments=appointments,
                           qualified=services.qualified(appointments))


@bp.route("/appointments/<int:appointment_id>", methods=["GET", "POST"])
@login_required
def appointment(appointment_id: int):
    appointment = services.get_appointment(current_user, appointment_id)
    can_end = appointment.active and access.can_appoint(current_user, appointment.enterprise)
    form = EndForm()
    if can_end and form.validate_on_submit():
        with attempt(form) as done:
            services.end_appointment(current_user, appointment, {"ended_on": form.ended_on.data,
                                                                 "reason": form.reason.data, "note": form.note.data})
        if done.ok:
            flash(_("聘任已结束"), "success")
            return redirect(url_for("appointments.appointment", appointment_id=appointment.id))
    return render_template("appointments/appointment.html", appointment=appointment, form=form, can_end=can_end,
                           qualified=services.qualified([appointment])[appointment.id],
                           warnings=services.appointment_warnings(appointment) if appointment.active else [])


@bp.route("/appointments/<int:appointment_id>/letter")
@login_required
def letter(appointment_id: int):
    path, name, content_type = services.letter_file(services.get_appointment(current_user, appointment_id))
    return send_file(path, mimetype=content_type, download_name=name, as_attachment=True)
