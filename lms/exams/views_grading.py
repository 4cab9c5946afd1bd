"""The grading queue: essays of the institution's exams, with the rubric; optionally anonymous."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.web import role_required
from lms.core.errors import Conflict, ValidationFailed
from lms.core.forms import apply_errors
from lms.exams import services
from lms.exams.forms import GradeForm
from lms.exams.models import Exam
from lms.exams import bp
from lms.extensions import db

GRADERS = ("admin", "institution", "grader")


def _exam_ids():
    return services.grading_exams(current_user).with_only_columns(Exam.id)


@bp.route("/grading")
@role_required(*GRADERS)
def grading_queue():
    items = db.session.scalars(services.grading_queue(current_user, _exam_ids())).all()
    return render_template("exams/grading_queue.html", items=items)


@bp.route("/grading/items/<int:item_id>", methods=["GET", "POST"])
@role_required(*GRADERS)
def grade(item_id: int):
    item = services.get_gradable_item(current_user, _exam_ids(), item_id)
    form = GradeForm(data={"score": item.score, "comment": item.grader_comment})
    if form.validate_on_submit():
        score = float(form.score.data) if form.score.data is not None else None
        try:
            services.grade_item(current_user, item, score, form.comment.data or "")
        except (ValidationFailed, Conflict) as error:
            if isinstance(error, ValidationFailed):
                apply_errors(form, error)
            else:
                flash(error.message, "warning")
        else:
            db.session.commit()
            flash(_("评分已保存"), "success")
            nxt = db.session.scalars(services.grading_queue(current_user, _exam_ids()).limit(1)).first()
            return redirect(url_for("exams.grade", item_id=nxt.id) if nxt else url_for("exams.grading_queue"))
    anonymous = item.attempt.exam.anonymous_grading
    return render_template("exams/grade.html", item=item, form=form, anonymous=anonymous)
