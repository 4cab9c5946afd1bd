"""Exams: scoped reads, staff upkeep (settings, extensions, release) and the trainee's list."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from lms.core import audit
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.permissions import institution_ids, one_or_404, require_role
from lms.core.time import utcnow
from lms.enrollment.cohorts import can_manage, staff_clause
from lms.enrollment.models import Application, Cohort
from lms.exams.models import PURPOSES, RELEASE_POLICIES, REVIEW_POLICIES, Attempt, Exam, TimeExtension
from lms.extensions import db

SETTINGS_FIELDS = ("title", "purpose", "opens_at", "closes_at", "duration_minutes", "attempts_allowed", "pass_mark",
                   "shuffle_questions", "shuffle_options", "multiple_partial", "release_policy", "review_policy",
                   "requires_attendance", "anonymous_grading", "max_tab_switches")


# ---- access ----------------------------------------------------------------------------

def visible_exams(actor) -> Select:
    """Exams staff may see: those of cohorts they manage or oversee."""
    return select(Exam).join(Cohort, Cohort.id == Exam.cohort_id).where(staff_clause(actor)) \
        .order_by(Exam.opens_at.desc(), Exam.id)


def get_exam(actor, exam_id: int) -> Exam:
    return one_or_404(visible_exams(actor).where(Exam.id == exam_id))


def require_manage(actor, exam_or_cohort) -> None:
    cohort = exam_or_cohort if isinstance(exam_or_cohort, Cohort) else exam_or_cohort.cohort
    if not can_manage(actor, cohort):
        raise Forbidden("只有本班次承办机构的工作人员可以管理考试")


def grading_exams(actor) -> Select:
    """Exams whose answers the actor may grade: its institutions' (graders and staff)."""
    own = sorted(institution_ids(actor, "institution", "grader"))
    stmt = select(Exam).join(Cohort, Cohort.id == Exam.cohort_id)
    if actor is not None and actor.has_role("admin"):
        return stmt
    return stmt.where(Cohort.institution_id.in_(own or [-1]))


def trainee_exams(actor) -> Select:
    """Exams of the cohorts the trainee is enrolled in (approved application)."""
    return (select(Exam).join(Application, Application.cohort_id == Exam.cohort_id)
            .where(Application.user_id == actor.id, Application.status == "approved")
            .order_by(Exam.opens_at, Exam.id))


def trainee_exam(actor, exam_id: int) -> Exam:
    return one_or_404(trainee_exams(actor).where(Exam.id == exam_id))


# ---- settings --------------------------------------------------------------------------

def _problems(data: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > 128:
        problems["title"] = "请填写考试名称（不超过 128 字）"
    opens, closes = data.get("opens_at"), data.get("closes_at")
    for name, value, label in (("opens_at", opens, "开始时间"), ("closes_at", closes, "结束时间")):
        if not isinstance(value, datetime) or value.tzinfo is None:
            problems[name] = f"请填写{label}"
    if "opens_at" not in problems and "closes_at" not in problems and opens >= closes:
        problems["closes_at"] = "结束时间应晚于开始时间"
    for name, low, high, label in (("duration_minutes", 1, 1440, "考试时长（分钟）"),
                                   ("attempts_allowed", 1, 10, "允许作答次数")):
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not (low <= value <= high):
            problems[name] = f"{label}应为 {low}–{high} 的整数"
    pass_mark = data.get("pass_mark")
    if not isinstance(pass_mark, (int, float)) or isinstance(pass_mark, bool) or not (0 <= pass_mark <= 100):
        problems["pass_mark"] = "及格线应为 0–100（占总分的百分比）"
    if data.get("purpose") not in PURPOSES:
        problems["purpose"] = "请选择考试性质（结业考试或练习测验）"
    if data.get("release_policy") not in RELEASE_POLICIES:
        problems["release_policy"] = "请选择成绩公布方式"
    if data.get("review_policy") not in REVIEW_POLICIES:
        problems["review_policy"] = "请选择答案公布方式"
    limit = data.get("max_tab_switches")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        problems["max_tab_switches"] = "切屏次数上限应为不小于 0 的整数，或留空表示不限"
    return problems


def save_exam(actor, cohort: Cohort, data: dict[str, Any], exam: Exam | None = None) -> Exam:
    """Create or change an exam's settings. `data` holds SETTINGS_FIELDS (datetimes aware)."""
    require_role(actor, "admin", "institution")
    require_manage(actor, cohort)
    data = {name: data.get(name) for name in SETTINGS_FIELDS}
    data["purpose"] = data["purpose"] or "formal"
    problems = _problems(data)
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)
    data["title"] = data["title"].strip()
    for flag in ("shuffle_questions", "shuffle_options", "multiple_partial", "requires_attendance",
                 "anonymous_grading"):
        data[flag] = bool(data[flag])
    created = exam is None
    if exam is None:
        exam = Exam(cohort=cohort, created_by_id=actor.id, paper_mode="blueprint")
        db.session.add(exam)
    changed = {k: v for k, v in data.items() if getattr(exam, k, None) != v}
    for name, value in data.items():
        setattr(exam, name, value)
    db.session.flush()
    audit.record(actor, "exam.create" if created else "exam.update", exam,
                 fields=sorted(changed), cohort=cohort.code)
    return exam


def has_attempts(exam: Exam) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.exam_id == exam.id)))


def change_paper(actor, exam: Exam, apply) -> None:
    """Run `apply(exam)` (set_blueprint / set_fixed_paper) unless trainees already sat the exam."""
    require_manage(actor, exam)
    if has_attempts(exam):
        raise Conflict("已有学员作答，不能再修改试卷；如需调整请新建考试")
    apply(exam)
    db.session.flush()
    audit.record(actor, "exam.paper", exam, mode=exam.paper_mode)


def set_extension(actor, exam: Exam, user_id: int, minutes: int, reason: str = "") -> TimeExtension | None:
    """Give one enrolled trainee extra minutes (0 removes). Applies to attempts started afterwards."""
    require_manage(actor, exam)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not (0 <= minutes <= 600):
        raise ValidationFailed("延长时间应为 0–600 分钟", {"minutes": "应为 0–600 的整数"})
    enrolled = db.session.scalar(select(Application.id).where(
        Application.cohort_id == exam.cohort_id, Application.user_id == user_id, Application.status == "approved"))
    if enrolled is None:
        raise ValidationFailed("该学员不在本班次", {"user": "不是本班次的学员"})
    extension = db.session.scalar(select(TimeExtension).where(TimeExtension.exam_id == exam.id,
                                                               TimeExtension.user_id == user_id))
    if minutes == 0:
        if extension is not None:
            db.session.delete(extension)
        extension = None
    elif extension is None:
        extension = TimeExtension(exam_id=exam.id, user_id=user_id, minutes=minutes, reason=reason[:255])
        db.session.add(extension)
    else:
        extension.minutes, extension.reason = minutes, reason[:255]
    audit.record(actor, "exam.extension", exam, user_id=user_id, minutes=minutes, reason=reason[:255])
    return extension


def extension_minutes(exam_id: int, user_id: int) -> int:
    return db.session.scalar(select(TimeExtension.minutes).where(
        TimeExtension.exam_id == exam_id, TimeExtension.user_id == user_id)) or 0


def release_results(actor, exam: Exam) -> None:
    require_manage(actor, exam)
    if exam.released_at is not None:
        raise Conflict("成绩已公布")
    exam.released_at = utcnow()
    audit.record(actor, "exam.release", exam)

