"""Reads for the CE pages: the standing of the people in an actor's scope, what the person hub
and the staff hub show besides the ledger."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from lms.accounts.models import User
from lms.ce import access, ledger
from lms.ce.enums import ClaimStatus
from lms.ce.models import CeClaim
from lms.certificates.models import Certificate
from lms.enrollment.models import TraineeProfile
from lms.extensions import db
from lms.orgs.models import Enterprise

LIST_LIMIT = 500


@dataclass
class PersonRow:
    user: User
    enterprise: str
    standing: ledger.Standing


def certified_in_scope(actor, year: int, query: str = "") -> list[tuple[User, str]]:
    """People in the actor's scope holding a certificate valid during `year` (name filter)."""
    stmt = (select(User, Enterprise.name).join(TraineeProfile, TraineeProfile.user_id == User.id)
            .join(Enterprise, Enterprise.id == TraineeProfile.enterprise_id, isouter=True)
            .where(User.id.in_(access.people_in_scope(actor)),
                   User.id.in_(select(Certificate.user_id).where(*ledger.valid_during(year))))
            .order_by(TraineeProfile.name, User.id).limit(LIST_LIMIT))
    if query:
        stmt = stmt.where(TraineeProfile.name.contains(query, autoescape=True))
    return [(user, enterprise or "") for user, enterprise in db.session.execute(stmt).all()]


def standing_list(actor, year: int, query: str = "") -> list[PersonRow]:
    people = certified_in_scope(actor, year, query)
    found = ledger.standings([user.id for user, _e in people], year)
    return [PersonRow(user, enterprise, found[user.id]) for user, enterprise in people]


def claims_to_review(actor):
    return (select(CeClaim).where(access.claim_review_clause(actor, CeClaim.user_id),
                                  CeClaim.status == ClaimStatus.PENDING)
            .order_by(CeClaim.submitted_at, CeClaim.id))


def staff_counts(actor) -> dict:
    pending = db.session.scalar(select(func.count()).select_from(claims_to_review(actor).subquery())) \
        if access.is_organizer(actor) else 0
    return {"pending_claims": pending or 0}


def extras(person) -> dict:
    """What the person hub shows besides the ledger and activities."""
    claims = db.session.scalars(select(CeClaim).where(CeClaim.user_id == person.id)
                                .order_by(CeClaim.submitted_at.desc()).limit(50)).all()
    return {"claims": claims}
