"""GET /me: the caller's account and roles."""
from lms.api.base import api_route, caller
from lms.api.enrollment_schemas import PROFILE
from lms.api.openapi import schema

ROLE_GRANT_SCHEMA = schema("RoleGrant", {
    "type": "object", "required": ["role", "scope"],
    "properties": {
        "role": {"enum": ["admin", "bureau", "institution", "grader", "enterprise", "trainee"]},
        "scope": {
            "oneOf": [
                {"type": "null"},
                {"type": "object", "required": ["type", "code", "name"], "properties": {
                    "type": {"enum": ["region", "institution", "enterprise"]},
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
        "roles": {"type": "array", "items": ROLE_GRANT_SCHEMA},
        "profile": {"oneOf": [{"type": "null"}, PROFILE]},
    },
})


def _scope_json(grant):
    if grant.region is not None:
        return {"type": "region", "code": grant.region.code, "name": grant.region.name}
    if grant.institution is not None:
        return {"type": "institution", "code": grant.institution.code, "name": grant.institution.name}
    if grant.enterprise is not None:
        return {"type": "enterprise", "code": grant.enterprise.uscc, "name": grant.enterprise.name}
    return None


def user_json(user) -> dict:
    from lms.enrollment.profiles import profile_json, profile_of

    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "phone": user.phone,
        "roles": [{"role": g.role, "scope": _scope_json(g)} for g in user.grants],
        "profile": profile_json(profile_of(user)) if user.id else None,
    }


@api_route("/me", "GET", summary="当前用户", tags=["me"], responses={"200": ("当前用户", USER_SCHEMA)})
def me():
    return user_json(caller())
