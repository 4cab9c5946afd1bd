"""Trainee pages: my exams, starting, the exam page (a shell the JS fills through the JSON
API; the page source never holds answers) and the result with the score report."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.time import utcnow
from lms.enrollment.timetable import started
from lms.exams import bp, services
from lms.exams.mistakes import mistakes, practise
from lms.exams.models import Attempt, AttemptStatus
from lms.extensions import db
from lms.exams.notice import exam_notice
from lms.exams.present import my_exam_json, my_exam_list, review, was_auto_submitted
from lms.exams.texts import exam_page_texts
from lms.web import attempt, role_required


@bp.route("/my/exams")
@role_required("trainee")
def my_exams():
    now = utcnow()
    exams = my_exam_list(current_user, now)
    # before a cohort's first session its attendance is not judged: no "attendance not met" yet
    waiting = {exam.cohort_id for exam, _info in exams if exam.requires_attendance and not started(exam.cohort, now)}
    latest = {exam.id: db.session.get(Attempt, info["last_attempt_id"]) for exam, info in exams
              if info["last_attempt_id"] is not None}
    released = {exam_id: sitting for exam_id, sitting in latest.items() if services.is_released(sitting, now)}
    return render_template("exams/my_exams.html", exams=exams, waiting_for_classes=waiting, released=released)


@bp.route("/my/exams/<int:exam_id>/notice")
@role_required("trainee")
def notice(exam_id: int):
    """考前须知: read before a formal sitting; its start button stays off until 我已阅读 is ticked."""
    found = exam_notice(current_user, exam_id, utcnow())
    if found.open_attempt_id is not None:
        return redirect(url_for("exams.attempt_page", attempt_id=found.open_attempt_id))
    return render_template("exams/notice.html", notice=found)


@bp.route("/my/exams/<int:exam_id>/start", methods=["POST"])
@role_required("trainee")
def start(exam_id: int):
    found = exam_notice(current_user, exam_id, utcnow())
    if found.formal and found.open_attempt_id is None and request.form.get("read_notice") != "1":
        flash(_("请先阅读考前须知，勾选“我已阅读”后再开始考试"), "warning")
        return redirect(url_for("exams.notice", exam_id=exam_id))
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
    standing = my_exam_json(current_user, sitting.exam, now)
    # another sitting is offered only to whom may start one (never after a pass) and only from the latest
    retake = standing["can_start"] and standing["last_attempt_id"] == sitting.id and not sitting.passed
    return render_template("exams/result.html", attempt=sitting, released=released,
                           auto_submitted=was_auto_submitted(sitting), retake=retake, standing=standing,
                           items=review(sitting) if services.review_open(sitting, now) else [],
                           report=services.category_report(sitting) if released else [])


# ---- the 错题本 ----------------------------------------------------------------------------

@bp.route("/my/mistakes")
@role_required("trainee")
def mistakes_page():
    return render_template("exams/mistakes.html", mistakes=mistakes(current_user), checked=None)


@bp.route("/my/mistakes/<int:question_id>", methods=["POST"])
@role_required("trainee")
def practise_mistake(question_id: int):
    with attempt() as done:
        checked = practise(current_user, question_id, request.form.getlist("answer"))
    if not done.ok:
        return redirect(url_for("exams.mistakes_page"))
    if checked.correct:
        flash(_("回答正确，这道题已移出错题本"), "success")
        return redirect(url_for("exams.mistakes_page"))
    return render_template("exams/mistakes.html", mistakes=mistakes(current_user), checked=checked)
