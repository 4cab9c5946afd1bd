from datetime import timedelta

from sqlalchemy import select

from lms.auth.models import LoginAttempt
from lms.core.audit import AuditEvent
from lms.core.time import utcnow
from lms.extensions import db
from tests.conftest import TEST_PASSWORD


def test_login_with_right_password_opens_the_role_home_page(client, make_user):
    user = make_user(role="trainee", name="王晓明")
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "学员首页" in page and "王晓明" in page


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    user = make_user()
    wrong_password = client.post("/login", data={"username": user.username, "password": "nope12345"})
    unknown_user = client.post("/login", data={"username": "nobody", "password": "nope12345"})
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.get_data(as_text=True)
    assert client.get("/home/trainee").status_code == 302  # still anonymous: sent to login


def _fail(client, username, address, times=1):
    for _ in range(times):
        client.post("/login", data={"username": username, "password": "wrong-pass1"},
                    environ_base={"REMOTE_ADDR": address})


def test_ten_failures_from_several_addresses_lock_the_account_even_for_the_right_password(client, make_user):
    user = make_user()
    _fail(client, user.username, "10.0.0.1", 4)
    _fail(client, user.username, "10.0.0.2", 3)
    _fail(client, user.username, "10.0.0.3", 2)
    tenth = client.post("/login", data={"username": user.username, "password": "wrong-pass1"},
                        environ_base={"REMOTE_ADDR": "10.0.0.3"})
    assert "账户已临时锁定" in tenth.get_data(as_text=True)
    right = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert right.status_code == 200 and "账户已临时锁定" in right.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.locked")) is not None


def test_one_address_cannot_lock_anyone_out(client, make_user):
    """An attacker at one address fails on someone's account again and again: after a few failures
    that address may not try the account any more, and the owner still signs in from elsewhere."""
    user = make_user()
    _fail(client, user.username, "10.6.6.6", 20)
    from_attacker = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD},
                                environ_base={"REMOTE_ADDR": "10.6.6.6"})
    html = from_attacker.get_data(as_text=True)
    assert "登录失败次数过多，请15分钟后再试" in html and "账户已临时锁定" not in html
    owner = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert owner.status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.locked")) is None


def test_an_address_failing_on_many_accounts_is_held_off(client, make_user):
    user = make_user()
    for n in range(30):  # password spraying: one guess on each of many accounts
        _fail(client, f"someone{n}", "10.7.7.7")
    sprayer = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.7.7.7"})
    assert "登录失败次数过多" in sprayer.get_data(as_text=True)
    assert client.post("/login", data={"username": user.username, "password": TEST_PASSWORD},
                       environ_base={"REMOTE_ADDR": "10.8.8.8"}).status_code == 302


def test_unknown_usernames_are_throttled_alike(client):
    """The answers say nothing about which accounts exist."""
    _fail(client, "nobody-here", "10.0.0.1", 5)
    html = client.post("/login", data={"username": "nobody-here", "password": "x1234567"},
                       environ_base={"REMOTE_ADDR": "10.0.0.1"}).get_data(as_text=True)
    assert "登录失败次数过多，请15分钟后再试" in html


def test_lockout_ends_when_the_failures_age_out_of_the_window(client, make_user):
    user = make_user()
    for _ in range(10):
        client.post("/login", data={"username": user.username, "password": "wrong-pass1"})
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert client.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302


def test_logout_needs_post_and_ends_the_session(client, make_user, login):
    login(make_user())
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/home/trainee").status_code == 302


def test_password_change_ends_other_sessions(app, make_user, login, client):
    user = make_user()
    login(user)
    other_device = app.test_client()
    other_device.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "NewPassw0rd", "confirm": "NewPassw0rd"})
    assert response.status_code == 302
    assert client.get("/home/trainee").status_code == 200  # this session continues
    assert other_device.get("/home/trainee").status_code == 302  # the other was signed out


def test_password_change_with_wrong_current_password_changes_nothing(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post("/account/password", data={
        "current_password": "wrong-pass1", "new_password": "NewPassw0rd", "confirm": "NewPassw0rd"})
    assert "当前密码不正确" in response.get_data(as_text=True)
    client.post("/logout")
    assert client.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302


def test_open_redirect_after_login_is_not_followed(client, make_user):
    user = make_user()
    response = client.post("/login?next=https://evil.example/", data={"username": user.username,
                                                                       "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"


def test_per_ip_rate_limit_on_login(make_app):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.post("/login", data={"username": "x", "password": "y"}).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    assert "请求过于频繁" in client.post("/login", data={"username": "x", "password": "y"}).get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
