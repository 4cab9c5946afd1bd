"""Who may see and do what with appointments and enterprise attributes, named once.

A person belongs to the region of their enterprise: a bureau sees the appointments of the
enterprises in its region subtree (whoever trained the people), enterprise HR those of its
own enterprises, a person their own; admins everything. Objects outside that scope are not
found (404); in scope but not allowed is forbidden (403).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select

from lms.appointments.models import Appointment
from lms.core.errors import Forbidden
from lms.core.permissions import enterprise_ids, is_admin
from lms.extensions import db
from lms.orgs.models import Enterprise, Region
from lms.orgs.scope import enterprise_people_clause, region_clause


def people_clause(actor, enterprise_column, user_column) -> ColumnElement[bool]:
    """Rows about people the actor may see: their own, their enterprise's (HR), their region's
    (bureau, admin). Shared by appointments, filings and the talent pool."""
    return or_(user_column == actor.id, enterprise_people_clause(actor, enterprise_column))


def visible_appointments(actor):
    return select(Appointment).where(people_clause(actor, Appointment.enterprise_id, Appointment.user_id))


def region_in_scope(actor, region_id: int) -> bool:
    if is_admin(actor):
        return True
    return db.session.scalar(select(Region.id).where(Region.id == region_id, region_clause(actor, Region.id))) \
        is not None


# ---- appointing (enterprise HR of that enterprise, admin) -------------------------------------

def require_appointer(actor) -> None:
    """Enterprise HR and admins record appointments (each for the enterprises it may, below)."""
    if not (is_admin(actor) or enterprise_ids(actor)):
        raise Forbidden(_l("只有企业人事联系人或管理员可以办理聘任"))


def can_appoint(actor, enterprise: Enterprise) -> bool:
    return is_admin(actor) or enterprise.id in enterprise_ids(actor)


def require_appoint(actor, enterprise: Enterprise) -> None:
    if not can_appoint(actor, enterprise):
        raise Forbidden(_l("只有本企业的人事联系人或管理员可以办理聘任"))


# ---- enterprise attributes and name (bureaus in scope, admin) ----------------------------------

def can_edit_enterprise(actor, enterprise: Enterprise) -> bool:
    return actor is not None and actor.has_role("admin", "bureau") and region_in_scope(actor, enterprise.region_id)


def require_edit_enterprise(actor, enterprise: Enterprise) -> None:
    if not can_edit_enterprise(actor, enterprise):
        raise Forbidden(_l("只有辖区市场监管部门或管理员可以修改企业信息"))


# ---- posts (admin) ----------------------------------------------------------------------------

def can_manage_posts(actor) -> bool:
    return is_admin(actor)


def require_manage_posts(actor) -> None:
    """Admins; None is the command line."""
    if actor is not None and not can_manage_posts(actor):
        raise Forbidden(_l("只有管理员可以维护岗位"))


# ---- regions ----------------------------------------------------------------------------------

def region_chain(region: Region) -> list[int]:
    """The ids of the region and the regions above it, from the top (read off its materialized path)."""
    return [int(part) for part in region.path.strip("/").split("/") if part]
