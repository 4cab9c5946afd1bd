"""Programs, their modules and eligibility rules (admin), and teachers (institution staff)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from lms.core import audit
from lms.core.errors import Forbidden, ValidationFailed
from lms.core.permissions import institution_ids, is_admin, one_or_404, require_role
from lms.extensions import db
from lms.programs.eligibility import validate_rules
from lms.programs.models import Module, Program, ProgramLevel, Teacher


# ---- who may change what --------------------------------------------------------------

def can_manage(actor) -> bool:
    """Programs are the bureaus' unified curricula: only an admin changes them."""
    return actor is not None and is_admin(actor)


def require_manage(actor) -> None:
    if not can_manage(actor):
        raise Forbidden(_l("只有管理员可以修改研修班项目"))


def can_manage_teacher(actor, teacher: Teacher | None = None) -> bool:
    """Admins, and staff of the teacher's institution (any institution's staff for a new teacher)."""
    if actor is None:
        return False
    if is_admin(actor):
        return True
    own = institution_ids(actor, "institution")
    return bool(own) if teacher is None else teacher.institution_id in own


# ---- programs --------------------------------------------------------------------------

def visible_programs(actor=None) -> Select:
    """Programs are the bureaus' published curricula: every signed-in user may read them."""
    return select(Program).order_by(Program.code)


def get_program(actor, program_id: int) -> Program:
    return one_or_404(visible_programs(actor).where(Program.id == program_id))


def program_by_code(code: str) -> Program | None:
    return db.session.scalar(select(Program).where(Program.code == code))


def _number(data: dict, name: str, label, problems: dict, *, low: float, high: float | None = None,
            whole: bool = True):
    value = data.get(name)
    try:
        number = int(value) if whole else float(value)
    except (TypeError, ValueError, OverflowError):
        problems[name] = _l("%(label)s应为整数", label=label) if whole else _l("%(label)s应为数字", label=label)
        return None
    if number < low or (high is not None and number > high):
        problems[name] = (_l("%(label)s应在 %(low)s 至 %(high)s 之间", label=label, low=f"{low:g}", high=f"{high:g}")
                          if high is not None else _l("%(label)s不能小于 %(low)s", label=label, low=f"{low:g}"))
    return number


def save_program(actor, data: dict[str, Any], program: Program | None = None) -> Program:
    """Create or update a program's curriculum frame and assessment rules (admin only).
    `data` keys: code, title, level, region, description, teacher_requirements,
    required_qualifications (list), min_attendance_ratio (0-1), exam_pass_mark, assignment_required,
    certificate_validity_years, ce_hours_per_year, eligibility_rules (dict or None)."""
    require_manage(actor)
    problems: dict[str, Any] = {}
    code = (data.get("code") or "").strip()
    if not code:
        problems["code"] = _l("请填写项目代码")
    elif (clash := program_by_code(code)) is not None and clash is not program:
        problems["code"] = _l("该项目代码已被使用")
    if not (data.get("title") or "").strip():
        problems["title"] = _l("请填写项目名称")
    level = ProgramLevel.get(data.get("level"))
    if level is None:
        problems["level"] = _l("请选择层级：首席标准官、标准化总监或标准化专员")
    if data.get("region") is None:
        problems["region"] = _l("请选择所属行政区划")
    ratio = _number(data, "min_attendance_ratio", _l("最低出勤率"), problems, low=0.01, high=1, whole=False)
    pass_mark = _number(data, "exam_pass_mark", _l("考试合格分"), problems, low=0, high=100)
    validity = _number(data, "certificate_validity_years", _l("合格证有效期"), problems, low=1, high=20)
    ce_hours = _number(data, "ce_hours_per_year", _l("每年继续教育学时"), problems, low=0)
    rules = data.get("eligibility_rules")
    if rules:
        try:
            validate_rules(rules)
        except ValidationFailed as error:
            problems.update(error.fields)
    qualifications = [q.strip() for q in data.get("required_qualifications") or [] if q and q.strip()]
    if problems:
        raise ValidationFailed(_l("研修班项目信息有误"), problems)
    created = program is None
    program = program or Program()
    program.code, program.title, program.level = code, data["title"].strip(), level
    program.region = data["region"]
    program.description = (data.get("description") or "").strip()
    program.teacher_requirements = (data.get("teacher_requirements") or "").strip()
    program.required_qualifications = qualifications
    program.min_attendance_ratio, program.exam_pass_mark = ratio, pass_mark
    program.assignment_required = bool(data.get("assignment_required"))
    program.certificate_validity_years, program.ce_hours_per_year = validity, ce_hours
    program.eligibility_rules = rules or None
    db.session.add(program)
    audit.record(actor, "program.create" if created else "program.update", program)
    return program


def set_eligibility_rules(actor, program: Program, rules: dict | None) -> Program:
    require_manage(actor)
    if rules:
        validate_rules(rules)
    program.eligibility_rules = rules or None
    audit.record(actor, "program.rules", program, rules=rules)
    return program


def save_module(actor, program: Program, data: dict[str, Any], module: Module | None = None) -> Module:
    require_manage(actor)
    problems: dict[str, Any] = {}
    code = (data.get("code") or "").strip()
    if not code:
        problems["code"] = _l("请填写模块代码")
    elif any(m.code == code and m is not module for m in program.modules):
        problems["code"] = _l("本项目已有该模块代码")
    if not (data.get("title") or "").strip():
        problems["title"] = _l("请填写模块名称")
    hours = _number(data, "hours", _l("学时"), problems, low=0.5, high=500, whole=False)
    if problems:
        raise ValidationFailed(_l("课程模块信息有误"), problems)
    created = module is None
    if module is None:
        module = Module(position=len(program.modules) + 1)
        program.modules.append(module)
    module.code, module.title, module.hours = code, data["title"].strip(), hours
    db.session.flush()
    audit.record(actor, "program.module_create" if created else "program.module_update", module,
                 program=program.code)
    return module


# ---- teachers ----------------------------------------------------------------------------

def visible_teachers(actor) -> Select:
    stmt = select(Teacher).order_by(Teacher.name)
    if is_admin(actor):
        return stmt
    return stmt.where(Teacher.institution_id.in_(sorted(institution_ids(actor, "institution")) or [-1]))


def get_teacher(actor, teacher_id: int) -> Teacher:
    return one_or_404(visible_teachers(actor).where(Teacher.id == teacher_id))


def save_teacher(actor, data: dict[str, Any], teacher: Teacher | None = None) -> Teacher:
    """`data`: institution, name, title, qualifications (list of str), active."""
    require_role(actor, "admin", "institution")
    if teacher is not None and not can_manage_teacher(actor, teacher):
        raise Forbidden(_l("只能修改本机构的教师"))
    problems: dict[str, Any] = {}
    institution = data.get("institution")
    if institution is None or not (is_admin(actor) or institution.id in institution_ids(actor, "institution")):
        problems["institution"] = _l("请选择本机构")
    if not (data.get("name") or "").strip():
        problems["name"] = _l("请填写教师姓名")
    if problems:
        raise ValidationFailed(_l("教师信息有误"), problems)
    created = teacher is None
    teacher = teacher or Teacher()
    teacher.institution = institution
    teacher.name = data["name"].strip()
    teacher.title = (data.get("title") or "").strip()
    teacher.qualifications = [q.strip() for q in data.get("qualifications") or [] if q and q.strip()]
    teacher.active = data.get("active", True)
    db.session.add(teacher)
    audit.record(actor, "teacher.create" if created else "teacher.update", teacher)
    return teacher


def active_teachers(institution_id: int) -> list[Teacher]:
    """The teachers a session of this institution's cohorts may be given."""
    return list(db.session.scalars(select(Teacher).where(Teacher.institution_id == institution_id,
                                                         Teacher.active.is_(True)).order_by(Teacher.name)))


def missing_qualifications(program: Program, teacher: Teacher) -> list[str]:
    """The program's required teacher qualifications this teacher does not hold."""
    held = {q.strip() for q in teacher.qualifications}
    return [q for q in program.required_qualifications if q not in held]
