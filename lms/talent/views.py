"""The person's filings, the filing page every party shares (the QR code on the printed form
opens it), its lifecycle buttons and its PDF."""
from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.appointments import services as appointments
from lms.core.errors import ValidationFailed
from lms.core.inputs import int_or_none
from lms.talent import access, bp, form as filing_form, services
from lms.talent.forms import FilingForm, ReturnForm
from lms.talent.models import AchievementKind, FilingStatus
from lms.web import attempt, role_required

ROW_FIELDS = {"from": "start", "to": "end"}


@bp.route("/my/filings")
@login_required
def my_filings():
    filings = services.own_filings(current_user)
    filed = {f.appointment_id for f in filings}
    waiting = [a for a in appointments.own_appointments(current_user) if a.active and a.id not in filed]
    return render_template("talent/mine.html", filings=filings, waiting=waiting)


@bp.route("/my/filings/new", methods=["POST"])
@login_required
def start_filing():
    with attempt() as done:
        filing = services.start_filing(current_user, int_or_none(request.form.get("appointment_id")))
    if done.ok:
        flash(_("备案表已按个人资料、聘任和合格证预先填好，请补充其余各项"), "success")
        return redirect(url_for("talent.edit_filing", filing_id=filing.id))
    return redirect(url_for("talent.my_filings"))


@bp.route("/talent/filings/<int:filing_id>")
@login_required
def filing(filing_id: int):
    filing = services.view_filing(current_user, filing_id)
    status = filing.status
    return render_template(
        "talent/filing.html", filing=filing, values=filing.form, labels=filing_form.LABELS, shown=filing_form.shown,
        return_form=ReturnForm(), kinds=AchievementKind,
        can_edit=access.can_edit(current_user, filing) and filing.editable,
        can_endorse=access.can_endorse(current_user, filing) and status == FilingStatus.SUBMITTED,
        can_accept=access.can_accept(current_user, filing) and status == FilingStatus.ENDORSED,
        can_return=access.can_return(current_user, filing))


@bp.route("/talent/filings/<int:filing_id>/edit", methods=["GET", "POST"])
@login_required
def edit_filing(filing_id: int):
    filing = services.get_filing(current_user, filing_id)
    access.require_edit(current_user, filing)
    if not filing.editable:
        flash(_("备案表已提交，不能再修改"), "info")
        return redirect(url_for("talent.filing", filing_id=filing.id))
    form = FilingForm() if request.method == "POST" else FilingForm.of(filing.form)
    if form.validate_on_submit():
        values, kept = form.values()
        submitting = request.form.get("then") == "submit"
        with attempt(form) as done:
            services.save_filing(current_user, filing, values)
            if submitting:
                services.submit_filing(current_user, filing)
        if done.ok:
            flash(_("备案表已提交，等待企业确认") if submitting else _("已保存"), "success")
            return redirect(url_for("talent.filing", filing_id=filing.id) if submitting else request.path)
        if isinstance(done.error, ValidationFailed):
            _place_row_errors(form, done.error, kept)
    return render_template("talent/edit.html", filing=filing, form=form, values=filing.form,
                           labels=filing_form.LABELS, shown=filing_form.shown)


def _place_row_errors(form: FilingForm, error: ValidationFailed, kept: dict[str, list[int]]) -> None:
    """`work_history.2.to` belongs on the row the second kept item came from, not at the top."""
    for key, problem in error.fields.items():
        parts = key.split(".")
        if len(parts) != 3 or parts[0] not in kept or not parts[1].isdigit():
            continue
        row = getattr(form, parts[0]).entries[kept[parts[0]][int(parts[1]) - 1]].form
        field = row[ROW_FIELDS.get(parts[2], parts[2])]
        field.errors = list(field.errors) + [problem]
        if problem in form.form_errors:
            form.form_errors.remove(problem)


@bp.route("/talent/filings/<int:filing_id>/<action>", methods=["POST"])
@login_required
def filing_action(filing_id: int, action: str):
    steps = {"submit": (services.submit_filing, _("备案表已提交，等待企业确认")),
             "endorse": (services.endorse_filing, _("已确认，备案表已报送市场监管部门")),
             "accept": (services.accept_filing, _("已受理，纳入人才库")),
             "return": (None, _("备案表已退回"))}
    if action not in steps:
        abort(404)
    filing = services.get_filing(current_user, filing_id)
    step, done_message = steps[action]
    form = ReturnForm()
    with attempt() as done:
        if step is None:
            services.return_filing(current_user, filing, form.reason.data or "")
        else:
            step(current_user, filing)
    if done.ok:
        flash(done_message, "success")
    return redirect(url_for("talent.filing", filing_id=filing.id))


@bp.route("/talent/filings/<int:filing_id>/pdf")
@login_required
def filing_pdf(filing_id: int):
    filing = services.get_filing(current_user, filing_id)
    return send_file(BytesIO(services.filing_pdf(filing)), mimetype="application/pdf",
                     download_name=f"filing-{filing.filing_no or filing.id}.pdf")


@bp.route("/enterprise/filings")
@role_required("enterprise")
def enterprise_filings():
    return render_template("talent/enterprise.html", filings=services.enterprise_filings(current_user))
