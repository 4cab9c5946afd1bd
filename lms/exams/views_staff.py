"""Staff pages: exams of a cohort, settings, paper (blueprint or fixed), extensions, release,
results (+ Excel), item analysis and an attempt's integrity log."""
from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.core.time import utcnow
from lms.enrollment.cohorts import LOCAL_TZ, get_cohort
from lms.exams import analysis, bp, integrity, results, services
from lms.exams.forms import ExamForm, ExtensionForm, PaperForm
from lms.exams.models import Exam, PaperMode
from lms.banks.types import type_label
from lms.web import attempt, role_required

STAFF = ("admin", "bureau", "institution")
MANAGERS = ("admin", "institution")


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=LOCAL_TZ) if value is not None else None


def _local(value: datetime) -> datetime:
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None)


def _form_data(form: ExamForm) -> dict:
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    data["opens_at"], data["closes_at"] = _aware(form.opens_at.data), _aware(form.closes_at.data)
    data["pass_mark"] = float(form.pass_mark.data) if form.pass_mark.data is not None else None
    return data


@bp.route("/staff/exams")
@role_required(*STAFF)
def staff_exams():
    return render_template("exams/staff_exams.html", exams=services.staff_exam_list(current_user),
                           cohorts=services.cohorts_for_new_exams(current_user))


@bp.route("/staff/exams/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def new_exam():
    cohort = get_cohort(current_user, request.args.get("cohort", ""))
    form = ExamForm()
    if request.method == "GET":
        start = _local(utcnow()).replace(second=0, microsecond=0) + timedelta(days=1)
        form.opens_at.data, form.closes_at.data, form.duration_minutes.data = start, start + timedelta(hours=3), 90
        form.pass_mark.data = services.pass_mark_floor(cohort)
    if form.validate_on_submit():
        with attempt(form) as done:
            exam = services.save_exam(current_user, cohort, _form_data(form))
        if done.ok:
            flash(_("考试已创建，请设置试卷"), "success")
            return redirect(url_for("exams.staff_exam", exam_id=exam.id))
    return render_template("exams/exam_form.html", form=form, cohort=cohort, exam=None)


@bp.route("/staff/exams/<int:exam_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def edit_exam(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    services.require_manage(current_user, exam)
    form = ExamForm(obj=exam)
    if request.method == "GET":
        form.opens_at.data, form.closes_at.data = _local(exam.opens_at), _local(exam.closes_at)
    if form.validate_on_submit():
        with attempt(form) as done:
            services.save_exam(current_user, exam.cohort, _form_data(form), exam)
        if done.ok:
            flash(_("考试设置已保存"), "success")
            return redirect(url_for("exams.staff_exam", exam_id=exam.id))
    return render_template("exams/exam_form.html", form=form, cohort=exam.cohort, exam=exam,
                           started=services.has_attempts(exam))


def _exam_page(exam: Exam, paper: PaperForm, status: int = 200):
    return render_template("exams/staff_exam.html", exam=exam, paper=paper, extension=ExtensionForm(),
                           size=services.paper_size(exam), locked=services.has_attempts(exam),
                           can_manage=services.can_manage(current_user, exam),
                           pass_mark=services.effective_pass_mark(exam), extensions=services.extensions_of(exam)), \
        status


@bp.route("/staff/exams/<int:exam_id>", methods=["GET"])
@role_required(*STAFF)
def staff_exam(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    return _exam_page(exam, PaperForm(mode=exam.paper_mode, lines=services.paper_text(exam)))


@bp.route("/staff/exams/<int:exam_id>/paper", methods=["POST"])
@role_required(*MANAGERS)
def save_paper(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    paper = PaperForm()
    if paper.validate_on_submit():
        text = paper.lines.data or ""
        with attempt(paper) as done:
            if paper.mode.data == PaperMode.FIXED:
                entries = services.parse_fixed_paper(text)
                services.change_paper(current_user, exam, lambda e: services.set_fixed_paper(e, entries))
            else:
                cells = services.parse_blueprint(text, exam.cohort.institution_id)
                services.change_paper(current_user, exam, lambda e: services.set_blueprint(e, cells))
        if done.ok:
            flash(_("试卷已保存"), "success")
            return redirect(url_for("exams.staff_exam", exam_id=exam.id))
    return _exam_page(services.get_exam(current_user, exam_id), paper, 422)


@bp.route("/staff/exams/<int:exam_id>/extensions", methods=["POST"])
@role_required(*MANAGERS)
def add_extension(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    form = ExtensionForm()
    if form.validate_on_submit():
        with attempt() as done:
            services.set_extension_for(current_user, exam, form.username.data, form.minutes.data or 0,
                                       form.reason.data or "")
        if done.ok:
            flash(_("已保存延时设置（对此后开始的答卷生效）"), "success")
    return redirect(url_for("exams.staff_exam", exam_id=exam.id))


@bp.route("/staff/exams/<int:exam_id>/release", methods=["POST"])
@role_required(*MANAGERS)
def release(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    with attempt() as done:
        services.release_results(current_user, exam)
    if done.ok:
        flash(_("成绩已公布"), "success")
    return redirect(url_for("exams.staff_results", exam_id=exam.id))


@bp.route("/staff/exams/<int:exam_id>/results")
@role_required(*STAFF)
def staff_results(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    if request.args.get("format") == "xlsx":
        return send_file(BytesIO(results.results_xlsx(exam)), as_attachment=True,
                         download_name=f"exam-{exam.id}-results.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return render_template("exams/staff_results.html", exam=exam, rows=results.results(exam),
                           can_manage=services.can_manage(current_user, exam))


@bp.route("/staff/exams/<int:exam_id>/analysis", methods=["GET", "POST"])
@role_required(*STAFF)
def staff_analysis(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    stats = analysis.analyse(exam)
    if request.method == "POST":
        services.require_manage(current_user, exam)
        count = analysis.update_question_stats(stats)
        flash(ngettext("已更新 %(num)s 道试题的统计数据", "已更新 %(num)s 道试题的统计数据", count), "success")
        return redirect(url_for("exams.staff_analysis", exam_id=exam.id))
    return render_template("exams/staff_analysis.html", exam=exam, stats=stats, type_label=type_label,
                           can_manage=services.can_manage(current_user, exam))


@bp.route("/staff/attempts/<int:attempt_id>")
@role_required(*STAFF)
def staff_attempt(attempt_id: int):
    sitting = services.staff_attempt(current_user, attempt_id)
    return render_template("exams/staff_attempt.html", attempt=sitting, events=integrity.events_of(sitting))
