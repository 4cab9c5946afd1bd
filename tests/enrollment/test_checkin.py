"""QR check-in: the token rotates every 30 s, the previous step is still accepted, older ones are
stale, another session's are foreign, and only within the session's window; once per trainee."""
from datetime import datetime, timedelta, UTC

import pytest

from lms.core.errors import Conflict, Forbidden
from lms.enrollment.decisions import decide
from lms.enrollment.checkin import STEP_SECONDS, check_in, check_token, current_code, token_for
from lms.extensions import db


@pytest.fixture
def enrolled(make_cohort, make_user, make_trainee, make_application, make_session):
    cohort = make_cohort()
    application = make_application(cohort, make_trainee())
    decide(make_user("institution", scope=cohort.institution), application, "approve")
    db.session.commit()
    start = datetime(2026, 3, 5, 1, 0, tzinfo=UTC)
    return application, make_session(cohort, starts_at=start, minutes=180), make_session(cohort, starts_at=start)


def test_token_rotates_every_step_and_the_previous_one_still_works(enrolled):
    _application, session, _other = enrolled
    now = session.starts_at + timedelta(minutes=5, seconds=3)
    code = current_code(session, now)
    assert code["open"] and 0 < code["expires_in"] <= STEP_SECONDS
    later = now + timedelta(seconds=STEP_SECONDS)
    assert current_code(session, later)["token"] != code["token"]
    check_token(session, code["token"], later)  # previous step: accepted
    with pytest.raises(Conflict, match="已过期"):
        check_token(session, code["token"], later + timedelta(seconds=STEP_SECONDS))


def test_foreign_and_garbage_tokens_are_refused(enrolled):
    _application, session, other = enrolled
    now = session.starts_at + timedelta(minutes=1)
    with pytest.raises(Conflict, match="不是本课次"):
        check_token(session, current_code(other, now)["token"], now)
    with pytest.raises(Conflict, match="不是本课次"):
        check_token(session, "not-a-token", now)
    with pytest.raises(Conflict, match="不是本课次"):  # found by schemathesis: was a 500 (TypeError)
        check_token(session, "签到码", now)


def test_only_within_the_window(enrolled, app):
    _application, session, _other = enrolled
    margin = timedelta(minutes=app.config["CHECKIN_MARGIN_MINUTES"])
    early = session.starts_at - margin - timedelta(seconds=1)
    with pytest.raises(Conflict, match="不在本课次的签到时间内"):
        check_token(session, current_code(session, early)["token"], early)
    late = session.ends_at + margin + timedelta(seconds=1)
    with pytest.raises(Conflict, match="不在本课次的签到时间内"):
        check_token(session, current_code(session, late)["token"], late)
    check_token(session, current_code(session, session.ends_at)["token"], session.ends_at)


def test_check_in_once_and_late_after_fifteen_minutes(enrolled, make_trainee):
    application, session, other = enrolled
    now = session.starts_at + timedelta(minutes=20)
    row, created = check_in(application.user, session, current_code(session, now)["token"], now)
    assert created and row.status == "late" and row.method == "qr"
    again, created = check_in(application.user, session, current_code(session, now)["token"], now)
    assert not created and again.id == row.id
    on_time = other.starts_at + timedelta(minutes=2)
    assert check_in(application.user, other, current_code(other, on_time)["token"], on_time)[0].status == "present"
    with pytest.raises(Forbidden, match="未被录取"):
        check_in(make_trainee(), session, current_code(session, now)["token"], now)


def test_token_depends_on_the_secret(enrolled, make_app):
    _application, session, _other = enrolled
    other_app = make_app(SECRET_KEY="another-secret")
    mine = token_for(session.id, 1000)
    with other_app.app_context():
        assert token_for(session.id, 1000) != mine


def test_a_scan_shows_nothing_about_a_session_until_its_code_checks_out(enrolled, client, login):
    application, session, other = enrolled
    cohort_title, module_title = session.cohort.title, session.module.title
    garbage = client.get(f"/checkin/{session.id}/anything-at-all")
    unknown = client.get("/checkin/987654321/anything-at-all")
    foreign = client.get(f"/checkin/{session.id}/{current_code(other)['token']}")
    for response in (garbage, unknown, foreign):
        html = response.get_data(as_text=True)
        assert response.status_code == 409 and "不是本课次的签到码" in html
        assert cohort_title not in html and module_title not in html
    assert unknown.get_data(as_text=True) == garbage.get_data(as_text=True)  # an id is not probed either
    login(application.user)
    html = client.get(f"/checkin/{session.id}/anything-at-all").get_data(as_text=True)
    assert "不是本课次的签到码" in html and cohort_title not in html
    # a genuine code outside the session's window: only now the times are named
    response = client.get(f"/checkin/{session.id}/{current_code(session)['token']}")
    assert response.status_code == 409 and "不在本课次的签到时间内" in response.get_data(as_text=True)
