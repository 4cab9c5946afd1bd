"""Notifications: each domain defines its messages once with `message()`, and sends them with
`notify(user_id, MESSAGE, link, **params)`. The row keeps the message id and the parameters,
so each reader sees the text in their own language, whenever they read it."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from lms.core.time import utcnow
from lms.extensions import db
from lms.notifications.models import Notification

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    key: str
    text: Any  # a lazy string with %(name)s placeholders


MESSAGES: dict[str, Message] = {}


def message(key: str, text) -> Message:
    """Define a notification message: `ADMITTED = message("enrollment.admitted", _l("您已被录取：%(cohort)s"))`."""
    MESSAGES[key] = Message(key, text)
    return MESSAGES[key]


def notify(user_id: int, what: Message, link: str = "", **params: Any) -> Notification:
    if what.key not in MESSAGES:
        raise KeyError(f"notification message {what.key!r} is not defined")
    note = Notification(user_id=user_id, message_id=what.key, link=link[:255],
                        params={name: _plain(value) for name, value in params.items()})
    db.session.add(note)
    return note


def _plain(value: Any) -> Any:
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return str(value)[:200]


def render(note: Notification) -> str:
    """The notification's text in the current language."""
    defined = MESSAGES.get(note.message_id)
    if defined is None:
        return note.message or note.message_id
    try:
        return str(defined.text) % (note.params or {})
    except (KeyError, ValueError, TypeError):
        log.warning("notification %s: parameters %r do not fit message %s", note.id, note.params, note.message_id)
        return str(defined.text)


def notifications_for(user, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id.desc()).limit(limit)))


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_all_read(user) -> None:
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
