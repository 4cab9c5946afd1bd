"""Server-side sessions: signing in creates a `user_sessions` row whose random id goes into the
(signed) session cookie; every request loads the user through a live row, so signing out (the row
is deleted), a password change or reset, or an administrator ends a session for good, and a copied
cookie stops working with it.

Idle sessions end after IDLE_TIMEOUT_MINUTES. `last_seen_at` is written at most once a
LAST_SEEN_STEP per session, not on every request: the exam page saves answers every few seconds.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from lms.accounts.models import User
from lms.auth.models import UserSession, digest, new_secret
from lms.core.time import utcnow
from lms.extensions import db

LAST_SEEN_STEP = timedelta(minutes=1)


def start_session(user: User, ip: str | None, user_agent: str | None) -> str:
    """A new session for `user`; returns its id (for the cookie) and sets it on the user object."""
    key = new_secret()
    db.session.add(UserSession(user_id=user.id, key_hash=digest(key), ip=ip,
                               user_agent=(user_agent or "")[:255] or None))
    user.session_key = key
    return key


def _idle_limit() -> timedelta | None:
    minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
    return timedelta(minutes=minutes) if minutes else None


def load_session_user(key: str) -> User | None:
    """The active user of a live session (Flask-Login's user loader), or None."""
    if not key or len(key) > 100:
        return None
    row = db.session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                             .where(UserSession.key_hash == digest(key))).first()
    if row is None or not row.User.active:
        return None
    record, now = row.UserSession, utcnow()
    idle = _idle_limit()
    if idle and record.last_seen_at < now - idle:
        db.session.delete(record)  # committed with the request that found it stale
        return None
    if now - record.last_seen_at >= LAST_SEEN_STEP:
        record.last_seen_at = now
    row.User.session_key = key
    return row.User


def end_session(key: str | None) -> None:
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == digest(key)))


def end_sessions(user: User, keep: str | None = None) -> None:
    """End every session of `user` (but the one with id `keep`)."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        stmt = stmt.where(UserSession.key_hash != digest(keep))
    db.session.execute(stmt)


def live_sessions(user: User) -> list[UserSession]:
    stmt = select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.last_seen_at.desc())
    idle = _idle_limit()
    if idle:
        stmt = stmt.where(UserSession.last_seen_at >= utcnow() - idle)
    return list(db.session.scalars(stmt))


def end_own_session(actor: User, session_id: int) -> bool:
    """The actor signs one of its own sessions out (another browser, say); False if there is no such."""
    result = db.session.execute(delete(UserSession).where(UserSession.id == session_id,
                                                          UserSession.user_id == actor.id))
    return result.rowcount == 1


def is_current(record: UserSession, key: str | None) -> bool:
    return bool(key) and record.key_hash == digest(key)


def prune_sessions(now: datetime) -> int:
    """Delete sessions idle past the timeout (none when there is no timeout)."""
    idle = _idle_limit()
    if not idle:
        return 0
    return db.session.execute(delete(UserSession).where(UserSession.last_seen_at < now - idle)).rowcount
