"""Enterprise HR's view of its people: who they are (a filled-in profile naming the enterprise,
or an account that joined by invitation and has no profile yet), and for each their
applications with the eligibility verdict and attendance progress, the exam scores released to
them (of cohorts whose application HR sees), and their certificates with validity.

Also the warning shown before HR nominates someone who already holds a valid certificate.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.invitations import members
from lms.accounts.models import User
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.core.permissions import enterprise_ids
from lms.enrollment import services as enrollment
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.models import Application, Cohort, TraineeProfile
from lms.exams.models import Attempt, AttemptStatus, Exam
from lms.exams.services import is_released
from lms.extensions import db
from lms.orgs.models import Enterprise
from lms.programs.eligibility import evaluate
from lms.programs.models import Program

EXPIRING_DAYS = 90  # a certificate this close to its end is marked for HR


@dataclass
class Employee:
    user: User
    enterprise: Enterprise
    profile: TraineeProfile | None = None
    applications: list[tuple[Application, enrollment.Progress | None]] = field(default_factory=list)
    scores: list[Attempt] = field(default_factory=list)
    certificates: list[tuple[Certificate, str, bool]] = field(default_factory=list)  # (cert, status, expiring soon)
    # open cohorts the person has not applied to, with the verdict their programme's rules give now,
    # and whether the person already holds a valid certificate of that programme or level
    open_cohorts: list[tuple[Cohort, dict, bool]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.profile.name if self.profile else self.user.name

    @property
    def certified(self) -> bool:
        return any(status == CertificateStatus.VALID for _c, status, _soon in self.certificates)


def people(actor) -> list[Employee]:
    """The actor's (HR's) employees: profiles naming its enterprises, then accounts that joined by
    invitation and have not filled in a profile (or whose profile names another enterprise: not listed)."""
    own = enterprise_ids(actor)
    found: dict[int, Employee] = {}
    for profile in enrollment.employees_of(actor):
        found[profile.user_id] = Employee(user=profile.user, enterprise=profile.enterprise, profile=profile)
    invited = [(user, enterprise) for user, enterprise in members(own) if user.id not in found and user.active]
    profiles = enrollment.profiles_by_user([user.id for user, _e in invited]) if invited else {}
    for user, enterprise in invited:
        if user.id not in profiles:  # a profile naming another enterprise means the person moved on
            found.setdefault(user.id, Employee(user=user, enterprise=enterprise))
    return sorted(found.values(), key=lambda e: (e.profile is None, e.name))


def overview(actor, today: date | None = None) -> list[Employee]:
    """people() with each one's applications, released scores and certificates (one query per kind)."""
    today = today or enrollment.local_today()
    staff = people(actor)
    by_user = {e.user.id: e for e in staff}
    cohorts: dict[int, set[int]] = {}
    for application in enrollment.employee_applications(actor):
        if (employee := by_user.get(application.user_id)) is None:
            continue
        progress = enrollment.progress(application) if application.status == ApplicationStatus.APPROVED else None
        employee.applications.append((application, progress))
        cohorts.setdefault(application.user_id, set()).add(application.cohort_id)
    if cohorts:
        attempts = db.session.scalars(
            select(Attempt).join(Exam, Exam.id == Attempt.exam_id).options(selectinload(Attempt.exam))
            .where(Attempt.user_id.in_(list(cohorts)), Attempt.status == AttemptStatus.GRADED)
            .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()))
        for attempt in attempts:
            if attempt.exam.cohort_id in cohorts[attempt.user_id] and is_released(attempt):
                by_user[attempt.user_id].scores.append(attempt)
    for certificate in db.session.scalars(select(Certificate).where(
            Certificate.user_id.in_(list(by_user) or [-1]), Certificate.status != CertificateStatus.SUPERSEDED)
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc())):
        status = certificate.status_on(today)
        soon = status == CertificateStatus.VALID and certificate.valid_until <= today + timedelta(days=EXPIRING_DAYS)
        by_user[certificate.user_id].certificates.append((certificate, status, soon))
    _open_eligibility(staff)
    return staff


def _open_eligibility(staff: list[Employee]) -> None:
    """Each profiled employee's verdict for every cohort taking applications they have not applied to."""
    cohorts = list(db.session.scalars(enrollment.open_cohorts()))
    if not cohorts:
        return
    held = [c for e in staff for c, status, _soon in e.certificates if status == "valid"]
    levels = dict(db.session.execute(select(Program.id, Program.level).where(
        Program.id.in_({c.program_id for c in held} | {c.program_id for c in cohorts}))).all())
    for employee in staff:
        if employee.profile is None:
            continue
        certified = {levels[c.program_id] for c, status, _soon in employee.certificates if status == "valid"}
        applied = {a.cohort_id for a, _p in employee.applications}
        facts = enrollment.profile_facts(employee.profile)
        verdicts: dict[int, dict] = {}
        for cohort in cohorts:
            if cohort.id in applied:
                continue
            if cohort.program_id not in verdicts:
                verdicts[cohort.program_id] = evaluate(cohort.program.eligibility_rules, facts).as_json()
            employee.open_cohorts.append((cohort, verdicts[cohort.program_id], levels[cohort.program_id] in certified))


def certified_warnings(user_id: int, cohort, today: date | None = None) -> list:
    """Before a nomination: the person already holds a valid certificate of this level (or programme)."""
    today = today or enrollment.local_today()
    level = db.session.scalar(select(Program.level).where(Program.id == cohort.program_id))
    warnings = []
    for certificate in db.session.scalars(select(Certificate).where(
            Certificate.user_id == user_id, Certificate.status == CertificateStatus.VALID, Certificate.valid_until >= today)):
        same = certificate.program_id == cohort.program_id or db.session.scalar(
            select(Program.level).where(Program.id == certificate.program_id)) == level
        if same:
            warnings.append(_l("%(name)s已持有有效的合格证 %(cert_no)s（%(program)s，有效期至 %(until)s），"
                               "再次参加同级别培训通常没有必要。",
                               name=certificate.holder_name, cert_no=certificate.cert_no,
                               program=certificate.program_title, until=format_date(certificate.valid_until, "long")))
    return warnings
