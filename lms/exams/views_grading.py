"""The grading queue: essays of the institution's exams, with the rubric; optionally anonymous."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.exams import bp, services
from lms.exams.forms import GradeForm
from lms.web import attempt, role_required


@bp.route("/grading")
@role_required(*services.GRADER_ROLES)
def grading_queue():
    return render_template("exams/grading_queue.html", items=services.items_to_grade(current_user))


@bp.route("/grading/items/<int:item_id>", methods=["GET", "POST"])
@role_required(*services.GRADER_ROLES)
def grade(item_id: int):
    item = services.get_gradable_item(current_user, item_id)
    form = GradeForm(data={"score": item.score, "comment": item.grader_comment})
    if form.validate_on_submit():
        score = float(form.score.data) if form.score.data is not None else None
        with attempt(form) as done:
            services.grade_item(current_user, item, score, form.comment.data or "")
        if done.ok:
            flash(_("评分已保存"), "success")
            following = services.next_to_grade(current_user)
            return redirect(url_for("exams.grade", item_id=following.id) if following
                            else url_for("exams.grading_queue"))
    return render_template("exams/grade.html", item=item, form=form, anonymous=item.attempt.exam.anonymous_grading)
