"""Demo certificate for `graduate` (called by `flask lms seed-demo`).

Issued only when every requirement is met (the exams demo gives `graduate` a passed attempt);
if one is unmet, nothing is written.
"""
from __future__ import annotations

from sqlalchemy import select

from lms.accounts.models import User
from lms.certificates.issuing import current_certificate, issue
from lms.core.errors import AppError
from lms.enrollment.cohorts import cohort_by_code
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.models import Application
from lms.extensions import db


def seed_certificates() -> None:
    cohort = cohort_by_code("SH-DIR-DONE")
    user = db.session.scalar(select(User).where(User.username == "graduate"))
    if cohort is None or user is None:
        return
    application = db.session.scalar(select(Application).where(
        Application.cohort_id == cohort.id, Application.user_id == user.id, Application.status == ApplicationStatus.APPROVED))
    if application is None or current_certificate(application.id) is not None:
        return
    try:
        issue(None, application)
    except AppError:
        return  # a requirement is unmet; nothing was written
    db.session.flush()
