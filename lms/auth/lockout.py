"""Throttles and the account lock: guessing passwords is slowed, and an account cannot be locked
from one address.

Failed logins are rows of `login_attempts` (username as typed, address, time), so the counts
hold across processes and hosts. Within LOCKOUT_WINDOW_MINUTES:

1. an address with LOGIN_FAILURES_PER_ADDRESS failures, whatever the accounts, may not sign in
   (password spraying);
2. an address with LOGIN_FAILURES_PER_ADDRESS_ACCOUNT failures for one account may not try that
   account again (guessing one password);
3. an account locks only after LOCKOUT_THRESHOLD failures coming from at least LOCKOUT_ADDRESSES
   distinct addresses (a distributed attack); the lock holds everyone out, the right password too.

Each refusal lasts until the failures age out of the window. A success of the account restarts
its counts (2 and 3), as does an administrator's unlock or a password reset (`failures_cleared_at`).
One address alone reaches 2 long before 3, so it can slow down its own attempts on an account
but never lock the owner out. The same rules apply to usernames that do not exist, so the
answers say nothing about which accounts do.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from lms.accounts.models import User
from lms.auth.models import LoginAttempt
from lms.extensions import db


@dataclass(frozen=True)
class Counts:
    from_address: int  # failures from the address, any account
    from_address_for_account: int  # failures from the address for this account
    for_account: int  # failures for this account, any address
    addresses: int  # distinct addresses of those


def _since(user: User | None, username: str, now: datetime) -> datetime:
    """Where the account's counts start: the window, its last success, or its unlock."""
    since = now - timedelta(minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])
    last_success = db.session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since))
    return max(t for t in (since, last_success, user.failures_cleared_at if user else None) if t is not None)


def counts(username: str, user: User | None, ip: str | None, now: datetime) -> Counts:
    window_start = now - timedelta(minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])
    failed = LoginAttempt.succeeded.is_(False)
    from_address = db.session.scalar(select(func.count(LoginAttempt.id)).where(
        failed, LoginAttempt.ip == ip, LoginAttempt.at >= window_start)) if ip else 0
    account = select(LoginAttempt).where(failed, LoginAttempt.username == username,
                                         LoginAttempt.at >= _since(user, username, now)).subquery()
    row = db.session.execute(select(func.count(), func.count(distinct(account.c.ip)),
                                    func.count().filter(account.c.ip == ip)).select_from(account)).one()
    return Counts(from_address or 0, row[2] or 0, row[0] or 0, row[1] or 0)


def account_locked(found: Counts) -> bool:
    cfg = current_app.config
    return found.for_account >= cfg["LOCKOUT_THRESHOLD"] and found.addresses >= cfg["LOCKOUT_ADDRESSES"]


def refusal(found: Counts, user: User | None, now: datetime):
    """Why a sign-in is refused (a lazily translated message), or None. An account stays locked
    until `locked_until` (set when the lock trips) even if its failures age out sooner."""
    cfg = current_app.config
    minutes = cfg["LOCKOUT_WINDOW_MINUTES"]
    if account_locked(found) or (user is not None and user.locked_at(now)):
        return _l("登录失败次数过多，账户已临时锁定，请%(minutes)s分钟后再试", minutes=minutes)
    if (found.from_address >= cfg["LOGIN_FAILURES_PER_ADDRESS"]
            or found.from_address_for_account >= cfg["LOGIN_FAILURES_PER_ADDRESS_ACCOUNT"]):
        return _l("登录失败次数过多，请%(minutes)s分钟后再试", minutes=minutes)
    return None


def lock_ends(now: datetime) -> datetime:
    return now + timedelta(minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])


def record(username: str, ip: str | None, succeeded: bool, now: datetime) -> None:
    db.session.add(LoginAttempt(username=username, ip=ip, succeeded=succeeded, at=now))
    db.session.flush()
