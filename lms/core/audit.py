"""Audit log: who did what to which object, when, and from where.

Services call record(); they never read the request. The web layer sets the origin
(IP address, user agent) for the duration of a request; CLI commands run as "cli".
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, insert
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    user_agent: str | None = None
    channel: str = "web"  # web | api | cli


_origin: ContextVar[Origin] = ContextVar("audit_origin", default=Origin(channel="cli"))  # noqa: B039 - frozen


@contextmanager
def origin(value: Origin):
    token = _origin.set(value)
    try:
        yield
    finally:
        _origin.reset(token)


def set_origin(value: Origin):
    return _origin.set(value)


def reset_origin(token) -> None:
    _origin.reset(token)


def current_origin() -> Origin:
    return _origin.get()


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None] = mapped_column(Integer)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(8))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id} by {self.actor_id}>"


def record(actor, action: str, obj: Any = None, **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (committed with the work it records)."""
    where = current_origin()
    if obj is not None and getattr(obj, "id", 0) is None:
        db.session.flush()  # a new object needs its id before it can be named
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=getattr(obj, "__tablename__", None),
        object_id=getattr(obj, "id", None),
        ip=where.ip,
        user_agent=(where.user_agent or "")[:255] or None,
        channel=where.channel,
        details=details,
    )
    db.session.add(event)
    return event


_INSERT = insert(AuditEvent.__table__)


def record_row(executor, actor_id: int | None, action: str, object_type: str, object_id: int, **details: Any) -> None:
    """record() as one INSERT on `executor` (the session, or a fast path's connection) for a hot
    path that loads no objects: the same row, from the same origin, in the caller's transaction."""
    where = current_origin()
    executor.execute(_INSERT, {"at": utcnow(), "actor_id": actor_id, "action": action, "object_type": object_type,
                               "object_id": object_id, "ip": where.ip,
                               "user_agent": (where.user_agent or "")[:255] or None, "channel": where.channel,
                               "details": details})
