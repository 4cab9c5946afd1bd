"""GET /me: the caller's account and roles, and what other domains add about them."""
from collections.abc import Callable
from typing import Any

from lms.accounts.roles import Role, ScopeKind
from lms.api.base import api_route, caller
from lms.api.openapi import SCHEMAS, schema

ROLE_GRANT_SCHEMA = schema("RoleGrant", {
    "type": "object", "required": ["role", "scope"],
    "properties": {
        "role": {"enum": list(Role.values())},
        "scope": {
            "oneOf": [
                {"type": "null"},
                {"type": "object", "required": ["type", "code", "name"], "properties": {
                    "type": {"enum": list(ScopeKind.values())},
                    "code": {"type": "string"}, "name": {"type": "string"}}},
            ]
        },
    },
})
USER_SCHEMA = schema("User", {
    "type": "object", "required": ["id", "username", "name", "roles"],
    "properties": {
        "id": {"type": "integer"},
        "username": {"type": "string"},
        "name": {"type": "string"},
        "phone": {"type": ["string", "null"]},
        "email": {"type": ["string", "null"]},
        "roles": {"type": "array", "items": ROLE_GRANT_SCHEMA},
    },
})
# name -> (user -> JSON value); e.g. enrollment adds "profile"
ME_SECTIONS: dict[str, Callable[[Any], Any]] = {}


def add_me_section(name: str, json_schema: dict, build: Callable[[Any], Any]) -> None:
    """Let a domain add a member to the User object (GET /me, registration): its value is
    `build(user)` for a saved user, else null."""
    SCHEMAS["User"]["properties"][name] = {"oneOf": [{"type": "null"}, json_schema]}
    ME_SECTIONS[name] = build


def _scope_json(grant):
    if grant.region is not None:
        return {"type": ScopeKind.REGION.value, "code": grant.region.code, "name": grant.region.name}
    if grant.institution is not None:
        return {"type": ScopeKind.INSTITUTION.value, "code": grant.institution.code, "name": grant.institution.name}
    if grant.enterprise is not None:
        return {"type": ScopeKind.ENTERPRISE.value, "code": grant.enterprise.uscc, "name": grant.enterprise.name}
    return None


def user_json(user) -> dict:
    data = {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "phone": user.phone,
        "email": user.email,
        "roles": [{"role": g.role.value, "scope": _scope_json(g)} for g in user.grants],
    }
    for name, build in ME_SECTIONS.items():
        data[name] = build(user) if user.id else None
    return data


@api_route("/me", "GET", summary="当前用户", tags=["me"], responses={"200": ("当前用户", USER_SCHEMA)})
def me():
    return user_json(caller())
