"""Who may do what in continuing education, named once. Services, views and templates use these.

- Organizers: an activity or a course belongs to an institution (its staff manage it) or, with
  no institution, to a bureau's region (bureaus whose subtree holds it manage it); admins all.
- People: a person belongs to the region of their enterprise (DESIGN §9). Their CE standing is
  seen by themselves, their enterprise HR and bureaus whose subtree holds that region.
- Claims are reviewed by staff of an institution that issued the person a certificate (not
  revoked) or by a bureau in whose subtree the person's enterprise lies; admins all.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, false, or_, select, true

from lms.accounts.models import User
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.core.errors import Forbidden, NotFound
from lms.core.permissions import institution_ids, is_admin
from lms.enrollment.models import TraineeProfile
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution, Region
from lms.orgs.scope import enterprise_people_clause, region_clause

STAFF_ROLES = ("admin", "bureau", "institution")
SEE_PEOPLE_ROLES = ("admin", "bureau", "enterprise")


# ---- organizers of activities and courses ----------------------------------------------

def organizer_clause(actor, model):
    """Rows of `model` (CeActivity or Course) the actor organizes."""
    if is_admin(actor):
        return true()
    clauses = []
    if own := institution_ids(actor, "institution"):
        clauses.append(model.institution_id.in_(sorted(own)))
    if actor is not None and actor.grants_for("bureau"):
        clauses.append(and_(model.institution_id.is_(None), region_clause(actor, model.region_id)))
    return or_(*clauses) if clauses else false()


def can_organize(actor, obj) -> bool:
    if actor is None or not actor.has_role(*STAFF_ROLES):
        return False
    model = type(obj)
    return db.session.scalar(select(model.id).where(model.id == obj.id, organizer_clause(actor, model))) is not None


def require_organize(actor, obj) -> None:
    if not can_organize(actor, obj):
        raise Forbidden(_l("只有组织方可以管理此项"))


def require_publish(actor, obj, refusal) -> None:
    """Change `obj` (an activity or a course): its organizer; publish a new one (`obj` None): staff."""
    if obj is not None:
        require_organize(actor, obj)
    elif not is_organizer(actor):
        raise Forbidden(refusal)


def is_organizer(actor) -> bool:
    """May organize activities and courses at all (staff of an institution, a bureau, an admin)."""
    return actor is not None and actor.has_role(*STAFF_ROLES)


@dataclass(frozen=True)
class Organizer:
    institution_id: int | None
    region_id: int
    name: str

    @property
    def key(self) -> str:
        return f"institution:{self.institution_id}" if self.institution_id else f"region:{self.region_id}"


def organizers(actor) -> list[Organizer]:
    """On whose behalf the actor may publish: their institutions, their bureaus' regions (admins: any)."""
    if is_admin(actor):
        institutions = db.session.scalars(select(Institution).order_by(Institution.code)).all()
        regions = db.session.scalars(select(Region).order_by(Region.path)).all()
    else:
        institutions = [g.institution for g in actor.grants_for("institution")]
        regions = [g.region for g in actor.grants_for("bureau")]
    return ([Organizer(i.id, i.region_id, i.name) for i in institutions]
            + [Organizer(None, r.id, r.full_name) for r in regions])


def pick_organizer(actor, key, problems: dict) -> Organizer | None:
    """The organizer named by `key` (an Organizer.key), default the actor's first; else a problem."""
    choices = organizers(actor)
    if not choices:
        problems["organizer"] = _l("您没有可以发布活动的机构或地区")
        return None
    if key in (None, ""):
        return choices[0]
    found = next((c for c in choices if c.key == key), None)
    if found is None:
        problems["organizer"] = _l("不是您可以代表的组织方")
    return found


# ---- people and their standing ----------------------------------------------------------

def person_region_id(user_id: int) -> int | None:
    return db.session.scalar(select(Enterprise.region_id).join(TraineeProfile, TraineeProfile.enterprise_id == Enterprise.id)
                             .where(TraineeProfile.user_id == user_id))


def people_in_scope(actor) -> Select:
    """Ids of the people whose CE standing the actor sees besides their own: an enterprise HR's
    employees, the people of enterprises in a bureau's subtree (admins: everyone with a profile)."""
    return select(TraineeProfile.user_id).where(enterprise_people_clause(actor, TraineeProfile.enterprise_id))


def can_see_person(actor, user_id: int) -> bool:
    if actor is not None and actor.id == user_id:
        return True
    if actor is None or not actor.has_role(*SEE_PEOPLE_ROLES):
        return False
    return db.session.scalar(people_in_scope(actor).where(TraineeProfile.user_id == user_id)) is not None


def visible_person(actor, user_id: int) -> User:
    """The person, if the actor may see their standing; otherwise not found (404)."""
    user = db.session.get(User, user_id) if can_see_person(actor, user_id) else None
    if user is None:
        raise NotFound(_l("未找到该人员，或您无权查看"))
    return user


# ---- reviewing declared hours -----------------------------------------------------------

def claim_review_clause(actor, user_id_column):
    """Claims (by their person's user id column) the actor reviews."""
    if is_admin(actor):
        return true()
    clauses = []
    if own := institution_ids(actor, "institution"):
        clauses.append(user_id_column.in_(select(Certificate.user_id).where(
            Certificate.institution_id.in_(sorted(own)), Certificate.status != CertificateStatus.REVOKED)))
    if actor is not None and actor.grants_for("bureau"):
        clauses.append(user_id_column.in_(
            select(TraineeProfile.user_id).join(Enterprise, Enterprise.id == TraineeProfile.enterprise_id)
            .where(region_clause(actor, Enterprise.region_id))))
    return or_(*clauses) if clauses else false()


def can_review(actor, claim) -> bool:
    if actor is None or not actor.has_role(*STAFF_ROLES):
        return False
    return db.session.scalar(select(User.id).where(User.id == claim.user_id,
                                                   claim_review_clause(actor, User.id))) is not None


def require_review(actor, claim) -> None:
    if not can_review(actor, claim):
        raise Forbidden(_l("只有持证人的发证机构或所在地区的市场监管局可以审核"))


def is_person(actor) -> bool:
    """A learner: registers, learns, declares hours."""
    return actor is not None and actor.has_role("trainee")


def require_person(actor) -> None:
    if not is_person(actor):
        raise Forbidden(_l("继续教育的报名、学习和学时申报面向学员账户"))
