"""Roles and the kind of object each role's scope names (DESIGN section 3)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.core.enums import LabeledEnum


class Role(LabeledEnum):
    ADMIN = "admin", _l("管理员（市/省局）")
    BUREAU = "bureau", _l("区局工作人员")
    INSTITUTION = "institution", _l("承办机构工作人员")
    GRADER = "grader", _l("阅卷教师")
    ENTERPRISE = "enterprise", _l("企业人事联系人")
    TRAINEE = "trainee", _l("学员")


class ScopeKind(LabeledEnum):
    REGION = "region", _l("行政区划")
    INSTITUTION = "institution", _l("承办机构")
    ENTERPRISE = "enterprise", _l("企业")


# role -> the kind of object its scope names (None: unscoped)
ROLE_SCOPES: dict[Role, ScopeKind | None] = {
    Role.ADMIN: None,
    Role.BUREAU: ScopeKind.REGION,
    Role.INSTITUTION: ScopeKind.INSTITUTION,
    Role.GRADER: ScopeKind.INSTITUTION,
    Role.ENTERPRISE: ScopeKind.ENTERPRISE,
    Role.TRAINEE: None,
}
# Accounts only an administrator manages (a bureau manages enterprise HR and trainees of its region)
STAFF_ROLES = (Role.ADMIN, Role.BUREAU, Role.INSTITUTION, Role.GRADER)


def scope_matches_role_sql() -> str:
    """The CHECK that ties each role to its kind of scope, built from ROLE_SCOPES:
    (role = 'bureau') = (region_id IS NOT NULL) AND ..."""
    parts = []
    for kind in ScopeKind:
        roles = [role.value for role, scope in ROLE_SCOPES.items() if scope == kind]
        test = f"role = '{roles[0]}'" if len(roles) == 1 else "role IN (" + ", ".join(f"'{r}'" for r in roles) + ")"
        parts.append(f"({test}) = ({kind.value}_id IS NOT NULL)")
    return " AND ".join(parts)
