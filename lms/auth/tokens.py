"""API bearer tokens: issued for a password (POST /api/v1/auth/token), revoked by their holder
(the account page, DELETE /api/v1/auth/token) or by an administrator, ended by a password
change or reset. Expired and revoked rows are deleted when the user gets a new token and by
`flask lms prune-tokens`."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, or_, select, update

from lms.accounts.models import User
from lms.auth.models import ApiToken, digest, new_secret
from lms.core.time import utcnow
from lms.extensions import db


def _dead(now: datetime):
    return or_(ApiToken.revoked.is_(True), ApiToken.expires_at <= now)


def issue_token(user: User, user_agent: str | None = None) -> tuple[str, int]:
    """A new bearer token for `user` and its lifetime in seconds (the user's dead tokens go)."""
    ttl = current_app.config["API_TOKEN_TTL_SECONDS"]
    now = utcnow()
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, _dead(now)))
    token = new_secret()
    db.session.add(ApiToken(user_id=user.id, token_hash=digest(token), expires_at=now + timedelta(seconds=ttl),
                            user_agent=(user_agent or "")[:255] or None))
    return token, ttl


def user_for_token(token: str) -> User | None:
    row = db.session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(
        ApiToken.token_hash == digest(token), ApiToken.revoked.is_(False), ApiToken.expires_at > utcnow())).first()
    if row is None or not row.User.active:
        return None
    return row.User


_TOKEN_USER_ID = (select(ApiToken.user_id).join(User, User.id == ApiToken.user_id)
                  .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked.is_(False),
                         ApiToken.expires_at > bindparam("now"), User.active.is_(True)))


def user_id_for_token(token: str) -> int | None:
    """user_for_token()'s id in one small query, loading no objects (for hot endpoints that need
    only the caller's id: lms.api.base identity="id")."""
    return db.session.execute(_TOKEN_USER_ID, {"digest": digest(token), "now": utcnow()}).scalar()


def token_user_id_clause():
    """The user id of a live token whose user is active, as a scalar subquery with the bound
    parameters `digest` (digest(token)) and `now`: a hot path resolves the token inside its own
    first statement (lms.exams.fast), by the same rule as user_for_token()."""
    return _TOKEN_USER_ID.scalar_subquery()


def revoke_token(token: str) -> bool:
    """Revoke the token presented (its holder signs the client out); False if it was not live."""
    result = db.session.execute(update(ApiToken).where(ApiToken.token_hash == digest(token),
                                                       ApiToken.revoked.is_(False)).values(revoked=True))
    return result.rowcount == 1


def revoke_own_token(actor: User, token_id: int) -> bool:
    result = db.session.execute(update(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == actor.id,
                                                       ApiToken.revoked.is_(False)).values(revoked=True))
    return result.rowcount == 1


def revoke_tokens(user: User) -> None:
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(revoked=True))


def live_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ~_dead(utcnow()))
                                   .order_by(ApiToken.created_at.desc())))


def prune_tokens(now: datetime) -> int:
    return db.session.execute(delete(ApiToken).where(_dead(now))).rowcount
