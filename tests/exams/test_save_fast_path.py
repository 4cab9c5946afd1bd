"""The answer save's fast path (lms.exams.fast): an accepted bearer-token save is answered beside
the app, with the app's answer; every refusal is still the app's, and a refused save stores nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lms.accounts.models import User
from lms.auth.models import ApiToken
from lms.core.time import utcnow
from lms.exams.models import Attempt, AttemptItem, IntegrityEvent
from lms.extensions import db
from tests.exams.conftest import of_type, started_in_the_browser
from tests.exams.test_hot_path import counted


@pytest.fixture
def sitting(setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    question = of_type(attempt)
    return s, headers, attempt, question, f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}"


def stored(attempt_id: int, question_id: int):
    db.session.expire_all()
    return db.session.execute(select(AttemptItem.response, AttemptItem.seq).where(
        AttemptItem.attempt_id == attempt_id, AttemptItem.revision_id == question_id)).one()


def test_an_accepted_save_skips_the_app_and_takes_two_statements(sitting, client, through_app, app):
    _s, headers, attempt, question, url = sitting
    with counted(app) as statements:
        response = client.put(url, json={"response": "B", "seq": 1}, headers=headers)
    assert response.status_code == 200 and response.get_json()["applied"] is True
    assert through_app == [] and len(statements) == 2, statements
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Frame-Options"] == "DENY"
    assert stored(attempt["id"], question["id"]).seq == 1
    older = client.put(url, json={"response": "C", "seq": 1}, headers=headers)  # not newer: ignored
    assert older.status_code == 200 and older.get_json()["applied"] is False and older.get_json()["seq"] == 1
    assert through_app == []


def test_the_fast_path_answers_as_the_app_does(sitting, client, make_app):
    _s, headers, attempt, question, url = sitting
    fast = client.put(url, json={"response": "B", "seq": 1}, headers=headers)
    slow = make_app(EXAM_SAVE_FAST_PATH=False).test_client().put(url, json={"response": "C", "seq": 2},
                                                                 headers=headers)
    assert slow.status_code == fast.status_code == 200
    assert set(slow.get_json()) == set(fast.get_json())
    assert fast.get_json()["remaining_seconds"] - slow.get_json()["remaining_seconds"] in (0, 1)
    for name in ("Content-Type", "Cache-Control", "Content-Security-Policy", "X-Content-Type-Options",
                 "Referrer-Policy"):
        assert fast.headers[name] == slow.headers[name], name


@pytest.mark.parametrize("case", ["unknown", "revoked", "expired", "inactive", "basic"])
def test_a_token_that_is_not_live_is_401_and_stores_nothing(sitting, client, through_app, case):
    s, headers, attempt, question, url = sitting
    if case == "unknown":
        headers = {"Authorization": "Bearer not-a-token"}
    elif case == "basic":
        headers = {"Authorization": "Basic dHJhaW5lZTpwYXNz"}
    else:
        values = {"revoked": {"revoked": True}, "expired": {"expires_at": utcnow() - timedelta(seconds=1)}}
        if case == "inactive":
            db.session.execute(update(User).where(User.id == s.trainee.id).values(active=False))
        else:
            db.session.execute(update(ApiToken).values(**values[case]))
        db.session.commit()
    response = client.put(url, json={"response": "B", "seq": 1}, headers=headers)
    assert response.status_code == 401
    assert stored(attempt["id"], question["id"]).seq == 0


def test_another_trainees_attempt_or_question_is_404(sitting, client, api_token, make_user, enroll, through_app):
    s, headers, attempt, question, url = sitting
    other = make_user("trainee")
    enroll(s.cohort, other)
    assert client.put(url, json={"response": "B", "seq": 1}, headers=api_token(other)).status_code == 404
    missing = client.put(f"/api/v1/attempts/{attempt['id']}/answers/999999", json={"response": "B", "seq": 1},
                         headers=headers)
    assert missing.status_code == 404
    assert stored(attempt["id"], question["id"]).seq == 0
    assert through_app[-2:] == [url, f"/api/v1/attempts/{attempt['id']}/answers/999999"]  # the app refused


@pytest.mark.parametrize("body, field", [({"response": "B", "seq": 0}, "seq"), ({"response": "B", "seq": "2"}, "seq"),
                                         ({"response": "Z", "seq": 1}, "response"),
                                         ({"response": "x" * 20_001, "seq": 1}, "response"),
                                         ({"response": "B\u0000", "seq": 1}, "response")])
def test_bad_input_is_the_apps_422_naming_the_field(sitting, client, body, field):
    _s, headers, attempt, question, url = sitting
    response = client.put(url, json=body, headers=headers)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert stored(attempt["id"], question["id"]).seq == 0


def test_no_response_and_malformed_json_are_refused(sitting, client):
    _s, headers, attempt, question, url = sitting
    missing = client.put(url, json={"seq": 1}, headers=headers)
    assert missing.status_code == 422 and "response" in missing.get_json()["error"]["fields"]
    broken = client.put(url, data=b'{"response": "B", "seq": 1', headers={**headers, "Content-Type": "application/json"})
    assert broken.status_code == 400
    assert stored(attempt["id"], question["id"]).seq == 0


def test_a_closed_attempt_is_409_and_an_overdue_one_is_closed(sitting, client):
    _s, headers, attempt, question, url = sitting
    db.session.execute(update(Attempt).where(Attempt.id == attempt["id"])
                       .values(deadline=utcnow() - timedelta(seconds=6)))
    db.session.commit()
    late = client.put(url, json={"response": "B", "seq": 1}, headers=headers)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "attempt_closed"
    db.session.expire_all()
    assert db.session.get(Attempt, attempt["id"]).status != "in_progress"  # the app closed it
    assert stored(attempt["id"], question["id"]).seq == 0
    again = client.put(url, json={"response": "B", "seq": 2}, headers=headers)
    assert again.status_code == 409


def test_a_new_address_or_browser_is_noted_by_the_fast_path(sitting, client, through_app):
    _s, headers, attempt, question, url = sitting
    response = client.put(url, json={"response": "B", "seq": 1}, headers={**headers, "User-Agent": "Other/1.0"},
                          environ_overrides={"REMOTE_ADDR": "10.9.8.7"})
    assert response.status_code == 200 and through_app == []
    kinds = sorted(str(k) for k in db.session.scalars(select(IntegrityEvent.kind).where(
        IntegrityEvent.attempt_id == attempt["id"])))
    assert kinds == ["ip_change", "user_agent_change"]
    db.session.expire_all()
    moved = db.session.get(Attempt, attempt["id"])
    assert moved.ip == "10.9.8.7" and moved.user_agent == "Other/1.0"


def test_a_session_cookie_save_still_goes_through_the_app_with_its_csrf_check(setup, csrf_app):
    """The exam page's saves (cookie + X-CSRFToken) are not the fast path's: the app checks them."""
    s = setup()
    client, token, attempt = started_in_the_browser(csrf_app, s.trainee, s.exam)
    url = f"/api/v1/attempts/{attempt['id']}/answers/{of_type(attempt)['id']}"
    assert client.put(url, json={"response": "B", "seq": 1}).status_code == 400  # no CSRF header
    assert client.put(url, json={"response": "B", "seq": 1}, headers={"X-CSRFToken": token}).status_code == 200


@pytest.mark.parametrize("language", [None, "header", "profile"], ids=["default", "accept-language", "user-locale"])
def test_a_save_after_the_submit_gets_the_apps_409_without_the_apps_request(sitting, client, make_app, through_app,
                                                                             language):
    # At the deadline the last saves of everyone who just handed in are refused: answered beside the app.
    s, headers, attempt, question, url = sitting
    assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 200
    asked = {**headers, **({"Accept-Language": "en"} if language == "header" else {})}
    if language == "profile":
        s.trainee.locale = "en"
        db.session.commit()
    through_app.clear()
    fast = client.put(url, json={"response": "B", "seq": 1}, headers=asked)
    assert fast.status_code == 409 and through_app == []
    app = make_app(EXAM_SAVE_FAST_PATH=False).test_client().put(url, json={"response": "B", "seq": 1}, headers=asked)
    assert fast.get_data() == app.get_data() and app.status_code == 409
    skip = {"Date", "Server", "Vary", "Set-Cookie"}
    assert {k: v for k, v in fast.headers.items() if k not in skip} == \
        {k: v for k, v in app.headers.items() if k not in skip}
    message = fast.get_json()["error"]["message"]
    assert ("handed in" in message.lower() or "submitted" in message.lower()) if language else "已交卷" in message
    assert stored(attempt["id"], question["id"]).seq == 0
