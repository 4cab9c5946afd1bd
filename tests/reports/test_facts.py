"""The stored facts (lms.reports.facts) always equal what the definitions select from the records,
whichever way the records change: a flush of objects, a bulk statement through the session, a
change to the cohort, enterprise or programme that places people, a deletion."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, insert, select, update

from lms.extensions import db
from lms.reports import facts, services
from lms.reports.counting import by_periods, count, rows
from lms.reports.models import ReportFact


def snapshot() -> list[tuple]:
    facts.ensure_fresh()
    return sorted((f.metric, f.person, str(f.day), str(f.end), f.year, f.region_id, f.enterprise_id, f.post_id,
                   str(f.level or ""), f.ref) for f in db.session.scalars(select(ReportFact)))


@pytest.fixture
def fresh():
    """Call after a change: the facts kept so far equal a rebuild from the records, and differ from before."""
    before = [snapshot()]

    def check(change: str):
        kept = snapshot()
        assert kept != before[0], f"{change}: no kept fact changed (the change went unnoticed, or the test proves nothing)"
        facts.rebuild()
        assert kept == snapshot(), f"{change}: the kept facts differ from the records"
        before[0] = kept

    return check


def test_every_kind_of_change_keeps_the_facts_equal_to_the_records(world, fresh):
    from lms.ce import ledger
    from lms.ce.enums import Category, CreditSource
    from lms.certificates.models import Certificate
    from lms.enrollment.models import Application, Attendance

    a, b = world.person(), world.person()
    certificate = world.certify(a, date(2024, 1, 10), enterprise="a1")
    other = world.certify(b, date(2024, 2, 1), enterprise="b1", level="specialist")
    activity = world.ce_activity("SH-B", date(2025, 3, 1), hours=12)
    world.attend_ce(a, activity)
    world.appoint(b, "sy", date(2025, 1, 1))
    fresh("records added by flushes")

    certificate.status = "revoked"
    db.session.flush()
    fresh("a certificate revoked (flush)")

    attendance = db.session.scalar(select(Attendance).where(Attendance.application_id == other.application_id))
    attendance.status = "absent"
    db.session.flush()
    fresh("an attendance corrected to absent (flush)")

    db.session.execute(update(Attendance).where(Attendance.id == attendance.id).values(status="present"))
    fresh("the attendance back to present (bulk UPDATE)")

    db.session.execute(update(Application).where(Application.id == other.application_id).values(status="withdrawn"))
    fresh("an application withdrawn (bulk UPDATE)")

    ledger.withdraw(a.id, CreditSource.ACTIVITY, activity.id)
    fresh("a CE credit withdrawn (bulk DELETE)")

    ledger.credit(b.id, CreditSource.ACTIVITY, activity.id, hours=12, category=Category.PROFESSIONAL, title="沙龙",
                  earned_on=date(2025, 3, 1))
    fresh("a CE credit added (Core INSERT … ON CONFLICT)")

    activity.region = world.regions["SH-A"]
    db.session.flush()
    fresh("the CE activity moved to another district (the people it placed)")

    cohort = db.session.get(Application, other.application_id).cohort
    cohort.region = world.regions["LN-SY"]
    db.session.flush()
    fresh("the cohort moved to another region (its applicants and certificates)")

    world.enterprises["sy"].region = world.regions["LN-SY-HP"]
    db.session.flush()
    fresh("the enterprise moved to another district (its appointments)")

    db.session.execute(update(type(cohort.program)).where(type(cohort.program).id == other.program_id)
                       .values(level="director"))
    fresh("the programme's level changed (bulk UPDATE)")

    application = world.enroll(a, world.cohort("SH-B", date(2025, 5, 1)))
    fresh("another enrollment")
    columns = {c.key: getattr(other, c.key) for c in Certificate.__table__.columns if c.key != "id"}
    db.session.execute(insert(Certificate), [{**columns, "cert_no": "T-BULK", "user_id": a.id, "issued_on": date(2025, 6, 1),
                                             "application_id": application.id, "cohort_id": application.cohort_id}])
    fresh("a certificate inserted in bulk (ORM INSERT with rows)")

    db.session.execute(delete(Certificate).where(Certificate.cert_no == "T-BULK"))
    fresh("the certificate deleted in bulk")


def test_a_seats_only_update_marks_nobody(world):
    from lms.enrollment.models import Cohort
    from lms.reports.models import ReportStale

    person = world.person()
    cohort = world.cohort("SH-A")
    world.enroll(person, cohort)
    facts.ensure_fresh()
    db.session.execute(update(Cohort).where(Cohort.id == cohort.id).values(seats_taken=Cohort.seats_taken + 1))
    assert db.session.scalar(select(db.func.count()).select_from(ReportStale)) == 0


def test_ce_complete_until_a_certificate_asking_more_hours_is_issued(world):
    """Complete in June with 12 of 12 hours; a certificate asking 24 a year issued in September makes
    the person incomplete from that day (a count as of a day is not a running maximum)."""
    person = world.person()
    world.certify(person, date(2024, 1, 1), enterprise="a1", ce_hours=12)
    world.attend_ce(person, world.ce_activity("SH-A", date(2025, 4, 1), hours=12))
    sh = services.scope_of(world.regions["SH"])
    assert count("ce_complete_people", sh, date(2025, 3, 31)) == 0
    assert count("ce_complete_people", sh, date(2025, 6, 30)) == 1
    assert [r[0] for r in rows("ce_complete_people", sh, date(2025, 6, 30))] == [person.id]
    world.certify(person, date(2025, 9, 1), enterprise="a1", level="cso", ce_hours=24)
    assert count("ce_complete_people", sh, date(2025, 6, 30)) == 1
    assert count("ce_complete_people", sh, date(2025, 10, 1)) == 0
    world.attend_ce(person, world.ce_activity("SH-A", date(2025, 11, 1), hours=12))
    assert count("ce_complete_people", sh, date(2025, 12, 31)) == 1
    assert by_periods("ce_complete_people", sh, [(date(2025, 1, 1), date(2025, 6, 30)),
                                                          (date(2025, 7, 1), date(2025, 10, 1)),
                                                          (date(2025, 10, 2), date(2025, 12, 31))]) == [1, 0, 1]


def test_rebuild_command_rewrites_the_facts_from_the_records(world, app):
    person = world.person()
    world.certify(person, date(2024, 1, 10), enterprise="a1")
    db.session.commit()
    db.session.execute(delete(ReportFact))  # lost (or loaded around the session)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["lms", "report", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "facts stored" in result.output
    assert count("certified_people", services.scope_of(world.regions["SH"]), date(2026, 12, 5)) == 1


def test_refresh_command_rewrites_the_stale_people_only(world, app):
    from lms.reports.models import ReportStale

    person = world.person()
    world.certify(person, date(2024, 1, 10), enterprise="a1")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["lms", "report", "refresh"])
    assert result.exit_code == 0, result.output
    assert "facts of 1 people rewritten" in result.output
    assert db.session.scalar(select(db.func.count()).select_from(ReportStale)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(ReportFact)) > 0


def test_readers_refreshing_at_once_store_each_fact_once(world, app):
    """Several readers find the same people stale at once (each marked twice, by two changes): the
    facts are rewritten once, not once per reader."""
    from tests.exams.test_concurrency import run_threads

    people = [world.person() for _ in range(6)]
    for i, person in enumerate(people):
        world.certify(person, date(2024, 1, 1 + i), enterprise="a1")
    db.session.commit()
    expected = snapshot()
    db.session.commit()
    for _change in range(2):
        facts.mark_stale([p.id for p in people])
        db.session.commit()

    def read(_i):
        count("certified_people", services.scope_of(world.regions["SH"]), date(2026, 12, 5))
        db.session.commit()

    run_threads(app, read, 4)
    db.session.expire_all()
    assert snapshot() == expected


def test_a_reader_rewriting_while_another_has_not_committed_waits_for_it(world, app):
    """PostgreSQL: reader A has rewritten a person's facts and not yet committed; a new change marks the
    person stale again; reader B takes that mark. B must wait for A (else B deletes only the facts A
    is replacing, then adds its own beside A's: every figure of that person counted twice)."""
    import threading
    import time

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: B cannot start before A commits")
    person = world.person()
    world.certify(person, date(2024, 1, 10), enterprise="a1")
    db.session.commit()
    expected = snapshot()
    db.session.commit()
    facts.mark_stale([person.id])
    db.session.commit()
    rewritten, go_on, errors = threading.Event(), threading.Event(), []

    def reader(first: bool):
        with app.app_context():
            try:
                facts.ensure_fresh()
                if first:
                    rewritten.set()
                    go_on.wait(10)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    a = threading.Thread(target=reader, args=(True,))
    a.start()
    assert rewritten.wait(10)
    facts.mark_stale([person.id])  # a change committed while A is still open
    db.session.commit()
    b = threading.Thread(target=reader, args=(False,))
    b.start()
    time.sleep(0.5)  # B is at work (and must be waiting for A)
    go_on.set()
    a.join(10)
    b.join(10)
    assert not errors, errors
    db.session.expire_all()
    assert snapshot() == expected
