"""Trainee pages: my exams, starting, the exam page (a shell the JS fills through the JSON
API; the page source never holds answers) and the result with the score report."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from lms.core.time import utcnow
from lms.exams import bp, services
from lms.exams.models import AttemptStatus
from lms.exams.present import my_exam_list, review
from lms.exams.texts import exam_page_texts
from lms.web import attempt, role_required


@bp.route("/my/exams")
@role_required("trainee")
def my_exams():
    return render_template("exams/my_exams.html", exams=my_exam_list(current_user, utcnow()))


@bp.route("/my/exams/<int:exam_id>/start", methods=["POST"])
@role_required("trainee")
def start(exam_id: int):
    with attempt() as done:
        sitting, _created = services.start(current_user, exam_id, ip=request.remote_addr,
                                           user_agent=request.user_agent.string)
    if not done.ok:
        return redirect(url_for("exams.my_exams"))
    return redirect(url_for("exams.attempt_page", attempt_id=sitting.id))


@bp.route("/my/attempts/<int:attempt_id>")
@role_required("trainee")
def attempt_page(attempt_id: int):
    sitting = services.get_attempt(current_user, attempt_id)  # an overdue attempt is closed here
    if sitting.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("exams.result", attempt_id=sitting.id))
    return render_template("exams/exam.html", attempt=sitting, texts=exam_page_texts())


@bp.route("/my/attempts/<int:attempt_id>/result")
@role_required("trainee")
def result(attempt_id: int):
    sitting = services.get_attempt(current_user, attempt_id)
    if sitting.status == AttemptStatus.IN_PROGRESS:
        return redirect(url_for("exams.attempt_page", attempt_id=sitting.id))
    now = utcnow()
    released = services.is_released(sitting, now)
    return render_template("exams/result.html", attempt=sitting, released=released,
                           items=review(sitting) if services.review_open(sitting, now) else [],
                           report=services.category_report(sitting) if released else [])
