"""What an enrollment must have met before its certificate is issued: a registry of checks.

Each check takes the application (the enrollment), the issue date and the certificate data
that would be printed, and returns None when met or a Chinese sentence saying what is missing.
A refusal lists every unmet requirement at once.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lms.certificates.fonts import GlyphMissing
from lms.certificates.render import CertificateData, check_glyphs
from lms.certificates.templates import CertificateTemplate
from lms.core.errors import ValidationFailed
from lms.enrollment.attendance import progress
from lms.enrollment.models import Application

Check = Callable[[Application, date, CertificateData, CertificateTemplate], "str | None"]


def exam_passed(application: Application) -> bool:
    from lms.exams.services import passed_exam  # imported late: exams builds on enrollment too

    return passed_exam(application)


def _attendance(application, day, data, template) -> str | None:
    if application.status != "approved":
        return "该报名未被录取，不是本班次学员"
    result = progress(application)
    if result.requirement_met:
        return None
    return (f"出勤学时不足：已完成 {result.hours_done:g} / {result.hours_required:g} 学时，"
            f"应不少于 {result.min_ratio:.0%}")


def _exam(application, day, data, template) -> str | None:
    return None if exam_passed(application) else "尚未通过本班次的结业考试"


def _assignment(application, day, data, template) -> str | None:
    if not application.cohort.program.assignment_required or application.assignment_passed:
        return None
    if application.assignment_passed is False:
        return "结业作业评定为不合格"
    return "结业作业尚未评定（本项目要求结业作业合格）"


def _accreditation(application, day, data, template) -> str | None:
    institution = application.cohort.institution
    if institution.accredited_on(day):
        return None
    return (f"承办机构“{institution.name}”的培训资质在发证日 {day.isoformat()} 不在有效期内"
            f"（{institution.accredited_from.isoformat()} 至 {institution.accredited_until.isoformat()}）")


def _glyphs(application, day, data, template) -> str | None:
    try:
        check_glyphs(template, data)
    except GlyphMissing as error:
        return error.message
    return None


REQUIREMENTS: dict[str, Check] = {
    "attendance": _attendance,
    "exam": _exam,
    "assignment": _assignment,
    "accreditation": _accreditation,
    "glyphs": _glyphs,
}


class RequirementsUnmet(ValidationFailed):
    """The certificate cannot be issued; `fields` maps each unmet requirement to its reason."""


def unmet(application: Application, day: date, data: CertificateData,
          template: CertificateTemplate) -> dict[str, str]:
    reasons = {}
    for name, check in REQUIREMENTS.items():
        reason = check(application, day, data, template)
        if reason:
            reasons[name] = reason
    return reasons


def require_all(application: Application, day: date, data: CertificateData, template: CertificateTemplate) -> None:
    reasons = unmet(application, day, data, template)
    if reasons:
        raise RequirementsUnmet("不能颁发合格证：" + "；".join(reasons.values()), reasons)
