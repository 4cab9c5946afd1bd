"""Self check-in by QR code. The projector shows a code whose token rotates every 30 seconds:
HMAC(SECRET_KEY, session id + 30-second step) (lms.core.rotating, purpose "checkin"). The current
and the previous step are accepted, only within the session's time window (give or take
CHECKIN_MARGIN_MINUTES).

A scan says nothing about a session until its code checks out: an unknown session and a code
that was never this session's get the same answer, before any time window is mentioned."""
from __future__ import annotations

from datetime import datetime, timedelta

import qrcode
import qrcode.image.svg
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.core import audit, rotating
from lms.core.errors import Conflict, Forbidden
from lms.core.permissions import one_or_404
from lms.core.time import utcnow
from lms.enrollment.applications import enrollment
from lms.enrollment.attendance import record_attendance
from lms.enrollment.cohorts import LOCAL_TZ
from lms.enrollment.enums import AttendanceMethod, AttendanceStatus
from lms.enrollment.models import Attendance, CohortSession
from lms.extensions import db

STEP_SECONDS = rotating.STEP_SECONDS
LATE_AFTER = timedelta(minutes=15)


def token_for(session_id: int, step: int) -> str:
    return rotating.token_for("checkin", session_id, step)


def _margin() -> timedelta:
    return timedelta(minutes=current_app.config.get("CHECKIN_MARGIN_MINUTES", 15))


def window(session: CohortSession) -> tuple[datetime, datetime]:
    return session.starts_at - _margin(), session.ends_at + _margin()


def is_open(session: CohortSession, now: datetime | None = None) -> bool:
    first, last = window(session)
    return first <= (now or utcnow()) <= last


def current_code(session: CohortSession, now: datetime | None = None) -> dict:
    """What the projector shows now: the token, seconds until it rotates, whether check-in is open."""
    now = now or utcnow()
    token, expires_in = rotating.current("checkin", session.id, now)
    return {"token": token, "open": is_open(session, now), "expires_in": expires_in}


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    return svg.replace('width="', 'data-width="', 1).replace('height="', 'data-height="', 1)


INVALID = _l("二维码无效：这不是本课次的签到码")


def check_token(session: CohortSession, token: str, now: datetime | None = None) -> None:
    """Refuse (409, with a clear message) a token that is foreign, stale, or outside the window,
    in that order: only a genuine code learns the session's times."""
    now = now or utcnow()
    found = rotating.match("checkin", session.id, token, now)
    if found is rotating.Match.STALE:
        raise Conflict(_l("二维码已过期，请扫描投影屏幕上最新的二维码"))
    if found is rotating.Match.FOREIGN:
        raise Conflict(INVALID)
    first, last = window(session)
    if not first <= now <= last:
        raise Conflict(_l("不在本课次的签到时间内（%(start)s 至 %(end)s）",
                          start=f"{first.astimezone(LOCAL_TZ):%m-%d %H:%M}", end=f"{last.astimezone(LOCAL_TZ):%H:%M}"))


def session_by_id(session_id: int) -> CohortSession:
    return one_or_404(select(CohortSession).where(CohortSession.id == session_id))


def scanned(session_id: int, token: str, now: datetime | None = None) -> CohortSession:
    """The session a scanned code belongs to; an unknown session answers like a foreign code."""
    session = db.session.get(CohortSession, session_id)
    if session is None:
        raise Conflict(INVALID)
    check_token(session, token, now)
    return session


def check_in(actor, session: CohortSession, token: str | None, now: datetime | None = None,
             verified: bool = False) -> tuple[Attendance, bool]:
    """Record the actor's attendance once. Returns (attendance, newly recorded?). `verified`: the
    token was checked when scanned, before the trainee logged in; the window still applies."""
    now = now or utcnow()
    if verified:
        if not is_open(session, now):
            raise Conflict(_l("本课次的签到时间已过"))
    else:
        check_token(session, token or "", now)
    application = enrollment(actor, session.cohort)
    if application is None:
        raise Forbidden(_l("您未被录取在本班次，不能签到"))
    def existing() -> Attendance | None:
        return db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                          Attendance.application_id == application.id))

    if (row := existing()) is not None:
        return row, False
    status = AttendanceStatus.LATE if now > session.starts_at + LATE_AFTER else AttendanceStatus.PRESENT
    try:
        with db.session.begin_nested():  # a double scan racing this one: the unique key keeps one
            row = record_attendance(actor, session, application, status, AttendanceMethod.QR)
    except IntegrityError:
        return existing(), False
    audit.record(actor, "attendance.checkin", session, status=status)
    return row, True
