"""Authentication: password login behind throttles and the account lock, password change, and
ending an account's access (sessions, API tokens, reset links)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from lms.accounts.models import User
from lms.accounts.passwords import burn_verification_time, hash_password, password_problems, verify_password
from lms.accounts.services import find_user, normalize_username
from lms.auth import lockout
from lms.auth.models import PasswordReset
from lms.auth.sessions import end_sessions
from lms.auth.tokens import revoke_tokens
from lms.core import audit
from lms.core.errors import ValidationFailed
from lms.core.time import utcnow
from lms.extensions import db


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login. The caller answers either way (never raises), so the unit of work
    commits the attempt record the throttles and the lock count."""

    user: User | None
    error: object = None  # a lazily translated message


def authenticate(username: str, password: str, ip: str | None) -> LoginResult:
    """Check credentials and record the attempt (lms.auth.lockout: the throttles and the lock).
    A refusal costs the time of a password check, so refusals cannot be told apart by timing."""
    username = normalize_username(username)[:64]
    now = utcnow()
    user = find_user(username)
    if refused := lockout.refusal(lockout.counts(username, user, ip, now), user, now):
        burn_verification_time(password)
        return LoginResult(None, refused)
    if user is None:
        burn_verification_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    lockout.record(username, ip, ok, now)
    if ok:
        user.last_login_at = now
        audit.record(user, "account.login", user)
        return LoginResult(user)
    found = lockout.counts(username, user, ip, now)
    if user is not None and lockout.account_locked(found) and not user.locked_at(now):
        user.locked_until = lockout.lock_ends(now)
        audit.record(user, "account.locked", user)
    return LoginResult(None, lockout.refusal(found, user, now) or _l("用户名或密码不正确"))


def end_access(user: User, keep_session: str | None = None) -> None:
    """End every session (but `keep_session`), API token and reset link of `user`."""
    end_sessions(user, keep=keep_session)
    revoke_tokens(user)
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))


def change_password(actor: User, current_password: str, new_password: str) -> None:
    """The actor changes its own password; its other sessions, its API tokens and its reset links end."""
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
    actor.must_change_password = False
    end_access(actor, keep_session=actor.session_key)
    audit.record(actor, "account.password_change", actor)
