"""Declared hours: the person's form, the reviewers' queue, one claim with its proof and decision."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.ce import access, bp, claims
from lms.ce.enums import ClaimStatus
from lms.ce.forms import ClaimForm, DecisionForm
from lms.extensions import db
from lms.web import attempt, role_required


@bp.route("/ce/claims/new", methods=["GET", "POST"])
@role_required("trainee")
def claim_form():
    form = ClaimForm()
    if form.validate_on_submit():
        name, proof = claims.read_upload(form.proof.data or None)
        data = {"kind": form.kind.data, "title": form.title.data, "category": form.category.data,
                "hours": form.hours.data, "happened_on": form.happened_on.data, "ended_on": form.ended_on.data}
        with attempt(form) as done:
            claims.declare(current_user, data, name, proof)
        if done.ok:
            flash(_("已提交学时申报，请等待审核"), "success")
            return redirect(url_for("ce.index") + "#claims")
    return render_template("ce/claim_form.html", form=form)


@bp.route("/ce/claims")
@role_required(*access.STAFF_ROLES)
def claim_queue():
    status = ClaimStatus.get(request.args.get("status"), ClaimStatus.PENDING)
    rows = db.session.scalars(claims.reviewable_claims(current_user, status).limit(500)).all()
    return render_template("ce/claims.html", rows=rows, status=status, statuses=list(ClaimStatus))


@bp.route("/ce/claims/<int:claim_id>", methods=["GET", "POST"])
@login_required
def claim(claim_id: int):
    item = claims.get_claim(current_user, claim_id)
    reviews = access.can_review(current_user, item)
    form = DecisionForm()
    if reviews and form.validate_on_submit():
        with attempt(form) as done:
            claims.decide(current_user, item, form.decision.data, form.hours.data, form.note.data)
        if done.ok:
            flash(_("审核结果已保存"), "success")
            return redirect(url_for("ce.claim_queue"))
    if request.method == "GET":
        form.hours.data = f"{item.hours:g}"
    return render_template("ce/claim.html", claim=item, form=form, reviews=reviews)


@bp.route("/ce/claims/<int:claim_id>/proof")
@login_required
def claim_proof(claim_id: int):
    item = claims.get_claim(current_user, claim_id)
    return send_file(claims.proof_file(item), mimetype=item.proof_type, as_attachment=True,
                     download_name=item.proof_name)
