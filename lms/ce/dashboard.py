"""Home-page panels: claims to review (staff), my hours this year (people); the claims waiting in
the staff's work-to-do card."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext, ngettext
from sqlalchemy import func, select

from lms.ce import activities, ledger, people
from lms.ce.models import CeActivity
from lms.core.time import utcnow
from lms.dashboard import TodoItem, panel, todo
from lms.enrollment.cohorts import local_today
from lms.extensions import db


@panel("trainee", "ce/panels/my_hours.html", order=30)
def my_hours(user) -> dict | None:
    year = local_today().year
    standing = ledger.standing(user.id, year, with_credits=False)
    upcoming = [r for r in activities.own_registrations(user) if r.activity.ends_at >= utcnow()]
    if not standing.certified and not standing.earned_hours and not upcoming:
        return None
    return {"standing": standing, "upcoming": upcoming[:3]}


def _pending_claims(user) -> int:
    return db.session.scalar(select(func.count()).select_from(people.claims_to_review(user).subquery())) or 0


def _staff(user) -> dict | None:
    pending = _pending_claims(user)
    upcoming = db.session.scalars(activities.managed_activities(user)
                                  .where(CeActivity.ends_at >= utcnow()).limit(5)).all()
    if not pending and not upcoming:
        return None
    return {"pending": pending, "upcoming": upcoming}


for _role in ("admin", "bureau", "institution"):
    panel(_role, "ce/panels/staff.html", order=30)(_staff)


@todo("ce_claims", "institution", "bureau", "admin", order=40)
def claims_todo(user) -> TodoItem:
    """Declared CE hours waiting for the certificate's institution or the person's bureau."""
    n = _pending_claims(user)
    label = ngettext("份学时申报待审核", "份学时申报待审核", n) if n else gettext("暂无待审核的学时申报")
    return TodoItem("ce_claims", label, n, url_for("ce.claim_queue"))
