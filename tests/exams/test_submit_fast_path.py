"""The submit's fast path (lms.exams.fast): an accepted bearer-token submit is answered beside the
app, with the app's answer byte for byte; every refusal is still the app's and changes nothing; the
attempt is finalized, scored and audited exactly once whoever races it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import OperationalError
from werkzeug.test import Client

from lms.accounts.models import User
from lms.auth.models import ApiToken
from lms.core.audit import AuditEvent
from lms.core.time import utcnow
from lms.exams import fast, services
from lms.exams.models import Attempt, AttemptItem
from lms.extensions import db
from tests.exams.conftest import OBJECTIVE_BLUEPRINT, right, started_in_the_browser
from tests.exams.test_concurrency import THREADS, run_threads
from tests.exams.test_hot_path import counted


@pytest.fixture
def sitting(setup, client, api_token):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    first = attempt["questions"][0]
    saved = client.put(f"/api/v1/attempts/{attempt['id']}/answers/{first['id']}",
                       json={"response": right(first), "seq": 1}, headers=headers)
    assert saved.status_code == 200
    return s, headers, attempt, f"/api/v1/attempts/{attempt['id']}/submit"


def finalizations(attempt_id: int) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attempt.finalize",
                                                            AuditEvent.object_id == attempt_id)))


def status_of(attempt_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id).status


def test_an_accepted_submit_skips_the_app_scores_and_records_once(sitting, client, through_app, app):
    s, headers, attempt, url = sitting
    with counted(app) as statements:
        response = client.post(url, headers={**headers, "User-Agent": "Phone/2.0"},
                               environ_overrides={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 200 and through_app == []
    # read, close, the items' scores, graded, audit, and the paper for the reply: nothing is graded or written per item
    assert len(statements) == 6 and not any(s.lstrip().upper().startswith("UPDATE ATTEMPT_ITEMS") for s in statements), \
        statements
    data = response.get_json()
    assert data["status"] == "graded" and data["score"] == attempt["questions"][0]["points"]
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Frame-Options"] == "DENY"
    [event] = finalizations(attempt["id"])
    assert (event.actor_id, event.ip, event.user_agent, event.channel) == (s.trainee.id, "10.1.2.3", "Phone/2.0", "api")
    assert event.details == {"status": "submitted"}
    stored = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()  # read back by the app
    assert {**data, "server_time": None} == {**stored, "server_time": None}
    through_app.clear()
    again = client.post(url, headers=headers)  # a retry: the same result, nothing scored or recorded
    assert again.status_code == 200 and again.get_json()["submitted_at"] == data["submitted_at"]
    assert len(finalizations(attempt["id"])) == 1 and through_app == []


def _reopen(attempt_id: int) -> None:
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(
        status="in_progress", submitted_at=None, graded_at=None, score=None, passed=None))
    db.session.execute(update(AttemptItem).where(AttemptItem.attempt_id == attempt_id).values(
        score=None, needs_manual=False, graded_at=None))
    db.session.execute(delete(AuditEvent).where(AuditEvent.action == "attempt.finalize"))
    db.session.commit()


@pytest.mark.parametrize("prefer", [None, "return=minimal"], ids=["whole", "minimal"])
@pytest.mark.parametrize("twice", [False, True], ids=["accepted", "already-closed"])
def test_the_fast_path_answers_as_the_app_does_byte_for_byte(sitting, client, make_app, monkeypatch, twice, prefer):
    _s, headers, attempt, url = sitting
    headers = {**headers, **({"Prefer": prefer} if prefer else {})}
    now = utcnow()
    for module in ("lms.exams.attempts", "lms.exams.api", "lms.exams.fast"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: now)
    app_only = make_app(EXAM_SUBMIT_FAST_PATH=False).test_client()
    answers = []
    for submitter in (client, app_only):
        if twice:
            client.post(url, headers=headers)
        answers.append(submitter.post(url, headers=headers))
        assert len(finalizations(attempt["id"])) == 1
        _reopen(attempt["id"])
    fast_answer, app_answer = answers
    assert fast_answer.status_code == app_answer.status_code == 200
    assert fast_answer.get_data() == app_answer.get_data()
    assert fast_answer.get_json()["status"] == "graded"
    assert ("questions" in fast_answer.get_json()) is (prefer is None)
    assert fast_answer.headers.get("Preference-Applied") == prefer
    skip = {"Date", "Server", "Vary", "Set-Cookie"}
    assert {k: v for k, v in fast_answer.headers.items() if k not in skip} == \
        {k: v for k, v in app_answer.headers.items() if k not in skip}


def test_a_submit_after_deadline_and_grace_is_auto_submitted(sitting, client, through_app):
    _s, headers, attempt, url = sitting
    db.session.execute(update(Attempt).where(Attempt.id == attempt["id"])
                       .values(deadline=utcnow() - timedelta(seconds=6)))
    db.session.commit()
    response = client.post(url, headers=headers)
    assert response.status_code == 200 and through_app == []
    assert response.get_json()["remaining_seconds"] == 0
    assert [e.details for e in finalizations(attempt["id"])] == [{"status": "auto_submitted"}]


# ---- refusals: the app answers, as it did without the fast path ----------------------------------

def _both(client, make_app, url, **kwargs):
    """The answer with the fast path, then the app's own (the fast path off) to the same request."""
    with_fast = client.post(url, **kwargs)
    app_only = make_app(EXAM_SUBMIT_FAST_PATH=False).test_client().post(url, **kwargs)
    return with_fast, app_only


@pytest.mark.parametrize("case", ["unknown", "revoked", "expired", "inactive", "basic"])
def test_a_token_that_is_not_live_is_the_apps_401_and_closes_nothing(sitting, client, make_app, through_app, case):
    s, headers, attempt, url = sitting
    if case == "unknown":
        headers = {"Authorization": "Bearer not-a-token"}
    elif case == "basic":
        headers = {"Authorization": "Basic dHJhaW5lZTpwYXNz"}
    elif case == "inactive":
        db.session.execute(update(User).where(User.id == s.trainee.id).values(active=False))
    else:
        values = {"revoked": {"revoked": True}, "expired": {"expires_at": utcnow() - timedelta(seconds=1)}}
        db.session.execute(update(ApiToken).values(**values[case]))
    db.session.commit()
    with_fast, app_only = _both(client, make_app, url, headers=headers)
    assert with_fast.status_code == app_only.status_code == 401
    assert with_fast.get_json() == app_only.get_json()
    assert through_app == [url]
    assert status_of(attempt["id"]) == "in_progress" and finalizations(attempt["id"]) == []


def test_another_trainees_attempt_or_none_is_the_apps_404(sitting, client, make_app, api_token, make_user, enroll,
                                                         through_app):
    s, headers, attempt, url = sitting
    other = make_user("trainee")
    enroll(s.cohort, other)
    others = api_token(other)
    through_app.clear()
    for target, who in ((url, others), ("/api/v1/attempts/999999/submit", headers)):
        with_fast, app_only = _both(client, make_app, target, headers=who)
        assert with_fast.status_code == app_only.status_code == 404
        assert with_fast.get_json() == app_only.get_json()
    assert through_app == [url, "/api/v1/attempts/999999/submit"]
    assert status_of(attempt["id"]) == "in_progress" and finalizations(attempt["id"]) == []


def test_a_query_string_failing_input_hygiene_is_the_apps_refusal(sitting, client, make_app, through_app):
    _s, headers, attempt, url = sitting
    with_fast, app_only = _both(client, make_app, url + "?note=%00", headers=headers)
    assert with_fast.status_code == app_only.status_code and with_fast.status_code >= 400
    assert with_fast.get_json() == app_only.get_json()
    assert through_app == [url]
    assert status_of(attempt["id"]) == "in_progress"


@pytest.mark.parametrize("body, content_type", [(b"{\"a\": \"\\u0000\"}", "application/json"),
                                                (b"{broken", "application/json"),
                                                (b"x=1", "application/x-www-form-urlencoded")],
                         ids=["nul-in-json", "malformed-json", "form"])
def test_a_body_the_fast_path_does_not_take_is_answered_by_the_app(sitting, client, make_app, through_app, body,
                                                                    content_type):
    """The submit reads no body; a body that is not empty or clean JSON goes to the app, whose input
    hygiene decides (a NUL is refused there; a malformed or form body is ignored and the submit done)."""
    _s, headers, attempt, url = sitting
    with_fast = client.post(url, data=body, headers={**headers, "Content-Type": content_type})
    assert through_app == [url]
    if b"\\u0000" in body:
        app_only = make_app(EXAM_SUBMIT_FAST_PATH=False).test_client().post(
            url, data=body, headers={**headers, "Content-Type": content_type})
        assert with_fast.status_code == app_only.status_code >= 400
        assert with_fast.get_json() == app_only.get_json()
        assert status_of(attempt["id"]) == "in_progress"
    else:
        assert with_fast.status_code == 200 and len(finalizations(attempt["id"])) == 1


def test_a_database_error_is_the_apps_503(app, sitting, monkeypatch):
    _s, headers, attempt, url = sitting

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(fast, "hand_in", down)
    response = Client(app).post(url, headers=headers)  # 503 is not in the API document: no contract check
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json()["error"]["code"] == "unavailable"
    assert status_of(attempt["id"]) == "in_progress"


def test_a_session_cookie_submit_goes_through_the_app_with_its_csrf_check(setup, csrf_app):
    s = setup()
    client, token, attempt = started_in_the_browser(csrf_app, s.trainee, s.exam)
    url = f"/api/v1/attempts/{attempt['id']}/submit"
    assert client.post(url).status_code == 400  # no CSRF header
    assert client.post(url, headers={"X-CSRFToken": token}).status_code == 200
    assert len(finalizations(attempt["id"])) == 1


# ---- races: exactly once --------------------------------------------------------------------------

def test_racing_submits_fast_app_and_sweeper_finalize_exactly_once(app, sitting, make_app):
    s, headers, attempt, url = sitting
    app_only = make_app(EXAM_SUBMIT_FAST_PATH=False)

    def work(i):
        if i == 0:  # the sweeper
            done = services.finalize(attempt["id"], "auto_submitted", utcnow())
            db.session.commit()
            return "sweeper", done
        submitter = (app if i % 2 else app_only).test_client()  # the fast path, or the app
        response = submitter.post(url, headers=headers)
        return response.status_code, response.get_json()["submitted_at"]

    results = run_threads(app, work)
    answers = [r for r in results if r[0] != "sweeper"]
    assert {code for code, _ in answers} == {200}
    assert len({submitted_at for _, submitted_at in answers}) == 1  # everyone saw the one finalization
    [event] = finalizations(attempt["id"])
    swept = next(done for who, done in results if who == "sweeper")
    assert event.actor_id == (None if swept else s.trainee.id)
    db.session.expire_all()
    closed = db.session.get(Attempt, attempt["id"])
    assert closed.status == "graded" and closed.score == attempt["questions"][0]["points"]


def test_saves_racing_a_fast_submit_are_kept_and_scored_or_refused(app, setup, api_token):
    """Every save acknowledged with 200 is in the finalized attempt and in its score; the others got 409."""
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    headers = api_token(s.trainee)
    attempt = app.test_client().post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    questions = attempt["questions"]

    def work(i):
        client = app.test_client()
        if i == THREADS - 1:
            response = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
            return "submit", response.status_code, response.get_json()
        question = questions[i % len(questions)]
        response = client.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
                              json={"response": right(question), "seq": i + 1}, headers=headers)
        return question["id"], response.status_code, question["points"]

    results = run_threads(app, work)
    [(_, code, submitted)] = [r for r in results if r[0] == "submit"]
    assert code == 200
    kept = {qid: points for qid, status, points in results if qid != "submit" and status == 200}
    assert {status for qid, status, _ in results if qid != "submit"} <= {200, 409}
    for qid in kept:  # acknowledged: in the reply, which shows the stored answers
        assert str(qid) in submitted["answers"]
    assert submitted["score"] == sum(q["points"] for q in questions if str(q["id"]) in submitted["answers"])
    assert submitted["score"] >= sum(kept.values())
    assert len(finalizations(attempt["id"])) == 1
    assert db.session.scalar(select(func.count()).select_from(AttemptItem).where(
        AttemptItem.attempt_id == attempt["id"], AttemptItem.score.is_(None))) == 0
