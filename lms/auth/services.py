"""Authentication: password login with lockout, API bearer tokens."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from lms.accounts.models import User
from lms.accounts.passwords import burn_verification_time, hash_password, password_problems, verify_password
from lms.accounts.services import find_user, normalize_username
from lms.auth.models import ApiToken, LoginAttempt
from lms.core import audit
from lms.core.errors import ValidationFailed
from lms.core.time import utcnow
from lms.extensions import db


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login. The caller commits either way: a failure must be recorded."""

    user: User | None
    error: object = None  # a lazily translated message
    locked: bool = False


def _recent_failures(username: str) -> int:
    window = timedelta(minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])
    since = utcnow() - window
    last_success = select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
    ).scalar_subquery()
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.username == username,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= since,
            LoginAttempt.at > func.coalesce(last_success, since),
        )
    ) or 0


def authenticate(username: str, password: str, ip: str | None) -> LoginResult:
    """Check credentials and record the attempt.

    After LOCKOUT_THRESHOLD failures within LOCKOUT_WINDOW_MINUTES the account is locked
    for the rest of the window, even for the right password.
    """
    username = normalize_username(username)[:64]
    limit = current_app.config["LOCKOUT_THRESHOLD"]
    locked_message = _l("登录失败次数过多，账户已临时锁定，请%(minutes)s分钟后再试",
                        minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])
    if _recent_failures(username) >= limit:
        burn_verification_time(password)
        return LoginResult(None, locked_message, locked=True)

    user = find_user(username)
    if user is None:
        burn_verification_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    db.session.add(LoginAttempt(username=username, succeeded=ok, ip=ip))
    if not ok:
        if _recent_failures(username) >= limit:
            if user is not None:
                audit.record(user, "account.locked", user)
            return LoginResult(None, locked_message, locked=True)
        return LoginResult(None, _l("用户名或密码不正确"))
    user.last_login_at = utcnow()
    audit.record(user, "account.login", user)
    return LoginResult(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, int]:
    """A new bearer token for `user` and its lifetime in seconds."""
    ttl = current_app.config["API_TOKEN_TTL_SECONDS"]
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=utcnow() + timedelta(seconds=ttl)))
    return token, ttl


def user_for_token(token: str) -> User | None:
    row = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False), ApiToken.expires_at > utcnow())
    ).first()
    if row is None or not row.User.active:
        return None
    return row.User


def revoke_tokens(user: User) -> None:
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(revoked=True))


def change_password(actor: User, current_password: str, new_password: str) -> None:
    """The actor changes its own password; other sessions and API tokens end."""
    problems = {}
    if not verify_password(actor.password_hash, current_password):
        problems["current_password"] = _l("当前密码不正确")
    if problem := password_problems(new_password, actor.username):
        problems["new_password"] = problem
    elif current_password == new_password:
        problems["new_password"] = _l("新密码不能与当前密码相同")
    if problems:
        raise ValidationFailed(_l("密码未修改"), problems)
    actor.password_hash = hash_password(new_password)
    actor.rotate_session_nonce()
    revoke_tokens(actor)
    audit.record(actor, "account.password_change", actor)
