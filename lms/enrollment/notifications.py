"""In-app notifications of decisions."""
from __future__ import annotations

from sqlalchemy import func, select, update

from lms.core.time import utcnow
from lms.enrollment.models import Notification
from lms.extensions import db


def notify(user_id: int, message: str, link: str = "") -> Notification:
    note = Notification(user_id=user_id, message=message[:500], link=link)
    db.session.add(note)
    return note


def notifications_for(user, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id.desc()).limit(limit)))


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_all_read(user) -> None:
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
