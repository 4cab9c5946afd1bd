"""A notification row: which message (an id the code defines with `message()`), its parameters,
and an optional link. The text is rendered when read, in the reader's language."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # rows written before message ids kept their text here; new rows leave it empty
    message: Mapped[str] = mapped_column(String(500), default="", server_default="")
    link: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Notification {self.id} user={self.user_id} {self.message_id}>"

    @property
    def text(self) -> str:
        from lms.notifications.services import render

        return render(self)
