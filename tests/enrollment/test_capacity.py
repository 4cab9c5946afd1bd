"""Capacity is enforced atomically: two staff approving the last seat at once end with one
approved and one waitlisted, with real threads and separate connections, on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import select

from lms.accounts.models import User
from lms.enrollment.decisions import decide, withdraw
from lms.enrollment.models import Application, Cohort
from lms.extensions import db


def _race(app, make_cohort, make_trainee, make_user, make_application, rounds=4):
    """Per round: a cohort with one seat left and two staff approving two applicants at the same moment."""
    with app.app_context():
        db.create_all()
        setups = []
        for _ in range(rounds):
            cohort = make_cohort(capacity=2)
            first, a, b = (make_application(cohort, make_trainee()) for _ in range(3))
            staff = [make_user("institution", scope=cohort.institution) for _ in range(2)]
            decide(staff[0], first, "approve")
            db.session.commit()
            setups.append((cohort.id, [s.id for s in staff], [a.id, b.id]))
        db.session.remove()

    outcomes = []
    for cohort_id, staff_ids, application_ids in setups:
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def approve(staff_id, application_id, barrier=barrier, errors=errors):
            try:
                with app.app_context():
                    actor = db.session.get(User, staff_id)
                    application = db.session.get(Application, application_id)
                    _ = application.cohort  # load before the race, as a view would
                    barrier.wait()
                    decide(actor, application, "approve")
                    db.session.commit()
                    db.session.remove()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=approve, args=pair) for pair in zip(staff_ids, application_ids, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == []
        with app.app_context():
            statuses = sorted(db.session.scalars(select(Application.status).where(Application.id.in_(application_ids))))
            cohort = db.session.get(Cohort, cohort_id)
            outcomes.append((statuses, cohort.seats_taken))
            db.session.remove()
    return outcomes


def test_capacity_race_on_sqlite(make_app, tmp_path, make_cohort, make_trainee, make_user, make_application):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'race.sqlite3'}")
    for statuses, seats_taken in _race(app, make_cohort, make_trainee, make_user, make_application):
        assert statuses == ["approved", "waitlisted"]
        assert seats_taken == 2


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="TEST_DATABASE_URL (PostgreSQL) is not set")
def test_capacity_race_on_postgresql(make_app, make_cohort, make_trainee, make_user, make_application):
    app = make_app(DATABASE_URL=os.environ["TEST_DATABASE_URL"])
    for statuses, seats_taken in _race(app, make_cohort, make_trainee, make_user, make_application):
        assert statuses == ["approved", "waitlisted"]
        assert seats_taken == 2


def test_withdrawal_after_approval_promotes_the_first_waitlisted(make_cohort, make_trainee, make_user,
                                                                  make_application):
    cohort = make_cohort(capacity=1)
    staff = make_user("institution", scope=cohort.institution)
    holder, second, third = (make_application(cohort, make_trainee()) for _ in range(3))
    assert decide(staff, holder, "approve").status == "approved"
    assert decide(staff, second, "approve").status == "waitlisted"  # full: waitlisted, not refused
    assert decide(staff, third, "approve").status == "waitlisted"
    db.session.commit()

    withdraw(holder.user, holder)
    db.session.commit()
    db.session.expire_all()
    assert [holder.status, second.status, third.status] == ["withdrawn", "approved", "waitlisted"]
    assert cohort.seats_taken == 1
    from lms.notifications.services import notifications_for

    assert "由候补转为录取" in notifications_for(second.user)[0].text


def test_rejection_after_approval_frees_the_seat(make_cohort, make_trainee, make_user, make_application):
    cohort = make_cohort(capacity=1)
    staff = make_user("institution", scope=cohort.institution)
    holder = make_application(cohort, make_trainee())
    decide(staff, holder, "approve")
    db.session.commit()
    decide(staff, holder, "reject", "材料不实")
    db.session.commit()
    db.session.expire_all()
    assert holder.status == "rejected" and cohort.seats_taken == 0  # nobody waiting: the counter goes down


def test_raising_the_capacity_admits_the_waitlist_in_order(make_cohort, make_trainee, make_user, make_application):
    from lms.enrollment.cohorts import save_cohort

    cohort = make_cohort(capacity=1)
    staff = make_user("institution", scope=cohort.institution)
    apps = [make_application(cohort, make_trainee()) for _ in range(4)]
    for application in apps:
        decide(staff, application, "approve")
    db.session.commit()
    fields = {name: getattr(cohort, name) for name in ("code", "title", "program", "institution", "region", "starts_on",
                                                       "ends_on", "applications_open_on", "applications_close_on")}
    save_cohort(staff, {**fields, "capacity": 3}, cohort)
    db.session.commit()
    db.session.expire_all()
    assert [a.status for a in apps] == ["approved", "approved", "approved", "waitlisted"]
    assert cohort.seats_taken == 3
