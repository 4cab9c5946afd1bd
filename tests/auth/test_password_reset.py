"""Self-service password reset: a one-time link by e-mail (or in the server log without SMTP),
the same answer whether or not the account exists."""
import re
import smtplib
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lms.auth import resets
from lms.auth.models import PasswordReset
from lms.core.audit import AuditEvent
from lms.core.time import utcnow
from lms.extensions import db
from tests.auth.smtp import FakeSMTP, SmtpSink
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "Blue-Harbor-42"


@pytest.fixture
def mail(app, monkeypatch):
    """Mail goes to FakeSMTP.outbox."""
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.test")
    monkeypatch.setitem(app.config, "SMTP_FROM", "lms@example.test")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "outbox", [])
    return FakeSMTP


def _ask(client, identifier):
    response = client.post("/password/forgot", data={"identifier": identifier}, follow_redirects=True)
    resets.wait_for_pending()
    return response


def _link_path(message) -> str:
    return re.search(r"http://[^/\s]+(/password/reset/\S+)", message.get_content()).group(1)


def test_the_login_page_offers_a_reset_and_the_link_sets_a_new_password(app, client, make_user, mail, api_token):
    user = make_user(username="wangxm")
    user.email = "wang@example.com"
    db.session.commit()
    other_device = app.test_client()
    other_device.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    token_headers = api_token(user)
    assert "/password/forgot" in client.get("/login").get_data(as_text=True)

    page = _ask(client, "wangxm").get_data(as_text=True)
    assert "重置密码的链接已发往该邮箱" in page
    [message] = mail.outbox
    assert message["To"] == "wang@example.com" and message["From"] == "lms@example.test"
    assert "wangxm" in message.get_content() and "30 分钟" in message.get_content()
    path = _link_path(message)

    assert "设置新密码" in client.get(path).get_data(as_text=True)
    response = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.post("/login", data={"username": "wangxm", "password": TEST_PASSWORD}).status_code == 200
    assert client.post("/login", data={"username": "wangxm", "password": NEW_PASSWORD}).status_code == 302
    # single use; every other session and API token of the account has ended
    assert client.get(path).status_code == 404
    assert other_device.get("/home/trainee").status_code == 302
    assert client.get("/api/v1/me", headers=token_headers).status_code == 401
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.password_reset")) is not None


def test_the_answer_is_the_same_and_as_quick_whether_or_not_the_account_exists(client, make_user, mail,
                                                                              monkeypatch):
    user = make_user(username="exists")
    user.email = "exists@example.com"
    db.session.commit()
    monkeypatch.setattr(FakeSMTP, "delay", 2.0)  # a slow mail server must not show in the answer's timing
    answers, timings = [], []
    for identifier in ("exists", "no-such-user"):
        started = time.perf_counter()
        response = client.post("/password/forgot", data={"identifier": identifier})
        timings.append(time.perf_counter() - started)
        answers.append((response.status_code, response.headers["Location"],
                        client.get(response.headers["Location"]).get_data(as_text=True)))
    resets.wait_for_pending()
    assert answers[0] == answers[1]
    assert max(timings) < 1.5, timings  # the account is looked up and mailed behind the response
    assert [m["To"] for m in mail.outbox] == ["exists@example.com"]


def test_an_account_is_found_by_its_e_mail_address_or_phone(client, make_user, mail):
    user = make_user()
    user.email, user.phone = "li@example.com", "13812345678"
    db.session.commit()
    _ask(client, "LI@Example.com ")
    _ask(client, "13812345678")
    assert [m["To"] for m in mail.outbox] == ["li@example.com", "li@example.com"]


def test_a_link_expires_and_a_later_request_replaces_it(client, make_user, mail):
    user = make_user()
    user.email = "a@example.com"
    db.session.commit()
    _ask(client, user.username)
    _ask(client, user.username)
    first, second = (_link_path(m) for m in mail.outbox)
    assert client.get(first).status_code == 404  # replaced by the second request
    assert client.get(second).status_code == 200
    db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.get(second)
    assert response.status_code == 404 and "已过期" in response.get_data(as_text=True)


def test_a_password_change_cancels_the_link(client, make_user, mail, login):
    user = make_user()
    user.email = "b@example.com"
    db.session.commit()
    _ask(client, user.username)
    login(user)
    client.post("/account/password", data={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD,
                                           "confirm": NEW_PASSWORD})
    client.post("/logout")
    assert client.get(_link_path(mail.outbox[0])).status_code == 404


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, make_user, mail):
    user = make_user()
    user.email = "c@example.com"
    db.session.commit()
    _ask(client, user.username)
    path = _link_path(mail.outbox[0])
    html = client.post(path, data={"new_password": "password1", "confirm": "password1"}).get_data(as_text=True)
    assert "最常见的密码" in html
    assert client.get(path).status_code == 200


def test_without_smtp_the_link_is_written_to_the_server_log(client, make_user, caplog):
    make_user(username="nomail")
    with caplog.at_level("WARNING", logger="lms.auth.resets"):
        _ask(client, "nomail")
    [record] = [r for r in caplog.records if "password reset link for nomail" in r.getMessage()]
    path = re.search(r"(/password/reset/\S+)", record.getMessage()).group(1)
    assert client.get(path).status_code == 200


def test_the_e_mail_goes_through_a_real_smtp_server(app, client, make_user, monkeypatch):
    user = make_user(username="socketuser")
    user.email = "socket@example.com"
    db.session.commit()
    with SmtpSink() as sink:
        for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": sink.server_address[1], "SMTP_TLS": "none",
                            "SMTP_FROM": "lms@example.test"}.items():
            monkeypatch.setitem(app.config, name, value)
        _ask(client, "socketuser")
    [message] = sink.received
    assert message["To"] == "socket@example.com" and message["Subject"] == "重置密码"
    assert client.get(_link_path(message)).status_code == 200


def test_reset_requests_spend_the_sign_in_budget(make_app, make_user):
    app = make_app(LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [client.post("/password/forgot", data={"identifier": "someone"}).status_code for _ in range(2)]
    statuses.append(client.post("/login", data={"username": "someone", "password": "x"}).status_code)
    resets.wait_for_pending()
    assert statuses == [302, 302, 429]


def test_an_account_gets_a_few_links_an_hour_at_most(client, make_user, mail):
    user = make_user()
    user.email = "d@example.com"
    db.session.commit()
    for _ in range(resets.LINKS_PER_ACCOUNT_PER_HOUR + 2):
        _ask(client, user.username)
    assert len(mail.outbox) == resets.LINKS_PER_ACCOUNT_PER_HOUR
