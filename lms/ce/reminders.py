"""CE reminders: `flask lms ce remind` runs daily from cron; on the dates of CE_REMIND_DATES it
notifies every person whose CE year is incomplete. A person gets one reminder a date, however
often the command runs (the unique key of ce_reminders)."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from lms.ce import ledger
from lms.ce.models import CeReminder
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.notifications.services import message, notify

REMINDER = message("ce.reminder", _l("%(year)s 年继续教育学时尚差 %(missing)s 学时（已完成 %(earned)s / %(required)s），"
                                     "请参加活动、学习网络课程或申报学时"))


def reminder_dates() -> list[tuple[int, int]]:
    text = current_app.config.get("CE_REMIND_DATES") or ""
    return [tuple(int(p) for p in part.split("-")) for part in text.split(",") if part]


def is_reminder_date(day: date) -> bool:
    return (day.month, day.day) in reminder_dates()


def certified_people(year: int) -> list[int]:
    return list(db.session.scalars(select(Certificate.user_id).distinct().where(*ledger.valid_during(year))
                                   .order_by(Certificate.user_id)))


def remind(day: date, force: bool = False) -> tuple[int, int]:
    """(reminded now, incomplete in all) for `day`'s year; nothing unless `day` is a reminder
    date or `force`."""
    if not (force or is_reminder_date(day)):
        return 0, 0
    people = certified_people(day.year)
    standings = ledger.standings(people, day.year)
    incomplete = [s for s in standings.values() if s.certified and not s.complete]
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = CeReminder.__table__
    sent = 0
    for standing in incomplete:
        new = db.session.execute(insert(table).values(
            user_id=standing.user_id, year=day.year, sent_on=day, missing_hours=standing.missing_hours)
            .on_conflict_do_nothing(index_elements=["user_id", "sent_on"]).returning(table.c.id)).scalar()
        if new is not None:
            notify(standing.user_id, REMINDER, "/ce", year=day.year, missing=f"{standing.missing_hours:g}",
                   earned=f"{standing.earned_hours:g}", required=f"{standing.required_hours:g}")
            sent += 1
    return sent, len(incomplete)
