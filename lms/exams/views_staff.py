"""Staff pages: exams of a cohort, settings, paper (blueprint or fixed), extensions, release,
results (+ Excel), item analysis and an attempt's integrity log."""
from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.accounts.models import User
from lms.web import role_required
from lms.core.errors import Conflict, ValidationFailed
from lms.core.forms import apply_errors
from lms.core.permissions import one_or_404
from lms.core.time import utcnow
from lms.enrollment.cohorts import LOCAL_TZ, can_manage, get_cohort, visible_cohorts
from lms.exams import analysis, integrity, results, services
from lms.exams.forms import ExamForm, ExtensionForm, PaperForm
from lms.exams.models import Attempt, Exam, TimeExtension
from lms.exams import bp
from lms.extensions import db

STAFF = ("admin", "bureau", "institution")


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=LOCAL_TZ) if value is not None else None


def _form_data(form: ExamForm) -> dict:
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    data["opens_at"], data["closes_at"] = _aware(form.opens_at.data), _aware(form.closes_at.data)
    data["pass_mark"] = float(form.pass_mark.data) if form.pass_mark.data is not None else None
    return data


@bp.route("/staff/exams")
@role_required(*STAFF)
def staff_exams():
    exams = db.session.scalars(services.visible_exams(current_user)).all()
    cohorts = [c for c in db.session.scalars(visible_cohorts(current_user)) if can_manage(current_user, c)] \
        if current_user.has_role("admin", "institution") else []
    return render_template("exams/staff_exams.html", exams=exams, cohorts=cohorts)


@bp.route("/staff/exams/new", methods=["GET", "POST"])
@role_required("admin", "institution")
def new_exam():
    cohort = get_cohort(current_user, request.args.get("cohort", ""))
    form = ExamForm()
    if request.method == "GET":
        start = utcnow().astimezone(LOCAL_TZ).replace(second=0, microsecond=0, tzinfo=None) + timedelta(days=1)
        form.opens_at.data, form.closes_at.data, form.duration_minutes.data = start, start + timedelta(hours=3), 90
    if form.validate_on_submit():
        try:
            exam = services.save_exam(current_user, cohort, _form_data(form))
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("考试已创建，请设置试卷"), "success")
            return redirect(url_for("exams.staff_exam", exam_id=exam.id))
    return render_template("exams/exam_form.html", form=form, cohort=cohort, exam=None)


@bp.route("/staff/exams/<int:exam_id>/edit", methods=["GET", "POST"])
@role_required("admin", "institution")
def edit_exam(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    services.require_manage(current_user, exam)
    form = ExamForm(obj=exam)
    if request.method == "GET":
        form.opens_at.data = exam.opens_at.astimezone(LOCAL_TZ).replace(tzinfo=None)
        form.closes_at.data = exam.closes_at.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if form.validate_on_submit():
        try:
            services.save_exam(current_user, exam.cohort, _form_data(form), exam)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("考试设置已保存"), "success")
            return redirect(url_for("exams.staff_exam", exam_id=exam.id))
    return render_template("exams/exam_form.html", form=form, cohort=exam.cohort, exam=exam)


def _paper_text(exam: Exam) -> str:
    if exam.paper_mode == "fixed":
        return "\n".join(f"{f.revision.question.bank.code} {f.revision.question.external_id} {f.points:g}"
                         for f in exam.fixed_questions)
    return services.blueprint_text(exam)


@bp.route("/staff/exams/<int:exam_id>", methods=["GET"])
@role_required(*STAFF)
def staff_exam(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    paper = PaperForm(mode=exam.paper_mode, lines=_paper_text(exam))
    return render_template("exams/staff_exam.html", exam=exam, paper=paper, extension=ExtensionForm(),
                           size=services.paper_size(exam), locked=services.has_attempts(exam),
                           can_manage=can_manage(current_user, exam.cohort), problems={}, extensions=_extensions(exam))


def _extensions(exam: Exam) -> list[TimeExtension]:
    return list(db.session.scalars(select(TimeExtension).where(TimeExtension.exam_id == exam.id)
                                   .order_by(TimeExtension.id)))


@bp.route("/staff/exams/<int:exam_id>/paper", methods=["POST"])
@role_required("admin", "institution")
def save_paper(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    paper = PaperForm()
    problems: dict[str, str] = {}
    if paper.validate_on_submit():
        try:
            if paper.mode.data == "fixed":
                entries = _fixed_entries(paper.lines.data or "")
                services.change_paper(current_user, exam, lambda e: services.set_fixed_paper(e, entries))
            else:
                cells = services.parse_blueprint(paper.lines.data or "", exam.cohort.institution_id)
                services.change_paper(current_user, exam, lambda e: services.set_blueprint(e, cells))
        except ValidationFailed as error:
            db.session.rollback()
            problems = error.fields or {"paper": error.message}
        except Conflict as error:
            db.session.rollback()
            problems = {"paper": error.message}
        else:
            db.session.commit()
            flash(_("试卷已保存"), "success")
            return redirect(url_for("exams.staff_exam", exam_id=exam.id))
    exam = services.get_exam(current_user, exam_id)
    return render_template("exams/staff_exam.html", exam=exam, paper=paper, extension=ExtensionForm(),
                           size=services.paper_size(exam), locked=services.has_attempts(exam), can_manage=True,
                           problems=problems, extensions=_extensions(exam)), 422


def _fixed_entries(text: str) -> list[tuple[str, str, float]]:
    entries, problems = [], {}
    for number, raw in enumerate(text.splitlines(), 1):
        parts = raw.split("#", 1)[0].split()
        if not parts:
            continue
        try:
            bank, external_id, points = parts
            entries.append((bank, external_id, float(points)))
        except ValueError:
            problems[f"line {number}"] = f"第 {number} 行：应为“题库代码 题号 分值”三项"
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)
    return entries


@bp.route("/staff/exams/<int:exam_id>/extensions", methods=["POST"])
@role_required("admin", "institution")
def add_extension(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    form = ExtensionForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == (form.username.data or "").strip().lower()))
        try:
            services.set_extension(current_user, exam, user.id if user else -1, form.minutes.data or 0,
                                   form.reason.data or "")
        except ValidationFailed as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("已保存延时设置（对此后开始的答卷生效）"), "success")
    return redirect(url_for("exams.staff_exam", exam_id=exam.id))


@bp.route("/staff/exams/<int:exam_id>/release", methods=["POST"])
@role_required("admin", "institution")
def release(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    try:
        services.release_results(current_user, exam)
    except Conflict as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
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
                           can_manage=can_manage(current_user, exam.cohort))


@bp.route("/staff/exams/<int:exam_id>/analysis", methods=["GET", "POST"])
@role_required(*STAFF)
def staff_analysis(exam_id: int):
    exam = services.get_exam(current_user, exam_id)
    stats = analysis.analyse(exam)
    if request.method == "POST":
        services.require_manage(current_user, exam)
        count = analysis.update_question_stats(stats)
        db.session.commit()
        flash(_("已更新 %(n)s 道试题的统计数据", n=count), "success")
        return redirect(url_for("exams.staff_analysis", exam_id=exam.id))
    return render_template("exams/staff_analysis.html", exam=exam, stats=stats)


@bp.route("/staff/attempts/<int:attempt_id>")
@role_required(*STAFF)
def staff_attempt(attempt_id: int):
    attempt = one_or_404(select(Attempt).join(Exam, Exam.id == Attempt.exam_id).where(
        Attempt.id == attempt_id, Exam.id.in_(services.visible_exams(current_user).with_only_columns(Exam.id))))
    return render_template("exams/staff_attempt.html", attempt=attempt, events=integrity.events_of(attempt))
