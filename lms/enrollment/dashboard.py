"""Home-page panels for enrollment: what each role has waiting."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.dashboard import panel
from lms.enrollment import services
from lms.enrollment.models import Application, Cohort
from lms.extensions import db

PENDING = ("eligible", "review")


def _pending_by_cohort(cohort_ids: list[int]) -> dict[int, int]:
    if not cohort_ids:
        return {}
    rows = db.session.execute(select(Application.cohort_id, func.count(Application.id))
                              .where(Application.cohort_id.in_(cohort_ids), Application.status.in_(PENDING))
                              .group_by(Application.cohort_id))
    return dict(rows.all())


@panel("trainee", "enrollment/panels/trainee.html", order=10)
def trainee_panel(user) -> dict:
    applications = services.own_applications(user)
    enrolled = [(a, services.progress(a)) for a in applications if a.status == "approved"]
    return {"applications": applications, "enrolled": enrolled,
            "has_profile": services.profile_of(user) is not None,
            "open_count": db.session.scalar(select(func.count()).select_from(services.open_cohorts().subquery()))}


def _staff_cohorts(user) -> dict | None:
    cohorts = db.session.scalars(services.visible_cohorts(user).where(Cohort.ends_on >= services.local_today())
                                 .limit(20)).all()
    return {"cohorts": cohorts, "pending": _pending_by_cohort([c.id for c in cohorts])}


panel("institution", "enrollment/panels/staff_cohorts.html", order=10)(_staff_cohorts)


@panel("bureau", "enrollment/panels/staff_cohorts.html", order=10)
def bureau_panel(user) -> dict:
    """The cohorts, and how many applications wait across the region: links go to the bureau queue."""
    awaiting = services.awaiting_applications(user).order_by(None).subquery()
    return {**_staff_cohorts(user), "queue": True,
            "awaiting": db.session.scalar(select(func.count()).select_from(awaiting))}


@panel("enterprise", "enrollment/panels/enterprise.html", order=10)
def enterprise_panel(user) -> dict:
    applications = db.session.scalars(services.visible_applications(user)
                                      .where(Application.status != "withdrawn")).all()
    return {"applications": applications}
