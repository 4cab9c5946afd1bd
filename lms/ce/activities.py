"""CE activities: publish, register (capacity and waitlist), cancel, and attendance by the
organizer's list or a rotating QR check-in, each crediting the activity's hours once.

Seats: taking one is ONE conditional UPDATE (`seats_taken + 1 WHERE seats_taken < capacity`),
and every registration status change is a conditional UPDATE on the expected old status, so two
people registering for the last seat, or a cancellation racing a registration, never overbook.
Registration is open from publication until the activity ends; attendance can be recorded from
its start until 30 days after its end (DESIGN §9).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.ce import access, ledger, validate
from lms.ce.enums import ActivityKind, AttendanceMethod, Category, CreditSource, RegistrationStatus
from lms.ce.models import CeActivity, CeAttendance, CeRegistration
from lms.core import audit, rotating
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.permissions import one_or_404
from lms.core.time import utcnow
from lms.enrollment.cohorts import LOCAL_TZ
from lms.extensions import db
from lms.notifications.services import message, notify

ATTENDANCE_AFTER = timedelta(days=30)
QR_PURPOSE = "ce-activity"
MAX_CAPACITY = 100_000

PROMOTED = message("ce.promoted", _l("有名额空出，您已由候补转为正式报名：%(activity)s"))
CREDITED = message("ce.activity_credited", _l("您参加“%(activity)s”获得继续教育学时 %(hours)s"))
HOLDING = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


# ---- reading ------------------------------------------------------------------------------

def published(now: datetime | None = None) -> Select:
    return select(CeActivity).where(CeActivity.published_at <= (now or utcnow()))


def open_activities(now: datetime | None = None) -> Select:
    """Taking registrations: published and not ended; earliest first."""
    now = now or utcnow()
    return published(now).where(CeActivity.ends_at > now).order_by(CeActivity.starts_at, CeActivity.id)


def managed_activities(actor) -> Select:
    return (select(CeActivity).where(access.organizer_clause(actor, CeActivity))
            .order_by(CeActivity.starts_at.desc(), CeActivity.id.desc()))


def get_activity(actor, activity_id: int) -> CeActivity:
    """A published activity (anyone signed in), or one the actor organizes."""
    visible = or_(CeActivity.published_at <= utcnow(), access.organizer_clause(actor, CeActivity))
    return one_or_404(select(CeActivity).where(CeActivity.id == activity_id, visible))


def registration_of(user_id: int, activity_id: int) -> CeRegistration | None:
    return db.session.scalar(select(CeRegistration).where(CeRegistration.activity_id == activity_id,
                                                          CeRegistration.user_id == user_id))


def own_registrations(actor) -> list[CeRegistration]:
    return list(db.session.scalars(
        select(CeRegistration).join(CeActivity, CeActivity.id == CeRegistration.activity_id)
        .where(CeRegistration.user_id == actor.id, CeRegistration.status != RegistrationStatus.CANCELLED)
        .order_by(CeActivity.starts_at.desc())))


def registrations(activity: CeActivity) -> list[tuple[CeRegistration, CeAttendance | None]]:
    """Everyone who registered (cancelled last), with their attendance."""
    attendance = {a.user_id: a for a in db.session.scalars(
        select(CeAttendance).where(CeAttendance.activity_id == activity.id))}
    rows = db.session.scalars(select(CeRegistration).where(CeRegistration.activity_id == activity.id)
                              .order_by(CeRegistration.status == RegistrationStatus.CANCELLED,
                                        CeRegistration.waitlisted_at.is_not(None), CeRegistration.waitlisted_at,
                                        CeRegistration.registered_at, CeRegistration.id)).all()
    return [(r, attendance.get(r.user_id)) for r in rows]


def is_open_for_registration(activity: CeActivity, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return activity.published_at <= now < activity.ends_at


def attendance_window(activity: CeActivity) -> tuple[datetime, datetime]:
    return activity.starts_at, activity.ends_at + ATTENDANCE_AFTER


def checkin_window(activity: CeActivity) -> tuple[datetime, datetime]:
    margin = timedelta(minutes=current_app.config.get("CHECKIN_MARGIN_MINUTES", 15))
    return activity.starts_at - margin, activity.ends_at + margin


# ---- publishing -----------------------------------------------------------------------------

def save_activity(actor, data: dict, activity: CeActivity | None = None) -> CeActivity:
    """Publish a new activity or change one the actor organizes. `data`: title, kind, category,
    starts_at, ends_at (aware datetimes or ISO 8601 with offset), place, hours, capacity,
    description, organizer (an `Organizer.key` of the actor's; default their first)."""
    access.require_publish(actor, activity, _l("只有承办机构、市场监管局可以发布继续教育活动"))
    problems = validate.Problems()
    title = validate.text(data, "title", problems)
    kind = validate.choice(data, "kind", ActivityKind, problems)
    category = validate.choice(data, "category", Category, problems)
    place = validate.text(data, "place", problems, required=False)
    description = validate.text(data, "description", problems, required=False, max_length=5000)
    starts_at = validate.moment(data.get("starts_at"), "starts_at", problems)
    ends_at = validate.moment(data.get("ends_at"), "ends_at", problems)
    if starts_at and ends_at and ends_at <= starts_at:
        problems["ends_at"] = _l("结束时间应晚于开始时间")
    hours = validate.hours(data.get("hours"), "hours", problems, high=1000)
    if hours and starts_at and ends_at and ends_at > starts_at:
        length = (ends_at - starts_at).total_seconds() / 3600
        if hours > length + 1e-9:
            problems["hours"] = _l("学时不能超过活动时长（%(length)s 小时）", length=f"{round(length, 1):g}")
    low = activity.seats_taken if activity is not None else 1
    capacity = validate.whole(data.get("capacity"), "capacity", problems, low=max(1, low), high=MAX_CAPACITY)
    organizer = access.pick_organizer(actor, data.get("organizer"), problems) if activity is None else None
    problems.raise_if_any(_l("活动信息有误"))
    if activity is None:
        activity = CeActivity(institution_id=organizer.institution_id, region_id=organizer.region_id,
                              created_by_id=actor.id, published_at=utcnow(), seats_taken=0)
        db.session.add(activity)
    activity.title, activity.kind, activity.category = title, kind, category
    activity.starts_at, activity.ends_at, activity.place = starts_at, ends_at, place
    activity.description, activity.hours, activity.capacity = description, hours, capacity
    db.session.flush()
    audit.record(actor, "ce.activity.save", activity, title=title)
    return activity


# ---- registration ---------------------------------------------------------------------------

def _take_seat(activity_id: int) -> bool:
    result = db.session.execute(
        update(CeActivity).where(CeActivity.id == activity_id, CeActivity.seats_taken < CeActivity.capacity)
        .values(seats_taken=CeActivity.seats_taken + 1).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _move(registration_id: int, from_statuses, **values) -> bool:
    result = db.session.execute(
        update(CeRegistration).where(CeRegistration.id == registration_id, CeRegistration.status.in_(from_statuses))
        .values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _release_seat(actor, activity: CeActivity) -> CeRegistration | None:
    """A seat was given back: the first waitlisted person takes it, else the counter goes down."""
    waiting = db.session.scalars(
        select(CeRegistration.id).where(CeRegistration.activity_id == activity.id,
                                        CeRegistration.status == RegistrationStatus.WAITLISTED)
        .order_by(CeRegistration.waitlisted_at, CeRegistration.id)).all()
    for registration_id in waiting:
        if _move(registration_id, [RegistrationStatus.WAITLISTED], status=RegistrationStatus.REGISTERED,
                 waitlisted_at=None):
            promoted = db.session.get(CeRegistration, registration_id)
            db.session.refresh(promoted)
            notify(promoted.user_id, PROMOTED, f"/ce/activities/{activity.id}", activity=activity.title)
            audit.record(actor, "ce.registration.promote", promoted)
            return promoted
    db.session.execute(update(CeActivity).where(CeActivity.id == activity.id, CeActivity.seats_taken > 0)
                       .values(seats_taken=CeActivity.seats_taken - 1).execution_options(synchronize_session=False))
    return None


def register(actor, activity: CeActivity, now: datetime | None = None) -> tuple[CeRegistration, bool]:
    """Register the actor: a seat if one is left, else the waitlist. Registering again returns
    the registration held (False: nothing new)."""
    access.require_person(actor)
    now = now or utcnow()
    if not is_open_for_registration(activity, now):
        raise Conflict(_l("该活动不在报名时间内"))
    existing = registration_of(actor.id, activity.id)
    if existing is not None and existing.status in HOLDING:
        return existing, False
    took = _take_seat(activity.id)  # the first write: on SQLite the write lock is taken here
    status = RegistrationStatus.REGISTERED if took else RegistrationStatus.WAITLISTED
    values = dict(status=status, registered_at=now, waitlisted_at=None if took else now, cancelled_at=None)
    if existing is not None:
        moved = _move(existing.id, [RegistrationStatus.CANCELLED], **values)
        registration = existing
    else:
        try:
            with db.session.begin_nested():
                registration = CeRegistration(activity_id=activity.id, user_id=actor.id, **values)
                db.session.add(registration)
            moved = True
        except IntegrityError:  # a second tab registered first
            moved, registration = False, registration_of(actor.id, activity.id)
    if not moved:
        if took:
            _release_seat(actor, activity)
        db.session.refresh(registration)
        return registration, False
    db.session.refresh(registration)
    db.session.refresh(activity)
    audit.record(actor, "ce.register", registration, status=status.value)
    return registration, True


def cancel(actor, registration: CeRegistration, now: datetime | None = None) -> CeRegistration:
    """The person withdraws before the activity starts; a seat they held goes to the waitlist."""
    if registration.user_id != actor.id:
        raise Forbidden(_l("只能取消本人的报名"))
    activity = registration.activity
    if (now or utcnow()) >= activity.starts_at:
        raise Conflict(_l("活动已开始，不能取消报名"))
    held = registration.status
    if held not in HOLDING or not _move(registration.id, HOLDING, status=RegistrationStatus.CANCELLED,
                                        cancelled_at=utcnow(), waitlisted_at=None):
        raise Conflict(_l("该报名已取消"))
    if held == RegistrationStatus.REGISTERED:
        _release_seat(actor, activity)
    db.session.refresh(registration)
    db.session.refresh(activity)
    audit.record(actor, "ce.cancel", registration)
    return registration


# ---- attendance and credit ------------------------------------------------------------------

def _mark(actor, activity: CeActivity, user_id: int, present: bool, method: AttendanceMethod) -> bool:
    """Record presence and credit (or withdraw) the hours. True when hours were newly credited."""
    try:
        with db.session.begin_nested():
            db.session.add(CeAttendance(activity_id=activity.id, user_id=user_id, present=present, method=method,
                                        recorded_by_id=getattr(actor, "id", None)))
    except IntegrityError:  # recorded before: correct it
        db.session.execute(update(CeAttendance).where(CeAttendance.activity_id == activity.id,
                                                      CeAttendance.user_id == user_id)
                           .values(present=present, method=method, recorded_at=utcnow(),
                                   recorded_by_id=getattr(actor, "id", None)))
    if not present:
        ledger.withdraw(user_id, CreditSource.ACTIVITY, activity.id)
        return False
    credited = ledger.credit(user_id, CreditSource.ACTIVITY, activity.id, hours=activity.hours,
                             category=activity.category, title=activity.title,
                             earned_on=activity.starts_at.astimezone(LOCAL_TZ).date(), actor=actor)
    if credited:
        notify(user_id, CREDITED, "/ce", activity=activity.title, hours=f"{activity.hours:g}")
    return credited


def record_attendance(actor, activity: CeActivity, records: dict[int, bool], now: datetime | None = None) -> dict:
    """The organizer's list: {user id: present}. Each person must have registered. Returns the
    counts {present, absent, credited} (credited: hours newly credited by this call)."""
    access.require_organize(actor, activity)
    now = now or utcnow()
    first, last = attendance_window(activity)
    if not first <= now <= last:
        raise Conflict(_l("只能在活动开始后至结束后 30 天内登记考勤"))
    known = set(db.session.scalars(select(CeRegistration.user_id).where(
        CeRegistration.activity_id == activity.id, CeRegistration.status.in_(HOLDING),
        CeRegistration.user_id.in_(list(records)))))
    problems = {f"records[{user_id}]": _l("该人员未报名此活动") for user_id in records if user_id not in known}
    if problems:
        raise ValidationFailed(_l("考勤名单有误"), problems)
    counts = {"present": 0, "absent": 0, "credited": 0}
    for user_id, present in records.items():
        counts["present" if present else "absent"] += 1
        counts["credited"] += _mark(actor, activity, user_id, present, AttendanceMethod.LIST)
    audit.record(actor, "ce.attendance", activity, **counts)
    return counts


def qr_code(activity: CeActivity, now: datetime | None = None) -> dict:
    """What the projector shows: the token, seconds until it rotates, whether check-in is open."""
    now = now or utcnow()
    token, expires_in = rotating.current(QR_PURPOSE, activity.id, now)
    first, last = checkin_window(activity)
    return {"token": token, "expires_in": expires_in, "open": first <= now <= last}


INVALID = _l("二维码无效：这不是本活动的签到码")


def check_token(activity: CeActivity, token: str, now: datetime | None = None) -> None:
    """Refuse (409) a code that is foreign, stale, or outside the check-in window, in that order:
    only a genuine code learns the activity's times (as session check-in does)."""
    now = now or utcnow()
    found = rotating.match(QR_PURPOSE, activity.id, token if isinstance(token, str) else "", now)
    if found is rotating.Match.STALE:
        raise Conflict(_l("二维码已过期，请扫描投影屏幕上最新的二维码"))
    if found is rotating.Match.FOREIGN:
        raise Conflict(INVALID)
    first, last = checkin_window(activity)
    if not first <= now <= last:
        raise Conflict(_l("不在本活动的签到时间内"))


def scanned(activity_id: int, token: str, now: datetime | None = None) -> CeActivity:
    """The activity a scanned code belongs to; an unknown one answers like a foreign code."""
    activity = db.session.get(CeActivity, activity_id)
    if activity is None or activity.published_at > (now or utcnow()):
        raise Conflict(INVALID)
    check_token(activity, token, now)
    return activity


def check_in(actor, activity: CeActivity, token: str | None, now: datetime | None = None,
             verified: bool = False) -> bool:
    """Self check-in by the projector's QR code. True when hours were credited now, False when
    the person had checked in (and been credited) before. `verified`: the token was checked at
    scan time, before the person signed in; the window still applies."""
    access.require_person(actor)
    now = now or utcnow()
    if verified:
        first, last = checkin_window(activity)
        if not first <= now <= last:
            raise Conflict(_l("不在本活动的签到时间内"))
    else:
        check_token(activity, token or "", now)
    registration = registration_of(actor.id, activity.id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        raise Conflict(_l("您未报名此活动（或仍在候补），不能签到"))
    if ledger.is_credited(actor.id, CreditSource.ACTIVITY, activity.id):
        return False
    credited = _mark(actor, activity, actor.id, True, AttendanceMethod.QR)
    if credited:
        audit.record(actor, "ce.checkin", activity)
    return credited


def checked_in_count(activity: CeActivity) -> int:
    return db.session.scalar(select(func.count()).select_from(CeAttendance).where(
        CeAttendance.activity_id == activity.id, CeAttendance.present.is_(True))) or 0


def people_named(user_ids: list[int]) -> dict[int, User]:
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
