"""Who may see and act on filings and the talent pool, named once.

- the person: their own filings, in every state; edits and submits a draft or returned one;
- enterprise HR: its employees' filings once submitted; endorses or returns a submitted one;
- a bureau: filings (once submitted) and pool entries of enterprises in its region subtree,
  whoever trained the people; a bureau at city level or above whose subtree holds the
  enterprise accepts or returns an endorsed filing;
- admins: everything, and accept anywhere.
Out of scope is not found (404); in scope but not allowed is forbidden (403).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from lms.accounts.models import RoleGrant
from lms.accounts.roles import Role
from lms.appointments.access import people_clause, region_chain
from lms.core.errors import Forbidden
from lms.core.permissions import enterprise_ids, is_admin, require_role
from lms.extensions import db
from lms.orgs.models import RegionLevel
from lms.orgs.models import Enterprise, Region
from lms.orgs.scope import region_clause
from lms.talent.models import Filing, FilingStatus, TalentEntry

ACCEPTING_LEVELS = ("city", "province")


def visible_filings(actor):
    return select(Filing).where(or_(
        Filing.user_id == actor.id,
        and_(Filing.status != FilingStatus.DRAFT, people_clause(actor, Filing.enterprise_id, Filing.user_id))))


def visible_entries(actor):
    """Talent pool entries of enterprises in the actor's region scope (bureaus, admins)."""
    require_pool(actor)
    return select(TalentEntry).join(Enterprise, Enterprise.id == TalentEntry.enterprise_id).where(
        region_clause(actor, Enterprise.region_id))


def can_edit(actor, filing: Filing) -> bool:
    return filing.user_id == actor.id


def require_edit(actor, filing: Filing) -> None:
    if not can_edit(actor, filing):
        raise Forbidden(_l("只有本人可以填写和提交备案表"))


def can_endorse(actor, filing: Filing) -> bool:
    return filing.enterprise_id in enterprise_ids(actor)


def require_endorse(actor, filing: Filing) -> None:
    if not can_endorse(actor, filing):
        raise Forbidden(_l("只有本企业的人事联系人可以确认备案表"))


def accepting_regions(actor) -> list[Region]:
    """The regions at city level or above the actor accepts filings for as a bureau."""
    return [g.region for g in actor.grants_for("bureau") if g.region.level in ACCEPTING_LEVELS]


def can_accept(actor, filing: Filing) -> bool:
    if is_admin(actor):
        return True
    chain = set(region_chain(filing.enterprise.region))
    return any(region.id in chain for region in accepting_regions(actor))


def require_accept(actor, filing: Filing) -> None:
    if not can_accept(actor, filing):
        raise Forbidden(_l("受理备案需由企业所在地市级以上市场监管部门或管理员办理"))


def can_return(actor, filing: Filing) -> bool:
    """HR returns what waits for its endorsement, the accepting bureau what waits for acceptance."""
    if filing.status == FilingStatus.SUBMITTED:
        return can_endorse(actor, filing)
    return filing.status == FilingStatus.ENDORSED and can_accept(actor, filing)


def require_return(actor, filing: Filing) -> None:
    if not can_return(actor, filing):
        raise Forbidden(_l("您不能退回这份备案表"))


def can_search_pool(actor) -> bool:
    return actor is not None and actor.has_role("admin", "bureau")


def require_pool(actor) -> None:
    require_role(actor, "admin", "bureau")


# ---- who is told what comes next ---------------------------------------------------------------

def hr_of(enterprise_id: int) -> list[int]:
    return list(db.session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.role == Role.ENTERPRISE, RoleGrant.enterprise_id == enterprise_id).distinct()))


def acceptors_of(enterprise: Enterprise) -> list[int]:
    """Bureau officers at city level or above whose region holds the enterprise."""
    return list(db.session.scalars(select(RoleGrant.user_id).join(Region, Region.id == RoleGrant.region_id).where(
        RoleGrant.role == Role.BUREAU, RoleGrant.region_id.in_(region_chain(enterprise.region)),
        Region.level.in_(ACCEPTING_LEVELS)).distinct()))


def filing_unit(region: Region) -> Region:
    """The bureau that files for an enterprise's region: the nearest city at or above it, else
    the top of the tree (a municipality such as 上海市 files for its districts)."""
    chain = {r.id: r for r in db.session.scalars(select(Region).where(Region.id.in_(region_chain(region))))}
    ordered = [chain[i] for i in region_chain(region)]
    cities = [r for r in ordered if r.level == RegionLevel.CITY]
    return cities[-1] if cities else ordered[0]
