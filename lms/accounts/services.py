"""Accounts: trainee self-registration, staff accounts with role grants, passwords."""
from __future__ import annotations

import re

from sqlalchemy import select

from lms.accounts.models import ROLE_SCOPES, RoleGrant, User
from lms.accounts.passwords import hash_password, password_problem
from lms.core import audit
from lms.core.errors import ValidationFailed
from lms.core.permissions import require_role
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution, Region

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalize_username(username)))


def _check_new_account(username: str, password: str, name: str, phone: str | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not USERNAME_RE.match(username):
        problems["username"] = "用户名为3至32位字母、数字、下划线、点或短横线"
    elif find_user(username) is not None:
        problems["username"] = "该用户名已被使用"
    if problem := password_problem(password, username):
        problems["password"] = problem
    if not name.strip():
        problems["name"] = "请填写姓名"
    elif len(name.strip()) > 64:
        problems["name"] = "姓名不能超过64个字符"
    if phone and not PHONE_RE.match(phone):
        problems["phone"] = "请填写11位中国大陆手机号码"
    return problems


def register_trainee(username: str, password: str, name: str, phone: str) -> User:
    """Self-registration: a new account holding the trainee role."""
    username = normalize_username(username)
    phone = (phone or "").strip()
    problems = _check_new_account(username, password, name, phone)
    if not phone and "phone" not in problems:
        problems["phone"] = "请填写手机号码"
    if problems:
        raise ValidationFailed("注册信息有误", problems)
    user = User(username=username, password_hash=hash_password(password), name=name.strip(), phone=phone)
    user.grants.append(RoleGrant(role="trainee"))
    db.session.add(user)
    audit.record(user, "account.register", user)
    return user


SCOPE_KINDS = {"region": (Region, "行政区划"), "institution": (Institution, "承办机构"), "enterprise": (Enterprise, "企业")}


def create_admin_account(username: str, password: str, name: str) -> User:
    """An administrator created from the command line (there is no actor yet)."""
    username = normalize_username(username)
    if problems := _check_new_account(username, password, name, None):
        raise ValidationFailed("账户信息有误", problems)
    user = User(username=username, password_hash=hash_password(password), name=name.strip())
    user.grants.append(RoleGrant(role="admin"))
    db.session.add(user)
    audit.record(None, "account.create", user, role="admin")
    return user


def _scope_kwargs(role: str, scope: Region | Institution | Enterprise | None) -> dict[str, int]:
    expected = ROLE_SCOPES[role]
    if expected is None:
        if scope is not None:
            raise ValidationFailed("该角色不带范围", {"scope": f"角色 {role} 不带范围"})
        return {}
    kind, label = SCOPE_KINDS[expected]
    if not isinstance(scope, kind):
        raise ValidationFailed("请为该角色选择范围", {"scope": f"角色 {role} 需要选择{label}"})
    return {f"{expected}_id": scope.id}


def create_user(actor, username: str, password: str, name: str, phone: str | None,
                role: str, scope=None) -> User:
    """An admin creates an account with one role grant (staff, bureau, enterprise HR...)."""
    require_role(actor, "admin")
    username = normalize_username(username)
    problems = _check_new_account(username, password, name, phone)
    if role not in ROLE_SCOPES:
        problems["role"] = "未知角色"
    if problems:
        raise ValidationFailed("账户信息有误", problems)
    user = User(username=username, password_hash=hash_password(password), name=name.strip(), phone=phone or None)
    user.grants.append(RoleGrant(role=role, **_scope_kwargs(role, scope)))
    db.session.add(user)
    audit.record(actor, "account.create", user, role=role)
    return user


def grant_role(actor, user: User, role: str, scope=None) -> RoleGrant:
    require_role(actor, "admin")
    if role not in ROLE_SCOPES:
        raise ValidationFailed("未知角色", {"role": "未知角色"})
    kwargs = _scope_kwargs(role, scope)
    for grant in user.grants:
        if grant.role == role and all(getattr(grant, k) == v for k, v in kwargs.items()):
            return grant
    grant = RoleGrant(role=role, **kwargs)
    user.grants.append(grant)
    db.session.flush()
    audit.record(actor, "account.grant", user, role=role, **kwargs)
    return grant
