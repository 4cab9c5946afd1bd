"""What an enrollment must have met before its certificate is issued: a registry of checks.

Each check takes the Facts of one enrollment (the application, the issue date, the
certificate data that would be printed, its attendance progress and exam result) and
returns None when met or a sentence saying what is missing (lazily translated: the reader's
language when shown). facts_for() gathers
the facts of many enrollments with one query per kind (a batch), or of one (a single issue):
the same rules either way. A refusal lists every unmet requirement at once.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from lms.certificates.fonts import GlyphMissing
from lms.certificates.render import CertificateData, check_glyphs
from lms.certificates.templates import CertificateTemplate
from lms.core.errors import ValidationFailed
from lms.enrollment.attendance import Progress, progress_of
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.models import Application


@dataclass(frozen=True)
class Facts:
    """What the checks look at for one enrollment."""

    application: Application
    day: date
    data: CertificateData
    template: CertificateTemplate
    attendance: Progress
    exam_passed: bool


Check = Callable[[Facts], "str | None"]  # the reason is a lazily translated string


def exams_passed(applications: list[Application]) -> set[int]:
    """Ids of the applications whose trainee passed a formal exam of their cohort."""
    from lms.exams.services import passed_users  # imported late: exams builds on enrollment too

    by_cohort: dict[int, list[Application]] = defaultdict(list)
    for application in applications:
        by_cohort[application.cohort_id].append(application)
    passed: set[int] = set()
    for cohort_id, group in by_cohort.items():
        users = passed_users(cohort_id, {a.user_id for a in group})
        passed.update(a.id for a in group if a.user_id in users)
    return passed


def facts_for(applications: list[Application], day: date, data: dict[int, CertificateData],
              template: CertificateTemplate) -> dict[int, Facts]:
    """The facts of each application (by id); `data` maps application id -> what would be printed."""
    progress = progress_of(applications)
    passed = exams_passed(applications)
    return {a.id: Facts(a, day, data[a.id], template, progress[a.id], a.id in passed) for a in applications}


def _attendance(facts: Facts) -> str | None:
    if facts.application.status != ApplicationStatus.APPROVED:
        return _l("该报名未被录取，不是本班次学员")
    result = facts.attendance
    if result.requirement_met:
        return None
    return _l("出勤学时不足：已完成 %(done)s / %(required)s 学时，应不少于 %(ratio)s",
              done=f"{result.hours_done:g}", required=f"{result.hours_required:g}", ratio=f"{result.min_ratio:.0%}")


def _exam(facts: Facts) -> str | None:
    return None if facts.exam_passed else _l("尚未通过本班次的结业考试")


def _assignment(facts: Facts) -> str | None:
    application = facts.application
    if not application.cohort.program.assignment_required or application.assignment_passed:
        return None
    if application.assignment_passed is False:
        return _l("结业作业评定为不合格")
    return _l("结业作业尚未评定（本项目要求结业作业合格）")


def _accreditation(facts: Facts) -> str | None:
    institution, day = facts.application.cohort.institution, facts.day
    if institution.accredited_on(day):
        return None
    return _l("承办机构“%(name)s”的培训资质在发证日 %(day)s 不在有效期内（%(start)s 至 %(end)s）",
              name=institution.name, day=day.isoformat(), start=institution.accredited_from.isoformat(),
              end=institution.accredited_until.isoformat())


def glyph_problem(data: CertificateData, template: CertificateTemplate) -> str | None:
    """Why the template's fonts cannot print `data`, or None (also checked alone for a reissue)."""
    try:
        check_glyphs(template, data)
    except GlyphMissing as error:
        return error.message
    return None


def _glyphs(facts: Facts) -> str | None:
    return glyph_problem(facts.data, facts.template)


REQUIREMENTS: dict[str, Check] = {
    "attendance": _attendance,
    "exam": _exam,
    "assignment": _assignment,
    "accreditation": _accreditation,
    "glyphs": _glyphs,
}


class RequirementsUnmet(ValidationFailed):
    """The certificate cannot be issued; `fields` maps each unmet requirement to its reason."""


def refusal(reasons: dict[str, str]) -> RequirementsUnmet:
    """The refusal: its message says the certificate cannot be issued, its fields why (shown
    together in the reader's language: lms.web.error_text)."""
    return RequirementsUnmet(_l("不能颁发合格证"), reasons)


def unmet(facts: Facts) -> dict[str, str]:
    reasons = {}
    for name, check in REQUIREMENTS.items():
        reason = check(facts)
        if reason:
            reasons[name] = reason
    return reasons


def require_all(facts: Facts) -> None:
    reasons = unmet(facts)
    if reasons:
        raise refusal(reasons)
