"""Sessions live on the server: signing out ends them for good, idle ones time out, and the
last-seen time is written at most once a minute."""
from datetime import timedelta

from sqlalchemy import select, update

from lms.auth.models import UserSession
from lms.core.time import utcnow
from lms.extensions import db
from tests.exams.test_hot_path import counted


def _copy_session_cookie(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_copied_session_cookie_stops_working_after_logout(app, client, make_user, login):
    login(make_user())
    thief = app.test_client()
    _copy_session_cookie(client, thief)
    assert thief.get("/home/trainee").status_code == 200  # a copied cookie is the session...
    client.post("/logout")
    assert thief.get("/home/trainee").status_code == 302  # ...until its owner signs out
    assert db.session.scalar(select(UserSession)) is None


def test_an_idle_session_ends_after_the_timeout(client, make_user, login):
    login(make_user())
    assert client.get("/home/trainee").status_code == 200
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=121)))
    db.session.commit()
    response = client.get("/home/trainee")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_no_idle_timeout_when_it_is_zero(make_app, make_user):
    app = make_app(IDLE_TIMEOUT_MINUTES=0)
    user = make_user()
    client = app.test_client()
    client.post("/login", data={"username": user.username, "password": "Passw0rd!x"})
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(days=30)))
    db.session.commit()
    assert client.get("/home/trainee").status_code == 200


def test_last_seen_is_written_at_most_once_a_minute(app, client, make_user, login):
    login(make_user())
    with counted(app) as seen:
        for _ in range(3):
            client.get("/home/trainee")
    assert not [s for s in seen if s.lstrip().upper().startswith("UPDATE") and "user_sessions" in s]
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    with counted(app) as seen:
        for _ in range(3):
            client.get("/home/trainee")
    assert len([s for s in seen if s.lstrip().upper().startswith("UPDATE") and "user_sessions" in s]) == 1


def test_the_account_page_lists_sessions_and_signs_another_one_out(app, client, make_user, login):
    user = make_user()
    login(user)
    phone = app.test_client()
    phone.post("/login", data={"username": user.username, "password": "Passw0rd!x"},
               headers={"User-Agent": "DemoPhone/1.0"})
    html = client.get("/account").get_data(as_text=True)
    assert "DemoPhone/1.0" in html and "本设备" in html
    other = db.session.scalar(select(UserSession).where(UserSession.user_agent == "DemoPhone/1.0"))
    assert client.post(f"/account/sessions/{other.id}/end").status_code == 302
    assert phone.get("/home/trainee").status_code == 302
    assert client.get("/home/trainee").status_code == 200


def test_nobody_ends_another_users_session(client, make_user, login):
    owner = make_user()
    client_b = login(make_user())
    from lms.auth.sessions import start_session

    start_session(owner, None, None)
    db.session.commit()
    theirs = db.session.scalar(select(UserSession).where(UserSession.user_id == owner.id))
    assert client_b.post(f"/account/sessions/{theirs.id}/end").status_code == 404
    assert db.session.get(UserSession, theirs.id) is not None
