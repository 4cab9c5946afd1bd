"""Programs (admin: curriculum, assessment rules, eligibility rules) and teachers (institution)."""
from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.forms import options
from lms.extensions import db
from lms.orgs import services as orgs
from lms.orgs.models import Institution, Region, RegionLevel
from lms.programs import bp, rule_builder, services
from lms.programs.eligibility import DEFAULT_RULES, FIELDS, EligibilityResult, describe, reason_texts
from lms.programs.facts import FACTS, years
from lms.programs.forms import ModuleForm, ProgramForm, RulesForm, TeacherForm
from lms.web import attempt, role_required


@bp.app_template_filter("verdict_label")
def verdict_label(verdict) -> str:
    """A stored eligibility verdict's result, in the reader's language."""
    result = EligibilityResult.get((verdict or {}).get("result"))
    return result.label if result is not None else _("尚未审查")


bp.add_app_template_filter(years, "years")


@bp.app_template_filter("verdict_reasons")
def verdict_reasons(verdict) -> list[str]:
    return reason_texts(verdict)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@bp.route("/programs")
@role_required("admin", "bureau", "institution")
def programs():
    return render_template("programs/programs.html", programs=db.session.scalars(services.visible_programs()).all(),
                           can_manage=services.can_manage(current_user))


@bp.route("/programs/<int:program_id>")
@role_required("admin", "bureau", "institution")
def program(program_id: int):
    found = services.get_program(current_user, program_id)
    return render_template("programs/program.html", program=found, module_form=ModuleForm(),
                           describe=describe, can_manage=services.can_manage(current_user))


@bp.route("/admin/programs/new", methods=["GET", "POST"])
@bp.route("/admin/programs/<int:program_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def program_form(program_id: int | None = None):
    found = services.get_program(current_user, program_id) if program_id else None
    form = ProgramForm(obj=found)
    if found is not None and request.method == "GET":
        form.required_qualifications.data = "\n".join(found.required_qualifications)
        form.min_attendance_percent.data = round(found.min_attendance_ratio * 100)
    form.region_id.choices = options([(r.id, r.full_name) for r in orgs.all_regions() if r.level != RegionLevel.DISTRICT])
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in {"csrf_token", "region_id", "min_attendance_percent"}}
        data["region"] = db.session.get(Region, form.region_id.data)
        data["required_qualifications"] = _lines(form.required_qualifications.data)
        percent = form.min_attendance_percent.data
        data["min_attendance_ratio"] = percent / 100 if isinstance(percent, int) else None
        data["eligibility_rules"] = found.eligibility_rules if found else None
        with attempt(form, {"min_attendance_ratio": "min_attendance_percent", "region": "region_id"}) as done:
            saved = services.save_program(current_user, data, found)
        if done.ok:
            flash(_("研修班项目已保存"), "success")
            return redirect(url_for("programs.program", program_id=saved.id))
    return render_template("programs/program_form.html", form=form, program=found)


@bp.route("/admin/programs/<int:program_id>/modules", methods=["POST"])
@role_required("admin")
def add_module(program_id: int):
    found = services.get_program(current_user, program_id)
    form = ModuleForm()
    if form.validate_on_submit():
        with attempt() as done:
            services.save_module(current_user, found, {"code": form.code.data, "title": form.title.data,
                                                       "hours": float(form.hours.data) if form.hours.data else None})
        if done.ok:
            flash(_("课程模块已添加"), "success")
    return redirect(url_for("programs.program", program_id=program_id))


@bp.route("/admin/programs/<int:program_id>/rules", methods=["GET", "POST"])
@role_required("admin")
def rules(program_id: int):
    found = services.get_program(current_user, program_id)
    form = RulesForm()
    preset = request.args.get("preset")
    if request.args.get("mode") != "json" and (request.method == "GET" or "rules" not in request.form):
        return _rule_builder(found, preset)
    if request.method == "GET":
        source = DEFAULT_RULES[preset][1] if preset in DEFAULT_RULES else found.eligibility_rules
        form.rules.data = json.dumps(source, ensure_ascii=False, indent=2) if source else ""
    if form.validate_on_submit():
        text = (form.rules.data or "").strip()
        try:
            parsed = json.loads(text) if text else None
        except (json.JSONDecodeError, RecursionError) as error:
            form.rules.errors = [_("不是有效的 JSON：第 %(line)s 行第 %(col)s 列 %(msg)s", line=error.lineno,
                                   col=error.colno, msg=error.msg) if isinstance(error, json.JSONDecodeError)
                                 else _("不是有效的 JSON：嵌套层数过多")]
        else:
            with attempt(form, {"eligibility_rules": "rules"}) as done:
                services.set_eligibility_rules(current_user, found, parsed)
            if done.ok:
                flash(_("任职条件已保存"), "success")
                return redirect(url_for("programs.program", program_id=program_id))
    return render_template("programs/rules.html", program=found, form=form, presets=DEFAULT_RULES, fields=FIELDS)


def _rule_builder(program, preset: str | None):
    """The rules as a form (lms.programs.rule_builder): the add/remove buttons redraw the unsaved
    tree; saving validates it like the JSON editor does."""
    tree = DEFAULT_RULES[preset][1] if preset in DEFAULT_RULES else program.eligibility_rules
    status = 200
    if request.method == "POST":
        tree = rule_builder.tree_from_form(request.form)
        action = request.form.get("edit", "")
        if action:
            tree = rule_builder.edit(tree, action)
        else:
            with attempt() as done:
                services.set_eligibility_rules(current_user, program, tree)
            if done.ok:
                flash(_("任职条件已保存"), "success")
                return redirect(url_for("programs.program", program_id=program.id))
            status = 422
    return render_template("programs/rule_builder.html", program=program, presets=DEFAULT_RULES, facts=FACTS,
                           root=rule_builder.nodes_from_rules(tree), manual=rule_builder.MANUAL), status


# ---- teachers -----------------------------------------------------------------------------

@bp.route("/teachers")
@role_required("admin", "institution")
def teachers():
    return render_template("programs/teachers.html",
                           teachers=db.session.scalars(services.visible_teachers(current_user)).all(),
                           programs=db.session.scalars(services.visible_programs()).all(),
                           missing=services.missing_qualifications)


@bp.route("/teachers/new", methods=["GET", "POST"])
@bp.route("/teachers/<int:teacher_id>/edit", methods=["GET", "POST"])
@role_required("admin", "institution")
def teacher_form(teacher_id: int | None = None):
    found = services.get_teacher(current_user, teacher_id) if teacher_id else None
    form = TeacherForm(obj=found)
    if found is not None and request.method == "GET":
        form.qualifications.data = "\n".join(found.qualifications)
    institutions = db.session.scalars(orgs.visible_institutions(current_user))
    form.institution_id.choices = options([(i.id, i.name) for i in institutions])
    if form.validate_on_submit():
        data = {"institution": db.session.get(Institution, form.institution_id.data), "name": form.name.data,
                "title": form.title.data, "qualifications": _lines(form.qualifications.data),
                "active": form.active.data}
        with attempt(form, {"institution": "institution_id"}) as done:
            services.save_teacher(current_user, data, found)
        if done.ok:
            flash(_("教师信息已保存"), "success")
            return redirect(url_for("programs.teachers"))
    return render_template("programs/teacher_form.html", form=form, teacher=found)
