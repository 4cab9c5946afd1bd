"""What each role's home page shows besides the panels other domains contribute."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts import services as accounts
from lms.accounts.roles import Role
from lms.core.pagination import count_rows
from lms.orgs import services as orgs

HOME_TITLES = {
    Role.ADMIN: _l("管理工作台"),
    Role.BUREAU: _l("区局工作台"),
    Role.INSTITUTION: _l("机构工作台"),
    Role.GRADER: _l("阅卷工作台"),
    Role.ENTERPRISE: _l("企业工作台"),
    Role.TRAINEE: _l("学员首页"),
}


def home_role(actor, role: str) -> Role | None:
    """The role whose home page `actor` asked for, if the actor holds it."""
    role = Role.get(role)
    return role if role is not None and actor.has_role(role) else None


def home_context(actor, role: Role) -> dict:
    """The counts and cards of `role`'s home page for `actor`."""
    if role == Role.ADMIN:
        return {"counts": {**orgs.counts(), "users": accounts.count_users()}}
    if role == Role.BUREAU:
        return {"regions": [g.region for g in actor.grants_for(Role.BUREAU)],
                "enterprise_count": count_rows(orgs.visible_enterprises(actor))}
    if role in (Role.INSTITUTION, Role.GRADER):
        return {"institutions": orgs.institutions_of(actor, role)}
    if role == Role.ENTERPRISE:
        return {"enterprises": [g.enterprise for g in actor.grants_for(Role.ENTERPRISE)]}
    return {}
