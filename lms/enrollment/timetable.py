"""The trainee's timetable (课程表): the sessions of the cohorts they are admitted to, with time,
place and their own attendance; today's sessions first, then the coming ones, then the past;
the cohort's 开班须知; and the same sessions as an iCalendar (.ics) file for a phone's calendar.

Whether the first session has begun decides whether attendance is judged yet (`started`): before
it, no page says the attendance requirement is unmet."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.core.errors import NotFound
from lms.enrollment.applications import own_applications
from lms.enrollment.enums import ApplicationStatus, AttendanceStatus
from lms.enrollment.models import Application, Attendance, Cohort, CohortSession
from lms.extensions import db

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class TimetableEntry:
    session: CohortSession
    day: date                          # local date
    place: str
    attendance: AttendanceStatus | None
    when: str                          # "today", "upcoming" or "past"

    @property
    def today(self) -> bool:
        return self.when == "today"

    @property
    def hours(self) -> str:
        """09:00–12:00, local time."""
        starts, ends = self.session.starts_at.astimezone(LOCAL), self.session.ends_at.astimezone(LOCAL)
        return f"{starts:%H:%M}–{ends:%H:%M}"

    @property
    def weekday(self) -> str:
        return format_date(self.day, "EEE")


@dataclass
class Timetable:
    application: Application
    today: list[TimetableEntry] = field(default_factory=list)
    upcoming: list[TimetableEntry] = field(default_factory=list)
    past: list[TimetableEntry] = field(default_factory=list)

    @property
    def cohort(self) -> Cohort:
        return self.application.cohort

    @property
    def entries(self) -> list[TimetableEntry]:
        """Today's first, then what comes (soonest first), then what is past (latest first)."""
        return self.today + self.upcoming + self.past

    @property
    def next(self) -> TimetableEntry | None:
        return (self.today + self.upcoming or [None])[0]


def started(cohort: Cohort, now: datetime) -> bool:
    """Whether the cohort's first session has begun (attendance is judged only from then)."""
    first = db.session.scalar(select(CohortSession.starts_at).where(CohortSession.cohort_id == cohort.id)
                              .order_by(CohortSession.starts_at).limit(1))
    return first is not None and first <= now


def timetable(application: Application, now: datetime) -> Timetable:
    """The sessions of an admitted trainee's cohort, sorted as the page shows them."""
    cohort = application.cohort
    marks = dict(db.session.execute(select(Attendance.session_id, Attendance.status)
                                    .where(Attendance.application_id == application.id)).all())
    today = now.astimezone(LOCAL).date()
    table = Timetable(application)
    for session in db.session.scalars(select(CohortSession).where(CohortSession.cohort_id == cohort.id)
                                      .order_by(CohortSession.starts_at, CohortSession.id)):
        day = session.starts_at.astimezone(LOCAL).date()
        when = "today" if day == today else "upcoming" if session.starts_at > now else "past"
        entry = TimetableEntry(session, day, session.place or cohort.place or "", marks.get(session.id), when)
        getattr(table, when).append(entry)
    table.past.reverse()
    return table


def my_timetables(actor, now: datetime) -> list[Timetable]:
    """One timetable per cohort the trainee is admitted to, the one running soonest first."""
    tables = [timetable(a, now) for a in own_applications(actor) if a.status == ApplicationStatus.APPROVED]
    far = datetime.max.replace(tzinfo=LOCAL)
    return sorted(tables, key=lambda t: t.next.session.starts_at if t.next else far)


def admitted_application(actor, application_id: int) -> Application:
    """The trainee's own admitted application (anything else: 404)."""
    for application in own_applications(actor):
        if application.id == application_id and application.status == ApplicationStatus.APPROVED:
            return application
    raise NotFound(_l("报名不存在"))


# ---- iCalendar (RFC 5545) ----------------------------------------------------------------

def _text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continued with a leading space (never splitting a character)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _utc(value: datetime) -> str:
    return value.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def ics(application: Application, now: datetime, host: str, names: dict[str, str]) -> bytes:
    """The cohort's sessions as an iCalendar file. `names` holds the words in the reader's
    language: `calendar` (the calendar's name), `hours` (a format with %(hours)s), `teacher`."""
    cohort = application.cohort
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//lms//timetable//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_text(names['calendar'])}", "X-WR-TIMEZONE:Asia/Shanghai"]
    for session in timetable(application, now).entries:
        row = session.session
        details = [names["hours"] % {"hours": f"{row.hours:g}"}]
        if row.teacher is not None:
            details.append(f"{names['teacher']}{row.teacher.name}")
        lines += ["BEGIN:VEVENT", f"UID:session-{row.id}@{host}", f"DTSTAMP:{_utc(now)}",
                  f"DTSTART:{_utc(row.starts_at)}", f"DTEND:{_utc(row.ends_at)}",
                  f"SUMMARY:{_text(f'{row.module.title} · {cohort.title}')}",
                  f"LOCATION:{_text(session.place)}", f"DESCRIPTION:{_text(chr(10).join(details))}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(part for line in lines for part in _fold(line)) + "\r\n").encode("utf-8")
