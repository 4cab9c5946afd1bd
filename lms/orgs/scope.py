"""Region scope: a bureau officer sees what lies in their region subtree (admins: everything).

Regions carry a materialized path (`/1/5/`), so a subtree is one prefix match. A person belongs
to the region of their enterprise (DESIGN §9): `enterprise_people_clause` is that rule, once.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from lms.core.permissions import enterprise_ids, is_admin
from lms.extensions import db
from lms.orgs.models import Enterprise, Region


def region_subtree_ids(*region_ids: int) -> Select:
    """Ids of the given regions and everything below them."""
    prefixes = db.session.scalars(select(Region.path).where(Region.id.in_(region_ids))).all()
    if not prefixes:
        return select(Region.id).where(false())
    return select(Region.id).where(or_(*(Region.path.startswith(p, autoescape=True) for p in prefixes)))


def region_clause(actor, region_id_column) -> ColumnElement[bool]:
    """Rows whose region is within the actor's region scope (admin: all; bureau: its subtree)."""
    if is_admin(actor):
        return true()
    region_ids = [g.region_id for g in actor.grants_for("bureau")] if actor is not None else []
    if not region_ids:
        return false()
    return region_id_column.in_(region_subtree_ids(*region_ids))


def enterprise_people_clause(actor, enterprise_column) -> ColumnElement[bool]:
    """Rows about people of enterprises the actor sees people of: enterprise HR its own
    enterprises, a bureau the enterprises in its region subtree (whoever trained the people),
    admins all. Appointments, filings, the talent pool and CE standing all read people this way."""
    if is_admin(actor):
        return true()
    in_region = select(Enterprise.id).where(region_clause(actor, Enterprise.region_id))
    return or_(enterprise_column.in_(sorted(enterprise_ids(actor)) or [-1]), enterprise_column.in_(in_region))
