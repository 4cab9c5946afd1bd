"""The permission layer: roles and the scope an actor works in (regions: lms.orgs.scope).

Object-level rule: a service looks an object up *through* the actor's scope filter, so
an object outside the scope is simply not found (404), and ids cannot be probed.
"""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select

from flask_babel import lazy_gettext as _l

from lms.core.errors import Forbidden, NotFound
from lms.extensions import db

T = TypeVar("T")


def require_role(actor, *roles: str) -> None:
    """Refuse (403) an actor holding none of `roles`."""
    if actor is None or not actor.has_role(*roles):
        raise Forbidden(_l("您没有执行此操作的权限"))


def is_admin(actor) -> bool:
    return actor is not None and actor.has_role("admin")


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
        raise NotFound(_l("未找到该对象，或您无权查看"))
    return found
