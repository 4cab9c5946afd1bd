"""Enterprise HR: its people at a glance (eligibility, progress, released scores, certificates
with validity) and inviting an employee by mobile number."""
from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from lms.accounts import invitations
from lms.appointments import bp, people
from lms.appointments.forms import InviteForm
from lms.core.masking import mask_phone
from lms.core.permissions import enterprise_ids
from lms.extensions import db
from lms.orgs.models import Enterprise
from lms.web import attempt, role_required


def _enterprise():
    """HR of one enterprise invites to it (the first, for HR of several)."""
    own = sorted(enterprise_ids(current_user))
    return db.session.get(Enterprise, own[0]) if own else None


@bp.route("/enterprise/people", methods=["GET", "POST"])
@role_required("enterprise")
def enterprise_people():
    form, link, status = InviteForm(), None, 200
    enterprise = _enterprise()
    if form.validate_on_submit():
        with attempt(form) as done:
            _invitation, link = invitations.invite(current_user, enterprise, form.phone.data, form.name.data)
        if done.ok:
            form = InviteForm(formdata=None)
        else:
            status = 422
    sent = invitations.invitations_of(current_user)
    return render_template("appointments/people.html", form=form, link=link, enterprise=enterprise,
                           employees=people.overview(current_user), invitations=sent, mask_phone=mask_phone,
                           state_of=invitations.state_of, expiring_days=people.EXPIRING_DAYS,
                           invitation_days=current_app.config["INVITATION_DAYS"]), status
