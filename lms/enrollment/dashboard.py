"""Home-page panels for enrollment: what each role has waiting."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext, ngettext
from sqlalchemy import func, select

from lms.core.time import utcnow
from lms.dashboard import TodoItem, panel, todo
from lms.enrollment import services
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.models import Application, Cohort
from lms.enrollment.timetable import started
from lms.extensions import db


def _pending_by_cohort(cohort_ids: list[int]) -> dict[int, int]:
    if not cohort_ids:
        return {}
    rows = db.session.execute(select(Application.cohort_id, func.count(Application.id))
                              .where(Application.cohort_id.in_(cohort_ids), Application.status.in_(services.AWAITING))
                              .group_by(Application.cohort_id))
    return dict(rows.all())


@panel("trainee", "enrollment/panels/trainee.html", order=10)
def trainee_panel(user) -> dict:
    applications = services.own_applications(user)
    now = utcnow()
    enrolled = [(a, services.progress(a), started(a.cohort, now))
                for a in applications if a.status == ApplicationStatus.APPROVED]
    return {"enrolled": enrolled, "has_profile": services.profile_of(user) is not None,
            "others": [a for a in applications if a.status != ApplicationStatus.APPROVED],
            "open_count": services.count(services.open_cohorts())}


def _staff_cohorts(user) -> dict | None:
    cohorts = db.session.scalars(services.visible_cohorts(user).where(Cohort.ends_on >= services.local_today())
                                 .limit(20)).all()
    return {"cohorts": cohorts, "pending": _pending_by_cohort([c.id for c in cohorts])}


panel("institution", "enrollment/panels/staff_cohorts.html", order=10)(_staff_cohorts)


@panel("bureau", "enrollment/panels/staff_cohorts.html", order=10)
def bureau_panel(user) -> dict:
    """The cohorts, and how many applications wait across the region: links go to the bureau queue."""
    return {**_staff_cohorts(user), "queue": True, "awaiting": services.count(services.awaiting_applications(user))}


@panel("enterprise", "enrollment/panels/enterprise.html", order=10)
def enterprise_panel(user) -> dict:
    applications = db.session.scalars(services.visible_applications(user)
                                      .where(Application.status != ApplicationStatus.WITHDRAWN)).all()
    return {"applications": applications}


@todo("applications", "institution", "bureau", "admin", order=10)
def applications_todo(user) -> TodoItem:
    """Applications the rule engine has checked and staff have not decided (the review queue)."""
    n = services.count(services.awaiting_applications(user))
    label = ngettext("份报名待审核", "份报名待审核", n) if n else gettext("暂无待审核的报名")
    return TodoItem("applications", label, n, url_for("enrollment.bureau_queue"))
