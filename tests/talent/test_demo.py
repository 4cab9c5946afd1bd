"""The demo: appointments, filings in each state, a Liaoning city with accepted filings and a
city bureau account that accepts them."""
from sqlalchemy import select

from lms.accounts.models import User
from lms.appointments.models import Appointment
from lms.appointments.services import valid_certificates
from lms.demo import seed_demo
from lms.extensions import db
from lms.talent import services
from lms.talent.models import Filing, FilingStatus


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_the_demo_has_filings_in_each_state_and_a_city_bureau_that_accepts(app):
    seed_demo()
    db.session.commit()
    states = {f.status for f in db.session.scalars(select(Filing))}
    assert states == set(FilingStatus)
    graduate = _user("graduate")
    assert db.session.scalar(select(Appointment).where(Appointment.user_id == graduate.id)).post.code == "sh-director"
    # the walk-through's filings (the reports demo's history files hundreds more, numbered DEMO-…)
    accepted = db.session.scalars(select(Filing).where(Filing.status == FilingStatus.ACCEPTED,
                                                       Filing.filing_no.not_like("DEMO-%"))).all()
    assert {f.filing_no.split("-")[0] for f in accepted} == {"210100"} and len(accepted) == 3

    bureau, hr = _user("citybureau"), _user("ln-enterprise")
    (waiting,) = services.awaiting_acceptance(bureau)
    (to_endorse,) = services.awaiting_endorsement(hr)
    services.accept_filing(bureau, waiting)
    assert waiting.filing_no == f"210100-{waiting.accepted_at.year}-0004"
    assert to_endorse.status == FilingStatus.SUBMITTED


def test_the_walkthrough_person_is_certified_and_not_yet_appointed(app):
    seed_demo()
    person = _user("ln-graduate")
    assert valid_certificates([person.id]).get(person.id)
    assert db.session.scalar(select(Appointment).where(Appointment.user_id == person.id)) is None
