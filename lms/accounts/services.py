"""Accounts: trainee self-registration, staff accounts with role grants."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from lms.accounts.models import RoleGrant, User
from lms.accounts.passwords import hash_password, password_problems
from lms.accounts.roles import ROLE_SCOPES, Role, ScopeKind
from lms.core import audit
from lms.core.errors import Forbidden, ValidationFailed
from lms.core.masking import mask_phone
from lms.core.pagination import count_rows
from lms.core.permissions import is_admin
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution, Region

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]+$")
SCOPE_MODELS = {ScopeKind.REGION: Region, ScopeKind.INSTITUTION: Institution, ScopeKind.ENTERPRISE: Enterprise}


# ---- permissions ---------------------------------------------------------------------

def can_create_accounts(actor) -> bool:
    """Staff accounts (and any role grant) are created by administrators."""
    return is_admin(actor)


def require_create_accounts(actor) -> None:
    if not can_create_accounts(actor):
        raise Forbidden(_l("您没有执行此操作的权限"))


# ---- reading -------------------------------------------------------------------------

def normalize_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalize_username(username)))


def find_accounts(identifier: str, limit: int = 5) -> list[User]:
    """The accounts a person may mean by their username, e-mail address or phone number."""
    identifier = identifier.strip()
    if "@" in identifier:
        clause = User.email == normalize_email(identifier)
    elif PHONE_RE.match(identifier):
        clause = User.phone == identifier
    else:
        clause = User.username == normalize_username(identifier)
    return list(db.session.scalars(select(User).where(clause).order_by(User.id).limit(limit)))


def count_users() -> int:
    return count_rows(select(User.id))


def search_users(stmt: Select, query: str) -> Select:
    """Narrow a select of users to those whose username or name contains `query`."""
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.name.ilike(like)))
    return stmt


SCOPE_ORDER = {ScopeKind.REGION: Region.path, ScopeKind.INSTITUTION: Institution.code,
               ScopeKind.ENTERPRISE: Enterprise.name}


def scope_options() -> list[tuple[str, str, Region | Institution | Enterprise]]:
    """Every object a role grant can be scoped to, as ("kind:id", kind label, object), for the account form."""
    options = []
    for kind, model in SCOPE_MODELS.items():
        options += [(f"{kind.value}:{obj.id}", kind.label, obj)
                    for obj in db.session.scalars(select(model).order_by(SCOPE_ORDER[kind]))]
    return options


def scope_object(value: str) -> Region | Institution | Enterprise | None:
    """The scope a form's "kind:id" value names, or None."""
    kind, _sep, ident = (value or "").partition(":")
    model = SCOPE_MODELS.get(ScopeKind.get(kind))
    if model is None or not ident.isdigit():
        return None
    return db.session.get(model, int(ident))


# ---- contact details -----------------------------------------------------------------

def normalize_email(email: str | None) -> str:
    return (email or "").strip().lower()


def contact_problems(name: str | None, phone: str | None, email: str | None) -> dict:
    """What is wrong with a name (None: not being changed), a phone number and an e-mail address (optional)."""
    problems = {}
    if name is not None and not name.strip():
        problems["name"] = _l("请填写姓名")
    elif name is not None and len(name.strip()) > 64:
        problems["name"] = _l("姓名不能超过64个字符")
    if phone and not PHONE_RE.match(phone):
        problems["phone"] = _l("请填写11位中国大陆手机号码")
    if email and (len(email) > 254 or not EMAIL_RE.match(email)):
        problems["email"] = _l("请填写有效的电子邮箱地址，如 name@example.com")
    return problems


def update_own_email(actor: User, email: str) -> None:
    """A user sets (or clears) the e-mail address that password-reset links go to."""
    email = normalize_email(email)
    if problems := contact_problems(None, None, email):
        raise ValidationFailed(_l("电子邮箱未保存"), problems)
    if (actor.email or "") != email:
        actor.email = email or None
        audit.record(actor, "account.email_change", actor)


# ---- creating ------------------------------------------------------------------------

def _check_new_account(username: str, password: str, name: str, phone: str | None, email: str = "") -> dict:
    problems = {}
    if not USERNAME_RE.match(username):
        problems["username"] = _l("用户名为3至32位字母、数字、下划线、点或短横线")
    elif find_user(username) is not None:
        problems["username"] = _l("该用户名已被使用")
    if problem := password_problems(password, username):
        problems["password"] = problem
    return {**problems, **contact_problems(name, phone, email)}


def register_trainee(username: str, password: str, name: str, phone: str, email: str = "", *,
                     consent: bool, notice_version: str | None = None, channel: str = "web",
                     invitation: str | None = None, confirm: str | None = None) -> User:
    """Self-registration: a new account holding the trainee role (the e-mail address is optional).
    The person must consent to the privacy notice (its version, the time and the channel are
    recorded); with an enterprise's invitation token the account joins that enterprise, and its
    phone must be the invited number. `confirm`: the password typed again (web form)."""
    from lms.accounts import invitations, privacy

    username = normalize_username(username)
    phone, email = (phone or "").strip(), normalize_email(email)
    problems = _check_new_account(username, password, name, phone, email)
    if not phone and "phone" not in problems:
        problems["phone"] = _l("请填写手机号码")
    if confirm is not None and confirm != password:
        problems["confirm"] = _l("两次输入的密码不一致")
    if consent is not True:
        problems["privacy_consent"] = privacy.CONSENT_REQUIRED
    elif notice_version is not None and notice_version != privacy.NOTICE_VERSION:
        problems["privacy_consent"] = _l("个人信息处理规则已更新（现为 %(version)s 版），请重新阅读后同意",
                                 version=privacy.NOTICE_VERSION)
    invited = None
    if invitation:
        invited = invitations.open_invitation(invitation)
        if invited is None:
            problems["invitation"] = _l("邀请链接已失效：已被使用、已过期或已被新的邀请取代，请联系企业人事重新邀请")
        elif phone and "phone" not in problems and phone != invited.phone:
            problems["phone"] = _l("请使用收到邀请的手机号码 %(phone)s", phone=mask_phone(invited.phone))
    if problems:
        raise ValidationFailed(_l("注册信息有误"), problems)
    user = User(username=username, password_hash=hash_password(password), name=name.strip(), phone=phone,
                email=email or None)
    user.grants.append(RoleGrant(role=Role.TRAINEE))
    db.session.add(user)
    db.session.flush()
    audit.record(user, "account.register", user)
    privacy.record_consent(user, channel)
    if invited is not None:
        invitations.accept(invitation, user)
    return user


def create_admin_account(username: str, password: str, name: str) -> User:
    """An administrator created from the command line (there is no actor yet)."""
    username = normalize_username(username)
    if problems := _check_new_account(username, password, name, None):
        raise ValidationFailed(_l("账户信息有误"), problems)
    user = User(username=username, password_hash=hash_password(password), name=name.strip())
    user.grants.append(RoleGrant(role=Role.ADMIN))
    db.session.add(user)
    audit.record(None, "account.create", user, role=Role.ADMIN.value)
    return user


def _scope_kwargs(role: Role, scope: Region | Institution | Enterprise | None) -> dict[str, int]:
    expected = ROLE_SCOPES[role]
    if expected is None:
        if scope is not None:
            raise ValidationFailed(_l("该角色不带范围"), {"scope": _l("角色“%(role)s”不带范围", role=role.label)})
        return {}
    if not isinstance(scope, SCOPE_MODELS[expected]):
        raise ValidationFailed(_l("请为该角色选择范围"),
                               {"scope": _l("角色“%(role)s”需要选择%(kind)s", role=role.label, kind=expected.label)})
    return {f"{expected.value}_id": scope.id}


def create_user(actor, username: str, password: str, name: str, phone: str | None,
                role: str, scope=None) -> User:
    """An admin creates an account with one role grant (staff, bureau, enterprise HR...)."""
    require_create_accounts(actor)
    username = normalize_username(username)
    problems = _check_new_account(username, password, name, phone)
    if Role.get(role) is None:
        problems["role"] = _l("未知角色")
    if problems:
        raise ValidationFailed(_l("账户信息有误"), problems)
    role = Role(role)
    user = User(username=username, password_hash=hash_password(password), name=name.strip(), phone=phone or None)
    user.grants.append(RoleGrant(role=role, **_scope_kwargs(role, scope)))
    db.session.add(user)
    audit.record(actor, "account.create", user, role=role.value)
    return user


def grant_role(actor, user: User, role: str, scope=None) -> RoleGrant:
    require_create_accounts(actor)
    if Role.get(role) is None:
        raise ValidationFailed(_l("未知角色"), {"role": _l("未知角色")})
    role = Role(role)
    kwargs = _scope_kwargs(role, scope)
    for grant in user.grants:
        if grant.role == role and all(getattr(grant, k) == v for k, v in kwargs.items()):
            return grant
    grant = RoleGrant(role=role, **kwargs)
    user.grants.append(grant)
    db.session.flush()
    audit.record(actor, "account.grant", user, role=role.value, **kwargs)
    return grant
