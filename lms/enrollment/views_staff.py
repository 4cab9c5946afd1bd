"""Staff pages: cohorts and sessions, review queues and decisions, roster import, attendance
marking and import, the check-in projector page, class progress."""
from __future__ import annotations

import io
from decimal import Decimal

from flask import flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.forms import options
from lms.core.pagination import paginate
from lms.enrollment import bp, checkin, roster, services, sheets
from lms.enrollment.attendance import progress_of
from lms.enrollment.cohorts import LOCAL_TZ, local_datetime
from lms.enrollment.enums import CREDITED, ApplicationStatus, AttendanceStatus, Decision
from lms.enrollment.forms import CohortForm, DecisionForm, SessionForm, UploadForm
from lms.extensions import db
from lms.orgs import services as orgs
from lms.orgs.models import Institution, Region
from lms.programs.models import Module, Program, Teacher
from lms.programs.services import active_teachers, visible_programs
from lms.web import attempt, confirmation, confirmed, role_required

STAFF = ("admin", "bureau", "institution")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_FIELDS = {"module": "module_id", "teacher": "teacher_id", "starts_at": "day", "ends_at": "ends"}


@bp.route("/staff/cohorts")
@role_required(*STAFF)
def staff_cohorts():
    cohorts = db.session.scalars(services.visible_cohorts(current_user)).all()
    return render_template("enrollment/staff_cohorts.html", cohorts=cohorts, today=services.local_today(),
                           can_create=current_user.has_role("admin", "institution"))


def _cohort_form(form: CohortForm) -> None:
    form.program_id.choices = options([(p.id, f"{p.code} {p.title}") for p in db.session.scalars(visible_programs())])
    institutions = db.session.scalars(orgs.visible_institutions(current_user)).all()
    form.institution_id.choices = options([(i.id, i.name) for i in institutions])
    form.region_id.choices = options([(r.id, r.full_name) for r in orgs.all_regions()])


@bp.route("/staff/cohorts/new", methods=["GET", "POST"])
@bp.route("/staff/cohorts/<code>/edit", methods=["GET", "POST"])
@role_required("admin", "institution")
def cohort_form(code: str | None = None):
    cohort = services.get_cohort(current_user, code) if code else None
    if cohort is not None:
        services.require_manage(current_user, cohort)
    form = CohortForm(obj=cohort)
    _cohort_form(form)
    if form.validate_on_submit():
        skip = {"csrf_token", "program_id", "institution_id", "region_id"}
        data = {k: v for k, v in form.data.items() if k not in skip}
        data["program"] = db.session.get(Program, form.program_id.data)
        data["institution"] = db.session.get(Institution, form.institution_id.data)
        data["region"] = db.session.get(Region, form.region_id.data)
        renames = {"program": "program_id", "institution": "institution_id", "region": "region_id"}
        with attempt(form, renames) as done:
            saved = services.save_cohort(current_user, data, cohort)
        if done.ok:
            flash(_("班次已保存"), "success")
            return redirect(url_for("enrollment.staff_cohort", code=saved.code))
    return render_template("enrollment/cohort_form.html", form=form, cohort=cohort)


def _session_form(cohort, form: SessionForm) -> None:
    form.module_id.choices = options([(m.id, _("%(module)s（%(hours)s 学时）", module=m.title, hours=f"{m.hours:g}"))
                                      for m in cohort.program.modules])
    form.teacher_id.choices = options([(0, _("（暂不指定）"))]
                                      + [(t.id, t.name) for t in active_teachers(cohort.institution_id)])


def _session_data(form: SessionForm) -> dict:
    day = form.day.data
    return {"module": db.session.get(Module, form.module_id.data),
            "teacher": db.session.get(Teacher, form.teacher_id.data) if form.teacher_id.data else None,
            "starts_at": local_datetime(day, form.begins.data) if day and form.begins.data else None,
            "ends_at": local_datetime(day, form.ends.data) if day and form.ends.data else None,
            "hours": float(form.hours.data) if isinstance(form.hours.data, Decimal) else None,
            "place": form.place.data}


@bp.route("/staff/cohorts/<code>", methods=["GET", "POST"])
@role_required(*STAFF)
def staff_cohort(code: str):
    cohort = services.get_cohort(current_user, code)
    can_manage = services.can_manage(current_user, cohort)
    form = SessionForm()
    _session_form(cohort, form)
    if request.method == "POST":
        services.require_manage(current_user, cohort)
        if form.validate_on_submit():
            with attempt(form, SESSION_FIELDS) as done:
                services.save_session(current_user, cohort, _session_data(form))
            if done.ok:
                flash(_("课次已添加"), "success")
                return redirect(url_for("enrollment.staff_cohort", code=code))
    return render_template("enrollment/staff_cohort.html", cohort=cohort, form=form, can_manage=can_manage,
                           counts=services.status_counts(current_user, cohort))


@bp.route("/staff/cohorts/<code>/applications")
@role_required(*STAFF)
def review_queue(code: str):
    cohort = services.get_cohort(current_user, code)
    status = request.args.get("status", "")
    applications = services.cohort_applications(current_user, cohort, status)
    return render_template("enrollment/review_queue.html", cohort=cohort, applications=applications,
                           counts=services.status_counts(current_user, cohort),
                           can_decide=services.can_manage(current_user, cohort),
                           approvable=services.DECIDABLE[Decision.APPROVE],
                           profiles=services.profiles_by_user(a.user_id for a in applications), status=status,
                           statuses=[s for s in ApplicationStatus if s not in services.PRIVATE])


@bp.route("/staff/cohorts/<code>/applications/approve", methods=["POST"])
@role_required("admin", "institution")
def bulk_approve(code: str):
    cohort = services.get_cohort(current_user, code)
    ids = [int(v) for v in request.form.getlist("application") if v.isdigit()]
    with attempt() as done:
        outcome = services.approve_many(current_user, cohort, ids)
    if done.ok:
        n = {key: len(rows) for key, rows in outcome.items()}
        flash(ngettext("已录取 %(num)d 人", "已录取 %(num)d 人", n["approved"]), "success")
        if n["waitlisted"]:
            flash(ngettext("名额已满，%(num)d 人列入候补", "名额已满，%(num)d 人列入候补", n["waitlisted"]), "info")
        if n["skipped"]:
            flash(ngettext("%(num)d 份报名未处理（状态已变化、不符合条件或名额已满）",
                           "%(num)d 份报名未处理（状态已变化、不符合条件或名额已满）", n["skipped"]), "info")
    return redirect(url_for("enrollment.review_queue", code=cohort.code, status=request.form.get("status", "")))


QUEUE_FILTERS = ("cohort", "status", "recommended", "page")


def _queue_filters() -> dict[str, str]:
    """The queue's filters as given in the query string (kept across paging and recommending)."""
    return {k: v for k in QUEUE_FILTERS if (v := request.args.get(k, "").strip())}


@bp.route("/staff/review")
@role_required(*STAFF)
def bureau_queue():
    filters = _queue_filters()
    cohorts = db.session.scalars(services.visible_cohorts(current_user)).all()
    cohort = next((c for c in cohorts if c.code == filters.get("cohort")), None)
    recommended = {"yes": True, "no": False}.get(filters.get("recommended", ""))
    stmt = services.awaiting_applications(current_user, cohort.id if cohort else None, filters.get("status", ""),
                                          recommended)
    page = paginate(stmt, filters.get("page"))
    return render_template("enrollment/bureau_queue.html", page=page, cohorts=cohorts, filters=filters,
                           profiles=services.profiles_by_user(a.user_id for a in page.items),
                           kept={k: v for k, v in filters.items() if k != "page"}, statuses=services.AWAITING,
                           can_recommend=current_user.has_role("bureau"))


@bp.route("/staff/review/<int:application_id>/recommend", methods=["POST"])
@role_required("admin", "bureau")
def bureau_recommend(application_id: int):
    application = services.get_application(current_user, application_id)
    with attempt() as done:
        services.recommend(current_user, application)
    if done.ok:
        name = (services.profile_of(application.user) or application.user).name
        flash(_("已推荐：%(name)s（%(cohort)s）", name=name, cohort=application.cohort.title), "success")
    return redirect(url_for("enrollment.bureau_queue", **_queue_filters()))


@bp.route("/staff/applications/<int:application_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def staff_application(application_id: int):
    application = services.get_for_review(current_user, application_id)
    form = DecisionForm()
    if form.validate_on_submit():
        action = request.form.get("action", "")
        if (action == "reject" and application.status == ApplicationStatus.APPROVED and (form.note.data or "").strip()
                and not confirmed()):
            return _confirm_withdrawal(application)
        with attempt(form) as done:
            if action == "recommend":
                services.recommend(current_user, application, form.note.data or "")
            else:
                services.decide(current_user, application, action, form.note.data or "")
        if done.ok:
            flash(_("已处理：%(status)s", status=application.status.label), "success")
            return redirect(url_for("enrollment.review_queue", code=application.cohort.code))
    can_decide = services.can_manage(current_user, application.cohort)
    return render_template("enrollment/staff_application.html", application=application, form=form,
                           profile=services.profile_of(application.user),
                           decisions=[d for d, fro in services.DECIDABLE.items()
                                      if can_decide and application.status in fro],
                           can_recommend=services.can_recommend(current_user, application),
                           assess_assignment=can_decide and application.status == ApplicationStatus.APPROVED
                           and application.cohort.program.assignment_required)


def _confirm_withdrawal(application):
    """Taking an admitted trainee out of the cohort: say what it does before doing it."""
    services.require_manage(current_user, application.cohort)
    name = (services.profile_of(application.user) or application.user).name
    lines = [_("%(name)s 将退出班次“%(cohort)s”：不再参加课次签到、考试，也不能获得合格证。",
               name=name, cohort=application.cohort.title),
             _("其名额将释放，候补名单中的第一位申请人将自动录取。"),
             _("学员会收到通知，通知中包含您填写的理由；已有的考勤和答卷记录保留。")]
    return confirmation(_("取消 %(name)s 的录取？", name=name), lines, _("确认取消录取"),
                        url_for("enrollment.staff_application", application_id=application.id))


@bp.route("/staff/applications/<int:application_id>/assignment", methods=["POST"])
@role_required("admin", "institution")
def staff_assignment(application_id: int):
    application = services.get_application(current_user, application_id)
    with attempt() as done:
        services.record_assignment(current_user, application, request.form.get("passed") == "1")
    if done.ok:
        flash(_("结业作业评定已保存"), "success")
    return redirect(url_for("enrollment.staff_application", application_id=application.id))


@bp.route("/staff/roster-template.xlsx")
@role_required("admin", "institution")
def roster_template():
    return send_file(io.BytesIO(roster.roster_template()), mimetype=XLSX, as_attachment=True,
                     download_name="roster-template.xlsx")


def _upload(form: UploadForm) -> bytes:
    file = form.file.data
    return file.read() if file else b""


@bp.route("/staff/cohorts/<code>/roster", methods=["GET", "POST"])
@role_required("admin", "institution")
def roster_import(code: str):
    cohort = services.get_cohort(current_user, code)
    services.require_manage(current_user, cohort)
    form, result = UploadForm(), None
    if form.validate_on_submit():
        with attempt(form) as done:  # the cell problems are listed from done.error, the rest flashed
            result = roster.import_roster(current_user, cohort, _upload(form))
        if not done.ok:
            return render_template("enrollment/roster_import.html", cohort=cohort, form=form,
                                   problems=done.error), done.error.status
    return render_template("enrollment/roster_import.html", cohort=cohort, form=form, result=result)


@bp.route("/staff/cohorts/<code>/progress")
@role_required(*STAFF)
def class_progress(code: str):
    cohort = services.get_cohort(current_user, code)
    enrolled = services.enrolled_in(cohort.id)
    profiles = services.profiles_by_user(a.user_id for a in enrolled)
    progress = progress_of(enrolled)
    rows = [(a, profiles.get(a.user_id), progress[a.id]) for a in enrolled]
    if request.args.get("format") == "xlsx":
        return send_file(io.BytesIO(sheets.progress_workbook(cohort, rows)), mimetype=XLSX, as_attachment=True,
                         download_name=f"roster-{cohort.code}.xlsx")
    shown = request.args.get("show", "")
    counts = {"all": len(rows), "met": sum(1 for r in rows if r[2].requirement_met)}
    counts["unmet"] = counts["all"] - counts["met"]
    if shown in ("met", "unmet"):
        rows = [r for r in rows if r[2].requirement_met == (shown == "met")]
    return render_template("enrollment/class_progress.html", cohort=cohort, rows=rows, shown=shown, counts=counts)


# ---- sessions: attendance and the projector ----------------------------------------------------

def _attendance_page(session_row, form: UploadForm, problems=None, status: int = 200):
    enrolled = services.enrolled_in(session_row.cohort_id)
    return render_template("enrollment/session_attendance.html", session_row=session_row, enrolled=enrolled,
                           marks=services.attendance_of(session_row), statuses=list(AttendanceStatus), form=form,
                           profiles=services.profiles_by_user(a.user_id for a in enrolled), problems=problems,
                           can_manage=services.can_manage(current_user, session_row.cohort)), status


@bp.route("/staff/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@role_required(*STAFF)
def session_attendance(session_id: int):
    session_row = services.get_session(current_user, session_id)
    form = UploadForm()
    if request.method == "POST":
        services.require_manage(current_user, session_row.cohort)
        if form.validate_on_submit():
            # "all present": every trainee left without a mark is present; marks chosen on the page stay
            fill = AttendanceStatus.PRESENT.value if request.form.get("all_present") == "1" else ""
            records = {a.id: status for a in services.enrolled_in(session_row.cohort_id)
                       if (status := request.form.get(f"status-{a.id}") or fill)}
            with attempt() as done:
                services.mark_attendance(current_user, session_row, records)
            if done.ok:
                flash(_("考勤已保存"), "success")
                return redirect(url_for("enrollment.session_attendance", session_id=session_id))
    return _attendance_page(session_row, form)


@bp.route("/staff/sessions/<int:session_id>/attendance.xlsx")
@role_required(*STAFF)
def attendance_template(session_id: int):
    session_row = services.get_session(current_user, session_id)
    return send_file(io.BytesIO(sheets.attendance_template(session_row)), mimetype=XLSX, as_attachment=True,
                     download_name=f"attendance-{session_row.cohort.code}-{session_row.id}.xlsx")


@bp.route("/staff/sessions/<int:session_id>/attendance/import", methods=["POST"])
@role_required("admin", "institution")
def attendance_import(session_id: int):
    session_row = services.get_session(current_user, session_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _attendance_page(session_row, form)
    with attempt(form) as done:
        count = sheets.import_attendance(current_user, session_row, _upload(form))
    if not done.ok:
        return _attendance_page(session_row, form, problems=done.error, status=done.error.status)
    flash(_("已导入 %(n)s 条考勤", n=count), "success")
    return redirect(url_for("enrollment.session_attendance", session_id=session_id))


def _managed_session(session_id: int):
    session_row = services.get_session(current_user, session_id)
    services.require_manage(current_user, session_row.cohort)
    return session_row


def _checkin_url(session_row, token: str) -> str:
    return url_for("enrollment.checkin_scan", session_id=session_row.id, token=token, _external=True)


@bp.route("/staff/sessions/<int:session_id>/qr")
@role_required("admin", "institution")
def session_qr(session_id: int):
    session_row = _managed_session(session_id)
    code = checkin.current_code(session_row)
    url = _checkin_url(session_row, code["token"])
    checked_in = sum(1 for a in services.attendance_of(session_row).values() if a.status in CREDITED)
    return render_template("enrollment/session_qr.html", session_row=session_row, code=code, url=url,
                           svg=checkin.qr_svg(url), projector=request.args.get("mode") == "projector",
                           checked_in=checked_in, enrolled=len(services.enrolled_in(session_row.cohort_id)))


@bp.route("/staff/sessions/<int:session_id>/qr.json")
@role_required("admin", "institution")
def session_qr_json(session_id: int):
    session_row = _managed_session(session_id)
    code = checkin.current_code(session_row)
    url = _checkin_url(session_row, code["token"])
    checked_in = sum(1 for a in services.attendance_of(session_row).values() if a.status in CREDITED)
    response = jsonify(open=code["open"], expires_in=code["expires_in"], url=url, svg=checkin.qr_svg(url),
                       checked_in=checked_in)
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- sessions: edit and remove -----------------------------------------------------------------

@bp.route("/staff/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@role_required("admin", "institution")
def session_edit(session_id: int):
    session_row = _managed_session(session_id)
    cohort = session_row.cohort
    starts, ends = (t.astimezone(LOCAL_TZ) for t in (session_row.starts_at, session_row.ends_at))
    form = SessionForm(data=None if request.method == "POST" else {
        "module_id": session_row.module_id, "teacher_id": session_row.teacher_id or 0, "day": starts.date(),
        "begins": starts.time(), "ends": ends.time(), "hours": Decimal(str(session_row.hours)),
        "place": session_row.place})
    _session_form(cohort, form)
    if form.validate_on_submit():
        with attempt(form, SESSION_FIELDS) as done:
            services.save_session(current_user, cohort, _session_data(form), session_row)
        if done.ok:
            flash(_("课次已保存"), "success")
            return redirect(url_for("enrollment.staff_cohort", code=cohort.code))
    return render_template("enrollment/session_form.html", form=form, session_row=session_row, cohort=cohort,
                           recorded=services.attendance_count(session_row))


@bp.route("/staff/sessions/<int:session_id>/delete", methods=["POST"])
@role_required("admin", "institution")
def session_delete(session_id: int):
    session_row = _managed_session(session_id)
    code = session_row.cohort.code
    if not confirmed():
        admitted = len(services.enrolled_in(session_row.cohort_id))
        recorded = services.attendance_count(session_row)
        when = format_datetime(session_row.starts_at, "short")
        lines = [_("课次“%(module)s”（%(when)s）将从课表中删除，不能恢复。", module=session_row.module.title, when=when),
                 ngettext("已录取的 %(num)d 名学员将收到课次取消通知。", "已录取的 %(num)d 名学员将收到课次取消通知。", admitted)]
        if recorded:
            lines.append(ngettext("该课次已有 %(num)d 条考勤或签到记录，不能删除（考勤记录须保留）。",
                                  "该课次已有 %(num)d 条考勤或签到记录，不能删除（考勤记录须保留）。", recorded))
        return confirmation(_("删除课次？"), lines, _("确认删除此课次"), url_for("enrollment.staff_cohort", code=code))
    with attempt() as done:
        services.delete_session(current_user, session_row)
    if done.ok:
        flash(_("课次已删除"), "success")
    return redirect(url_for("enrollment.staff_cohort", code=code))
