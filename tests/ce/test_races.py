"""Races with real threads and separate connections (SQLite file or PostgreSQL): the last seat
goes to one person, and two check-ins of one person credit the activity once."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from lms.accounts.models import User
from lms.ce import activities
from lms.ce.enums import RegistrationStatus
from lms.ce.models import CeActivity, CeCredit, CeRegistration
from lms.extensions import db


def _together(app, work, arguments):
    barrier = threading.Barrier(len(arguments))
    errors: list[BaseException] = []

    def run(*args):
        try:
            with app.app_context():
                prepared = work(*args)
                barrier.wait()
                prepared()
                db.session.commit()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []


def test_two_people_racing_for_the_last_seat(app, organizer, certified, make_activity):
    rounds = []
    for _ in range(3):
        activity = make_activity(organizer, capacity=1)
        rounds.append((activity.id, [certified().id, certified().id]))
    db.session.remove()

    for activity_id, user_ids in rounds:
        def work(user_id, activity_id=activity_id):
            actor, activity = db.session.get(User, user_id), db.session.get(CeActivity, activity_id)
            _ = actor.grants, activity.title  # loaded before the race, as a request would
            return lambda: activities.register(actor, activity)

        _together(app, work, [(u,) for u in user_ids])
        statuses = sorted(db.session.scalars(select(CeRegistration.status).where(
            CeRegistration.activity_id == activity_id)))
        assert statuses == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
        assert db.session.get(CeActivity, activity_id).seats_taken == 1
        db.session.remove()


def test_two_check_ins_of_one_person_at_once_credit_once(app, organizer, certified, make_activity):
    person = certified()
    activity = make_activity(organizer, starts_in=timedelta(minutes=5), hours=2)
    activities.register(person, activity)
    db.session.commit()
    token = activities.qr_code(activity)["token"]
    person_id, activity_id = person.id, activity.id
    db.session.remove()

    def work(_n):
        actor, item = db.session.get(User, person_id), db.session.get(CeActivity, activity_id)
        _ = actor.grants, item.title
        return lambda: activities.check_in(actor, item, token)

    _together(app, work, [(1,), (2,)])
    assert db.session.scalar(select(func.count()).select_from(CeCredit).where(CeCredit.user_id == person_id)) == 1
