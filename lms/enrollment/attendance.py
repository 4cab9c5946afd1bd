"""Attendance: staff marking, per-module hours and the progress against the program's
attendance requirement (what exams and certificates rely on)."""
from __future__ import annotations

from dataclasses import dataclass

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.core import audit
from lms.core.errors import ValidationFailed
from lms.core.time import utcnow
from lms.enrollment.cohorts import require_manage
from lms.enrollment.enums import CREDITED, ApplicationStatus, AttendanceMethod, AttendanceStatus
from lms.enrollment.models import Application, Attendance, CohortSession
from lms.extensions import db


@dataclass(frozen=True)
class Progress:
    """An enrollment's attendance: hours credited per module code, the total against the
    program's curriculum hours, the ratio, and whether the exam's attendance requirement is met."""

    hours_by_module: dict[str, float]
    hours_required_by_module: dict[str, float]
    hours_done: float
    hours_required: float
    ratio: float
    min_ratio: float
    requirement_met: bool


def progress(application: Application) -> Progress:
    return progress_of([application])[application.id]


def progress_of(applications: list[Application]) -> dict[int, Progress]:
    """Progress of several enrollments (a batch of certificates) from one query."""
    rows: dict[int, list] = {a.id: [] for a in applications}
    for application_id, hours, module_id, status in db.session.execute(
            select(Attendance.application_id, CohortSession.hours, CohortSession.module_id, Attendance.status)
            .join(CohortSession, Attendance.session_id == CohortSession.id)
            .where(Attendance.application_id.in_(list(rows)))):
        rows[application_id].append((hours, module_id, status))
    return {a.id: _progress(a.cohort.program, rows[a.id]) for a in applications}


def _progress(program, rows) -> Progress:
    required = {m.code: float(m.hours) for m in program.modules}
    done = {code: 0.0 for code in required}
    codes = {m.id: m.code for m in program.modules}
    for hours, module_id, status in rows:
        if status in CREDITED and module_id in codes:
            done[codes[module_id]] += float(hours)
    # hours beyond a module's requirement do not make up for another module
    hours_done = round(sum(min(done[c], required[c]) for c in required), 2)
    hours_required = round(sum(required.values()), 2)
    ratio = round(hours_done / hours_required, 4) if hours_required else 0.0
    return Progress(done, required, hours_done, hours_required, ratio, program.min_attendance_ratio,
                    hours_required > 0 and ratio + 1e-9 >= program.min_attendance_ratio)


def attendance_requirement_met(application: Application) -> bool:
    return application.status == ApplicationStatus.APPROVED and progress(application).requirement_met


def enrolled_in(cohort_id: int) -> list[Application]:
    return list(db.session.scalars(select(Application).where(
        Application.cohort_id == cohort_id, Application.status == ApplicationStatus.APPROVED).order_by(Application.id)))


def attendance_of(session: CohortSession) -> dict[int, Attendance]:
    return {a.application_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id))}


def record_attendance(actor, session: CohortSession, application: Application, status: AttendanceStatus,
                      method: AttendanceMethod) -> Attendance:
    """Set one enrollment's status for a session (insert or update)."""
    row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                     Attendance.application_id == application.id))
    if row is None:
        row = Attendance(session_id=session.id, application_id=application.id)
        db.session.add(row)
    row.status, row.method = status, method
    row.recorded_by_id, row.recorded_at = getattr(actor, "id", None), utcnow()
    return row


def mark_attendance(actor, session: CohortSession, records: dict[int, Any],
                    method: AttendanceMethod = AttendanceMethod.STAFF) -> int:
    """Staff mark a session: `records` maps application id -> status. All or nothing."""
    require_manage(actor, session.cohort)
    enrolled = {a.id: a for a in enrolled_in(session.cohort_id)}
    problems: dict[str, Any] = {}
    for application_id, status in records.items():
        if application_id not in enrolled:
            problems[f"records.{application_id}"] = _l("该学员未录取在本班次")
        elif AttendanceStatus.get(status) is None or not isinstance(status, str):
            problems[f"records.{application_id}"] = _l("考勤状态应为 %(values)s 之一",
                                                       values=", ".join(AttendanceStatus.values()))
    if problems:
        raise ValidationFailed(_l("考勤记录有误"), problems)
    for application_id, status in records.items():
        record_attendance(actor, session, enrolled[application_id], AttendanceStatus(status), method)
    audit.record(actor, "attendance.mark", session, count=len(records), method=method)
    return len(records)
