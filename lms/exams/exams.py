"""Exams: scoped reads, who may manage and grade, staff upkeep (settings, extensions, release)
and the trainee's list."""
from __future__ import annotations

from datetime import datetime, UTC
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select

from lms.accounts.models import User
from lms.core import audit
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.permissions import institution_ids, is_admin, one_or_404, require_role
from lms.core.time import utcnow
from lms.enrollment.cohorts import can_manage as manages_cohort
from lms.enrollment.cohorts import staff_clause, visible_cohorts
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.models import Application, Cohort
from lms.exams.models import (Attempt, Exam, ExamPurpose, PaperMode, ReleasePolicy, ReviewPolicy,
                              TimeExtension)
from lms.extensions import db
from lms.programs.models import Program

SETTINGS_FIELDS = ("title", "purpose", "opens_at", "closes_at", "duration_minutes", "attempts_allowed", "pass_mark",
                   "shuffle_questions", "shuffle_options", "multiple_partial", "release_policy", "review_policy",
                   "requires_attendance", "anonymous_grading", "max_tab_switches", "answers_on_submit")
FLAGS = ("shuffle_questions", "shuffle_options", "multiple_partial", "requires_attendance", "anonymous_grading",
         "answers_on_submit")


# ---- access ----------------------------------------------------------------------------

def visible_exams(actor) -> Select:
    """Exams staff may see: those of cohorts they manage or oversee."""
    return select(Exam).join(Cohort, Cohort.id == Exam.cohort_id).where(staff_clause(actor)) \
        .order_by(Exam.opens_at.desc(), Exam.id)


def get_exam(actor, exam_id: int) -> Exam:
    return one_or_404(visible_exams(actor).where(Exam.id == exam_id))


def staff_exam_list(actor) -> list[Exam]:
    return list(db.session.scalars(visible_exams(actor)))


def staff_attempt(actor, attempt_id: int) -> Attempt:
    """An attempt of an exam the actor may see as staff (404 otherwise)."""
    return one_or_404(select(Attempt).where(
        Attempt.id == attempt_id, Attempt.exam_id.in_(visible_exams(actor).with_only_columns(Exam.id))))


def can_manage(actor, exam_or_cohort) -> bool:
    """Staff of the cohort's institution, or an admin: may set up, change and release its exams."""
    cohort = exam_or_cohort if isinstance(exam_or_cohort, Cohort) else exam_or_cohort.cohort
    return manages_cohort(actor, cohort)


def require_manage(actor, exam_or_cohort) -> None:
    if not can_manage(actor, exam_or_cohort):
        raise Forbidden(_l("只有本班次承办机构的工作人员可以管理考试"))


GRADER_ROLES = ("admin", "institution", "grader")


def grading_exams(actor) -> Select:
    """Exams whose answers the actor may grade: admins all, staff and graders their institutions'."""
    stmt = select(Exam).join(Cohort, Cohort.id == Exam.cohort_id)
    if is_admin(actor):
        return stmt
    own = sorted(institution_ids(actor, "institution", "grader"))
    return stmt.where(Cohort.institution_id.in_(own or [-1]))


def trainee_exams(actor) -> Select:
    """Exams of the cohorts the trainee is enrolled in (approved application)."""
    return (select(Exam).join(Application, Application.cohort_id == Exam.cohort_id)
            .where(Application.user_id == actor.id, Application.status == ApplicationStatus.APPROVED)
            .order_by(Exam.opens_at, Exam.id))


def trainee_exam(actor, exam_id: int) -> Exam:
    return one_or_404(trainee_exams(actor).where(Exam.id == exam_id))


def cohorts_for_new_exams(actor) -> list[Cohort]:
    """Cohorts the actor may add an exam to."""
    if not actor.has_role("admin", "institution"):
        return []
    return [cohort for cohort in db.session.scalars(visible_cohorts(actor)) if can_manage(actor, cohort)]


# ---- settings --------------------------------------------------------------------------

def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _moment(value: Any) -> bool:
    """An aware datetime the database can hold (year 1 in Beijing is year 0 in UTC: an overflow)."""
    try:
        return isinstance(value, datetime) and value.tzinfo is not None \
            and 2000 <= value.astimezone(UTC).year <= 2999
    except (OverflowError, ValueError):
        return False


def _problems(data: dict[str, Any], floor: int) -> dict[str, Any]:
    problems: dict[str, Any] = {}
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > 128:
        problems["title"] = _l("请填写考试名称（不超过 128 字）")
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if not _moment(opens):
        problems["opens_at"] = _l("请填写开始时间（2000–2999 年之间）")
    if not _moment(closes):
        problems["closes_at"] = _l("请填写结束时间（2000–2999 年之间）")
    if "opens_at" not in problems and "closes_at" not in problems and opens >= closes:
        problems["closes_at"] = _l("结束时间应晚于开始时间")
    if not _whole(data.get("duration_minutes"), 1, 1440):
        problems["duration_minutes"] = _l("考试时长应为 %(low)s–%(high)s 分钟的整数", low=1, high=1440)
    if not _whole(data.get("attempts_allowed"), 1, 10):
        problems["attempts_allowed"] = _l("允许作答次数应为 %(low)s–%(high)s 的整数", low=1, high=10)
    purpose = ExamPurpose.get(data.get("purpose"))
    if purpose is None:
        problems["purpose"] = _l("请选择考试性质（结业考试或练习测验）")
    pass_mark = data.get("pass_mark")
    if not isinstance(pass_mark, (int, float)) or isinstance(pass_mark, bool) or not (0 <= pass_mark <= 100):
        problems["pass_mark"] = _l("及格线应为 0–100（占总分的百分比）")
    elif purpose == ExamPurpose.FORMAL and pass_mark < floor:
        # 统一考核要求: the programme's mark is the floor of every exam that counts for its certificate
        problems["pass_mark"] = _l("结业考试的及格线不能低于项目统一的考试合格分 %(mark)s", mark=floor)
    if ReleasePolicy.get(data.get("release_policy")) is None:
        problems["release_policy"] = _l("请选择成绩公布方式")
    if ReviewPolicy.get(data.get("review_policy")) is None:
        problems["review_policy"] = _l("请选择答案公布方式")
    if data.get("answers_on_submit") and purpose != ExamPurpose.PRACTICE:
        problems["answers_on_submit"] = _l("交卷后立即显示答案只适用于练习测验：结业考试的答案在考试结束后公布")
    limit = data.get("max_tab_switches")
    if limit is not None and not _whole(limit, 0, 100_000):
        problems["max_tab_switches"] = _l("切屏次数上限应为不小于 0 的整数，或留空表示不限")
    return problems


def pass_mark_floor(cohort: Cohort) -> int:
    """The programme's pass mark (统一考核要求), the lowest a formal exam of the cohort may set."""
    return cohort.program.exam_pass_mark


def effective_pass_mark(exam: Exam) -> float:
    """The mark (% of the paper) an attempt is judged by: a formal exam's is never below its
    programme's mark, whatever was stored before the floor was enforced or the programme raised it."""
    if exam.purpose == ExamPurpose.FORMAL:
        return max(exam.pass_mark, pass_mark_floor(exam.cohort))
    return exam.pass_mark


def pass_mark_of():
    """effective_pass_mark as a column expression, in a query through with_programme()."""
    floor = case((Program.exam_pass_mark > Exam.pass_mark, Program.exam_pass_mark), else_=Exam.pass_mark)
    return case((Exam.purpose == ExamPurpose.FORMAL, floor), else_=Exam.pass_mark)


def with_programme(stmt: Select) -> Select:
    """A select over Exam joined to the exam's cohort and programme (for pass_mark_of())."""
    return stmt.join(Cohort, Cohort.id == Exam.cohort_id).join(Program, Program.id == Cohort.program_id)


def save_exam(actor, cohort: Cohort, data: dict[str, Any], exam: Exam | None = None) -> Exam:
    """Create or change an exam's settings. `data` holds SETTINGS_FIELDS (datetimes aware)."""
    require_role(actor, "admin", "institution")
    require_manage(actor, cohort)
    data = {name: data.get(name) for name in SETTINGS_FIELDS}
    data["purpose"] = data["purpose"] or ExamPurpose.FORMAL
    problems = _problems(data, pass_mark_floor(cohort))
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)
    data["title"] = data["title"].strip()
    for name, enum in (("purpose", ExamPurpose), ("release_policy", ReleasePolicy), ("review_policy", ReviewPolicy)):
        data[name] = enum(data[name])
    for flag in FLAGS:
        data[flag] = bool(data[flag])
    if exam is not None and data["multiple_partial"] != exam.multiple_partial and has_attempts(exam):
        # Answers are scored as they are saved (lms.exams.grading.UNANSWERED); the rule is the one
        # every sitting of the exam was scored by, so it cannot change once anyone has started.
        message = _l("已有考生开始作答，不能再更改多选题计分方式")
        raise ValidationFailed(message, {"multiple_partial": message})
    created = exam is None
    if exam is None:
        exam = Exam(cohort=cohort, created_by_id=actor.id, paper_mode=PaperMode.BLUEPRINT)
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
        raise Conflict(_l("已有学员作答，不能再修改试卷；如需调整请新建考试"))
    apply(exam)
    db.session.flush()
    audit.record(actor, "exam.paper", exam, mode=exam.paper_mode)


# ---- extensions and release ------------------------------------------------------------

def extensions_of(exam: Exam) -> list[TimeExtension]:
    return list(db.session.scalars(select(TimeExtension).where(TimeExtension.exam_id == exam.id)
                                   .order_by(TimeExtension.id)))


def set_extension_for(actor, exam: Exam, username: str, minutes: int, reason: str = "") -> TimeExtension | None:
    """set_extension for the trainee with this username (as staff type it)."""
    user_id = db.session.scalar(select(User.id).where(User.username == (username or "").strip().lower()))
    return set_extension(actor, exam, user_id if user_id is not None else -1, minutes, reason)


def set_extension(actor, exam: Exam, user_id: int, minutes: int, reason: str = "") -> TimeExtension | None:
    """Give one enrolled trainee extra minutes (0 removes). Applies to attempts started afterwards."""
    require_manage(actor, exam)
    if not _whole(minutes, 0, 600):
        raise ValidationFailed(_l("延长时间应为 0–600 分钟"), {"minutes": _l("应为 0–600 的整数")})
    enrolled = db.session.scalar(select(Application.id).where(
        Application.cohort_id == exam.cohort_id, Application.user_id == user_id, Application.status == ApplicationStatus.APPROVED))
    if enrolled is None:
        raise ValidationFailed(_l("该学员不在本班次"), {"user": _l("不是本班次的学员")})
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
        raise Conflict(_l("成绩已公布"))
    exam.released_at = utcnow()
    audit.record(actor, "exam.release", exam)
