"""Trainee pages: my exams, starting, the exam page (a shell the JS fills through the JSON
API; the page source never holds answers) and the result with the score report."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.web import role_required
from lms.core.errors import Conflict
from lms.core.time import utcnow
from lms.exams import services
from lms.exams.models import AttemptItem
from lms.exams.present import my_exam_json
from lms.exams import bp
from lms.extensions import db


def describe(value) -> str:
    """An answer or a response in words: 'A、C', '正确', the blanks joined, or '未作答'."""
    if value is None or value == [] or value == "":
        return "未作答"
    if isinstance(value, bool):
        return "正确" if value else "错误"
    if isinstance(value, list):
        return "、".join(" / ".join(v) if isinstance(v, list) else describe(v) for v in value)
    return str(value)


@bp.route("/my/exams")
@role_required("trainee")
def my_exams():
    now = utcnow()
    exams = [(exam, my_exam_json(current_user, exam, now))
             for exam in db.session.scalars(services.trainee_exams(current_user))]
    return render_template("exams/my_exams.html", exams=exams)


@bp.route("/my/exams/<int:exam_id>/start", methods=["POST"])
@role_required("trainee")
def start(exam_id: int):
    try:
        attempt, _created = services.start(current_user, exam_id, ip=request.remote_addr,
                                           user_agent=request.user_agent.string)
    except Conflict as error:
        flash(error.message, "warning")
        return redirect(url_for("exams.my_exams"))
    db.session.commit()
    return redirect(url_for("exams.attempt_page", attempt_id=attempt.id))


@bp.route("/my/attempts/<int:attempt_id>")
@role_required("trainee")
def attempt_page(attempt_id: int):
    attempt = services.get_attempt(current_user, attempt_id)
    db.session.commit()  # an overdue attempt was just closed
    if attempt.status != "in_progress":
        return redirect(url_for("exams.result", attempt_id=attempt.id))
    return render_template("exams/exam.html", attempt=attempt)


@bp.route("/my/attempts/<int:attempt_id>/result")
@role_required("trainee")
def result(attempt_id: int):
    attempt = services.get_attempt(current_user, attempt_id)
    db.session.commit()
    if attempt.status == "in_progress":
        return redirect(url_for("exams.attempt_page", attempt_id=attempt.id))
    now = utcnow()
    released = services.is_released(attempt, now)
    review = services.review_open(attempt, now)
    items: list[AttemptItem] = list(attempt.items) if review else []
    return render_template("exams/result.html", attempt=attempt, released=released, review=review, items=items,
                           report=services.category_report(attempt) if released else [], describe=describe)
