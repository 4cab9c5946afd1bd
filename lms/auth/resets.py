"""Self-service password reset by a one-time link.

The request page answers at once and the same way whatever was typed: looking the account
up, storing the link and sending the e-mail happen behind the response, on a small thread of
the web process, so neither the answer nor its timing tells whether an account exists.

A link is a random token (stored as SHA-256), valid for PASSWORD_RESET_MINUTES, used once,
replaced by the next request and cancelled by any password change. It is e-mailed through
SMTP_HOST; without SMTP the link is written to the server log (an operator passes it on). A
reset ends every session and API token of the account and lifts its lock.
"""
from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from lms.accounts.models import User
from lms.accounts.passwords import hash_password, password_problems
from lms.accounts.services import find_accounts
from lms.auth.models import PasswordReset, digest, new_secret
from lms.auth.services import end_access
from lms.core import audit
from lms.core.errors import NotFound, ValidationFailed
from lms.core.mail import send_mail
from lms.core.time import utcnow
from lms.extensions import db

log = logging.getLogger(__name__)
LINKS_PER_ACCOUNT_PER_HOUR = 5  # beyond this an account's requests are dropped (a mailbox is not a target)
INVALID_LINK = _l("该重置链接无效、已使用或已过期，请重新申请")


# ---- the request, answered at once --------------------------------------------------------

_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_executor_lock = threading.Lock()
_pending: set[Future] = set()


def request_reset(identifier: str, locale: str) -> None:
    """Queue a reset for the account(s) `identifier` names (username, phone or e-mail)."""
    global _executor, _executor_pid
    app = current_app._get_current_object()
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():  # a forked worker starts its own
            _executor, _executor_pid = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lms-reset"), os.getpid()
        future = _executor.submit(_deliver_in, app, audit.current_origin(), identifier.strip()[:254], locale)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


def wait_for_pending(timeout: float = 30) -> None:
    """Block until the queued requests are handled (tests)."""
    for future in list(_pending):
        future.result(timeout=timeout)


def _deliver_in(app, origin: audit.Origin, identifier: str, locale: str) -> None:
    with app.app_context(), audit.origin(origin):
        try:
            deliver(identifier, locale)
        except Exception:  # logged: the request was already answered
            log.exception("password reset could not be handled")
            db.session.rollback()
        finally:
            db.session.remove()


# ---- behind the response --------------------------------------------------------------------

def deliver(identifier: str, locale: str) -> None:
    """Create a link for each active account `identifier` names and send it (or log it)."""
    for user in find_accounts(identifier):
        if not user.active or _recent_links(user) >= LINKS_PER_ACCOUNT_PER_HOUR:
            continue
        token = create_link(user)
        db.session.commit()
        _send(user, token, user.locale or locale)


def _recent_links(user: User) -> int:
    since = utcnow() - timedelta(hours=1)
    return db.session.scalar(select(func.count(PasswordReset.id)).where(
        PasswordReset.user_id == user.id, PasswordReset.created_at >= since)) or 0


def create_link(user: User) -> str:
    """A new link token for `user`; its unused older links stop working."""
    now = utcnow()
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                       .values(expires_at=now))
    token = new_secret()
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    db.session.add(PasswordReset(user_id=user.id, token_hash=digest(token), created_at=now,
                                 expires_at=now + timedelta(minutes=minutes)))
    audit.record(None, "account.reset_link", user)
    return token


def _send(user: User, token: str, locale: str) -> None:
    cfg = current_app.config
    with current_app.test_request_context(base_url=cfg["PUBLIC_BASE_URL"]):
        link = url_for("auth.reset_password", token=token, _external=True)
    with force_locale(locale):
        subject = _("重置密码")
        body = _("%(name)s，您好：\n\n有人（可能是您本人）申请重置账户 %(username)s 的密码。请在 %(minutes)s 分钟内"
                 "打开下面的链接设置新密码，链接只能使用一次：\n\n%(link)s\n\n如果不是您本人申请，请忽略本邮件，"
                 "您的密码不会改变。", name=user.name, username=user.username,
                 minutes=cfg["PASSWORD_RESET_MINUTES"], link=link)
    if not cfg["SMTP_HOST"]:
        log.warning("password reset link for %s (SMTP_HOST is not set, so it is not e-mailed): %s",
                    user.username, link)
    elif not user.email:
        log.warning("password reset asked for %s, who has no e-mail address: nothing sent", user.username)
    else:
        send_mail(user.email, subject, body)


# ---- using a link ---------------------------------------------------------------------------

def _live_link(token: str):
    return select(PasswordReset).where(PasswordReset.token_hash == digest(token), PasswordReset.used_at.is_(None),
                                       PasswordReset.expires_at > utcnow())


def link_is_valid(token: str) -> bool:
    return bool(token) and len(token) <= 100 and db.session.scalar(_live_link(token)) is not None


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a link: once, before it expires; every session and API token
    of the account ends and its lock is lifted."""
    link = db.session.scalar(_live_link(token)) if token and len(token) <= 100 else None
    if link is None:
        raise NotFound(INVALID_LINK)
    user = db.session.get(User, link.user_id)
    if problems := password_problems(new_password, user.username):
        raise ValidationFailed(_l("密码未修改"), {"new_password": problems})
    claimed = db.session.execute(update(PasswordReset)
                                 .where(PasswordReset.id == link.id, PasswordReset.used_at.is_(None))
                                 .values(used_at=utcnow()))
    if claimed.rowcount != 1:  # used by a concurrent request
        raise NotFound(INVALID_LINK)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.clear_login_failures(utcnow())
    end_access(user)
    audit.record(user, "account.password_reset", user)
    return user


def prune_links(now) -> int:
    return db.session.execute(delete(PasswordReset).where(
        (PasswordReset.used_at.is_not(None)) | (PasswordReset.expires_at <= now))).rowcount
