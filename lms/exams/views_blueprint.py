"""The exam blueprint edited as a table (lms.exams.blueprint_table); the text form on the exam
page stays for power users."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.banks.enums import Difficulty
from lms.banks.types import type_label
from lms.exams import blueprint_table, bp, services
from lms.web import attempt, role_required

STAFF = ("admin", "bureau", "institution")


@bp.route("/staff/exams/<int:exam_id>/blueprint", methods=["GET", "POST"])
@role_required(*STAFF)
def blueprint(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    banks = blueprint_table.banks_for(exam)
    shown = blueprint_table.shown_banks(exam, banks, request.values.getlist("bank"))
    rows = blueprint_table.rows_for(exam, shown)
    can_manage = services.can_manage(current_user, exam)
    problems, status = {}, 200
    if request.method == "POST":
        services.require_manage(current_user, exam)
        blueprint_table.read_form(rows, request.form)
        if request.form.get("action") == "save":
            with attempt() as done:
                cells = blueprint_table.cells_of(rows)
                services.change_paper(current_user, exam, lambda e: services.set_blueprint(e, cells))
            if done.ok:
                flash(_("组卷规则已保存"), "success")
                return redirect(url_for("exams.staff_exam", exam_id=exam.id))
            problems, status = done.error.fields, done.error.status
    return render_template("exams/blueprint_table.html", exam=exam, rows=rows, levels=list(Difficulty),
                           banks=banks, shown=shown,
                           type_label=type_label, problems=problems, can_manage=can_manage,
                           locked=services.has_attempts(exam)), status
