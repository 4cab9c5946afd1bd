"""Account administration (/admin/users): who manages which accounts, and what they may do.

Administrators manage every account. A bureau officer manages the accounts of the people of its
region subtree that hold no staff role: enterprise HR contacts of enterprises there, and trainees
whose enterprise (the one on their profile) is there; DESIGN section 9: a person belongs to the
region of their enterprise. Administrators, bureau officers, institution staff and graders are
managed by administrators only, and an account outside the actor's reach is "not found".

Both may edit the name, phone and e-mail, disable and enable, unlock, and give a temporary
password (shown once to them; the user must change it at the next sign-in). Disabling and a
temporary password end the account's sessions and API tokens; an administrator can also end
them alone. Every action is audited.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, select, union

from lms.accounts.models import RoleGrant, User
from lms.accounts.passwords import hash_password, password_problems
from lms.accounts.roles import STAFF_ROLES, Role
from lms.accounts.services import contact_problems, normalize_email
from lms.core import audit
from lms.core.enums import LabeledEnum
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.permissions import is_admin, one_or_404
from lms.core.time import utcnow
from lms.orgs.models import Enterprise
from lms.orgs.scope import region_clause

# name -> a select of (user_id, enterprise_id): which enterprise a person works for. Enterprise
# HR grants are here; the enrollment domain adds trainee profiles (lms.enrollment.init_app).
EMPLOYER_SOURCES: dict[str, Callable[[], Select]] = {
    "hr_grants": lambda: select(RoleGrant.user_id, RoleGrant.enterprise_id).where(RoleGrant.role == Role.ENTERPRISE)}
# Ends every session and API token of an account: set by the auth domain, which owns them.
_end_access: list[Callable[[User], None]] = []


def add_employer_source(name: str, build: Callable[[], Select]) -> None:
    EMPLOYER_SOURCES[name] = build


def set_access_ender(end: Callable[[User], None]) -> None:
    _end_access[:] = [end]


class AccountStatus(LabeledEnum):
    ACTIVE = "active", _l("正常")
    LOCKED = "locked", _l("已锁定")
    DISABLED = "disabled", _l("已停用")


def status_of(user: User) -> AccountStatus:
    if not user.active:
        return AccountStatus.DISABLED
    return AccountStatus.LOCKED if user.locked_at(utcnow()) else AccountStatus.ACTIVE


# ---- scope ---------------------------------------------------------------------------------

def manageable_users(actor) -> Select:
    """The accounts `actor` may manage (see the module's note), by username."""
    stmt = select(User).order_by(User.username)
    if is_admin(actor):
        return stmt
    if actor is None or not actor.has_role(Role.BUREAU):
        return stmt.where(false())
    links = union(*(build() for build in EMPLOYER_SOURCES.values())).subquery()
    in_region = (select(links.c.user_id).join(Enterprise, Enterprise.id == links.c.enterprise_id)
                 .where(region_clause(actor, Enterprise.region_id)))
    staff = select(RoleGrant.user_id).where(RoleGrant.role.in_(STAFF_ROLES))
    return stmt.where(User.id.in_(in_region), User.id.not_in(staff))


def get_managed_user(actor, user_id: int) -> User:
    return one_or_404(manageable_users(actor).where(User.id == user_id))


def can_end_all_access(actor) -> bool:
    return is_admin(actor)


def _not_yourself(actor, user: User, message) -> None:
    if actor.id == user.id:
        raise Conflict(message)


# ---- actions -------------------------------------------------------------------------------

def update_contact(actor, user: User, name: str, phone: str, email: str) -> None:
    """Correct an account's name, phone and e-mail (the changed fields' names are audited, not values)."""
    get_managed_user(actor, user.id)
    name, phone, email = (name or "").strip(), (phone or "").strip(), normalize_email(email)
    if problems := contact_problems(name, phone, email):
        raise ValidationFailed(_l("账户信息有误"), problems)
    changed = [field for field, value in (("name", name), ("phone", phone or None), ("email", email or None))
               if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, {"name": name, "phone": phone or None, "email": email or None}[field])
    if changed:
        audit.record(actor, "account.update", user, fields=changed)


def set_active(actor, user: User, active: bool) -> None:
    """Disable an account (its sessions and API tokens end) or enable it again."""
    get_managed_user(actor, user.id)
    if not active:
        _not_yourself(actor, user, _l("不能停用自己的账户"))
    if user.active == active:
        return
    user.active = active
    if not active:
        _end_access[0](user)
    audit.record(actor, "account.enable" if active else "account.disable", user)


def unlock(actor, user: User) -> None:
    """Lift the account's lock and forget its failed logins."""
    get_managed_user(actor, user.id)
    user.clear_login_failures(utcnow())
    audit.record(actor, "account.unlock", user)


TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


def give_temporary_password(actor, user: User) -> str:
    """Replace the password with a random one to hand over; the user must change it at the next
    sign-in. Returns it (shown once, never stored in clear or audited)."""
    get_managed_user(actor, user.id)
    _not_yourself(actor, user, _l("请通过“修改密码”更改自己的密码"))
    while True:
        password = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(12))
        if password_problems(password, user.username) is None:
            break
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.clear_login_failures(utcnow())
    _end_access[0](user)
    audit.record(actor, "account.temporary_password", user)
    return password


def end_all_access(actor, user: User) -> None:
    """Sign the account out everywhere: every session and API token ends (administrators)."""
    if not can_end_all_access(actor):
        raise Forbidden(_l("您没有执行此操作的权限"))
    get_managed_user(actor, user.id)
    _end_access[0](user)
    audit.record(actor, "account.sign_out_everywhere", user)
