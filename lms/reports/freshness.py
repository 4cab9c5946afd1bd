"""Which people's facts a change makes stale, marked in the same transaction as the change.

The reports listen to the session rather than being called by the other domains: enrollment, the
certificates, appointments, the talent pool and continuing education do not know the reports
exist (no import towards lms.reports), and a change made by any code path, a flush of objects or
a bulk INSERT / UPDATE / DELETE through the session, is seen. Not seen: statements sent to the
database outside the session (the bench generator's SQL) and INSERT … SELECT into the records'
tables (the code has none): `flask lms report rebuild` after those.
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import Delete, Insert, Update, event, insert, inspect, select, union_all

from lms.appointments.models import Appointment
from lms.ce.enums import CreditSource
from lms.ce.models import CeCredit
from lms.certificates.models import Certificate
from lms.enrollment.models import Application
from lms.extensions import db
from lms.reports.models import ReportStale
from lms.talent.models import TalentEntry

# records whose facts belong to one person: table -> the person's column
PERSON = {"applications": "user_id", "certificates": "user_id", "appointments": "user_id",
          "talent_entries": "user_id", "ce_credits": "user_id"}


def _attendance_people(application_ids):
    return select(Application.user_id).where(Application.id.in_(application_ids))


def _credits_from(source: CreditSource):
    return lambda ids: select(CeCredit.user_id).where(CeCredit.source == source, CeCredit.source_id.in_(ids))


# records that place other people's facts: table -> (the columns that matter, the people they place)
CONTEXT = {
    "cohorts": ({"region_id", "starts_on"}, lambda ids: union_all(
        select(Application.user_id).where(Application.cohort_id.in_(ids)),
        select(Certificate.user_id).where(Certificate.cohort_id.in_(ids)))),
    "enterprises": ({"region_id"}, lambda ids: union_all(
        select(Appointment.user_id).where(Appointment.enterprise_id.in_(ids)),
        select(TalentEntry.user_id).where(TalentEntry.enterprise_id.in_(ids)))),
    "programs": ({"level", "ce_hours_per_year"},
                 lambda ids: select(Certificate.user_id).where(Certificate.program_id.in_(ids))),
    "ce_activities": ({"region_id"}, _credits_from(CreditSource.ACTIVITY)),
    "ce_courses": ({"region_id"}, _credits_from(CreditSource.COURSE)),
}
_STALE = ReportStale.__table__


def _mark(connection, people=(), select_people=None) -> None:
    found = sorted({p for p in people if p is not None})
    if found:
        connection.execute(insert(_STALE), [{"person": p} for p in found])
    if select_people is not None:
        connection.execute(insert(_STALE).from_select(["person"], select_people))


def _changed(obj, columns) -> bool:
    state = inspect(obj)
    return any(state.attrs[c].history.has_changes() for c in columns)


@event.listens_for(db.session, "before_flush")
def _before_flush(session, _context, _instances) -> None:
    # a deleted cohort or enterprise takes rows with it in the database (ON DELETE CASCADE): find
    # the people it placed while they are still there
    for obj in session.deleted:
        spec = CONTEXT.get(getattr(obj, "__tablename__", None))
        if spec is not None and obj.id is not None:
            _mark(session.connection(), select_people=spec[1]([obj.id]))


@event.listens_for(db.session, "after_flush")
def _after_flush(session, _context) -> None:
    people, applications, placed = set(), set(), {}
    for obj in chain(session.new, session.dirty, session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table in PERSON:
            people.add(getattr(obj, PERSON[table]))
        elif table == "attendance":
            applications.add(obj.application_id)
        elif table in CONTEXT and obj in session.dirty and _changed(obj, CONTEXT[table][0]):
            placed.setdefault(table, set()).add(obj.id)
    if not (people or applications or placed):
        return
    connection = session.connection()
    _mark(connection, people)
    if applications:
        _mark(connection, select_people=_attendance_people(sorted(applications)))
    for table, ids in placed.items():
        _mark(connection, select_people=CONTEXT[table][1](sorted(ids)))


@event.listens_for(db.session, "do_orm_execute")
def _bulk_statement(state) -> None:
    """INSERT / UPDATE / DELETE statements run through the session (ORM bulk or Core): mark the people
    of the rows they touch, before they run (a DELETE's rows are gone after)."""
    statement = state.statement
    if not isinstance(statement, (Insert, Update, Delete)):
        return
    table = statement.table
    name = getattr(table, "name", None)
    if name not in PERSON and name != "attendance" and name not in CONTEXT:
        return
    connection = state.session.connection()
    if isinstance(statement, Insert):
        if name in CONTEXT:  # a new cohort or enterprise places nobody yet
            return
        rows = _inserted_rows(state)
        if name == "attendance":
            _mark(connection, select_people=_attendance_people(sorted({r.get("application_id") for r in rows})))
        else:
            _mark(connection, [r.get(PERSON[name]) for r in rows])
        return
    where = statement.whereclause
    touched = select(table.c.id) if where is None else select(table.c.id).where(where)
    if name in PERSON:
        people = select(table.c[PERSON[name]]) if where is None else select(table.c[PERSON[name]]).where(where)
        _mark(connection, select_people=people)
    elif name == "attendance":
        _mark(connection, select_people=_attendance_people(
            select(table.c.application_id) if where is None else select(table.c.application_id).where(where)))
    elif isinstance(statement, Delete) or _sets_any(state, CONTEXT[name][0]):
        _mark(connection, select_people=CONTEXT[name][1](touched))


def _inserted_rows(state) -> list[dict]:
    parameters = state.parameters
    if isinstance(parameters, dict) and parameters:
        return [parameters]
    if isinstance(parameters, list | tuple) and parameters:
        return list(parameters)
    return [dict(state.statement.compile().params)]  # values given with .values()


def _sets_any(state, columns: set[str]) -> bool:
    """Whether an UPDATE sets one of `columns`; when it cannot be told, assume it does."""
    values = getattr(state.statement, "_values", None)  # the SET clause of .values() (no public accessor)
    if values:
        return bool(columns & {getattr(key, "key", key) for key in values})
    parameters = state.parameters
    rows = [parameters] if isinstance(parameters, dict) else list(parameters or [])
    return not rows or any(columns & set(row) for row in rows)
