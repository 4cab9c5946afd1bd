"""The grading queue: essays of the institution's exams, scored per rubric criterion;
optionally anonymous; the list of graded answers, each of which can be graded again."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.exams import bp, services
from lms.exams.forms import GradeForm
from lms.web import attempt, role_required


@bp.route("/grading")
@role_required(*services.GRADER_ROLES)
def grading_queue():
    graded = request.args.get("show") == "graded"
    items = services.graded_items(current_user) if graded else services.items_to_grade(current_user)
    return render_template("exams/grading_queue.html", items=items, graded=graded,
                           pending_count=len(services.items_to_grade(current_user)) if graded else len(items))


def _criteria(rubric: list[dict]) -> tuple[list | None, list[str]]:
    """The points typed for each criterion (None for an essay without a rubric, or when only a
    total was posted), and the raw texts to show again. A blank or unreadable entry is passed on as text, which the service refuses."""
    raw = [request.form.get(f"criterion-{n}", "").strip() for n in range(len(rubric))]
    if not rubric or (not any(raw) and request.form.get("score", "").strip()):
        return None, raw  # no rubric, or a total given without the criteria (a client of the old form)
    values = []
    for text in raw:
        try:
            values.append(float(Decimal(text)))
        except (InvalidOperation, ValueError):
            values.append(text)
    return values, raw


@bp.route("/grading/items/<int:item_id>", methods=["GET", "POST"])
@role_required(*services.GRADER_ROLES)
def grade(item_id: int):
    item = services.get_gradable_item(current_user, item_id)
    rubric = services.rubric_of(item)
    form = GradeForm(data={"score": item.score, "comment": item.grader_comment})
    given = [f"{c:g}" for c in item.criterion_scores] if item.criterion_scores else [""] * len(rubric)
    problems: dict = {}
    if form.validate_on_submit():
        criteria, given = _criteria(rubric)
        score = float(form.score.data) if form.score.data is not None else None
        regrade = item.score is not None
        with attempt(form) as done:
            services.grade_item(current_user, item, score, form.comment.data or "", criteria=criteria)
        if done.ok:
            flash(_("评分已保存（%(score)s 分）", score=f"{item.score:g}"), "success")
            if regrade:
                return redirect(url_for("exams.grading_queue", show="graded"))
            following = services.next_to_grade(current_user)
            return redirect(url_for("exams.grade", item_id=following.id) if following
                            else url_for("exams.grading_queue"))
        problems = done.error.fields if done.error else {}
    return render_template("exams/grade.html", item=item, form=form, anonymous=item.attempt.exam.anonymous_grading,
                           rubric=rubric, given=given, problems=problems)
