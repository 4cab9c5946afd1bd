"""The permission layer: roles, and the scope filters every query of scoped data uses.

Object-level rule: a service looks an object up *through* the actor's scope filter, so
an object outside the scope is simply not found (404), and ids cannot be probed.
"""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from lms.core.errors import Forbidden, NotFound
from lms.extensions import db

T = TypeVar("T")


def require_role(actor, *roles: str) -> None:
    """Refuse (403) an actor holding none of `roles`."""
    if actor is None or not actor.has_role(*roles):
        raise Forbidden("您没有执行此操作的权限")


def is_admin(actor) -> bool:
    return actor is not None and actor.has_role("admin")


def region_subtree_ids(*region_ids: int) -> Select:
    """Ids of the given regions and everything below them."""
    from lms.orgs.models import Region

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


def institution_ids(actor, *roles: str) -> set[int]:
    """Institutions the actor works for in `roles` (default: staff and graders)."""
    roles = roles or ("institution", "grader")
    if actor is None:
        return set()
    return {g.institution_id for g in actor.grants if g.role in roles and g.institution_id}


def enterprise_ids(actor) -> set[int]:
    if actor is None:
        return set()
    return {g.enterprise_id for g in actor.grants_for("enterprise")}


def one_or_404(stmt: Select[tuple[T]]) -> T:
    """The single row of a scoped query, or NotFound."""
    found = db.session.scalars(stmt).first()
    if found is None:
        raise NotFound("未找到该对象，或您无权查看")
    return found
