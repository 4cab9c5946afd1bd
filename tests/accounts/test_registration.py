from sqlalchemy import func, select

from lms.accounts.models import User
from lms.extensions import db


def _register(client, **overrides):
    data = {"username": "newbie", "name": "新学员", "phone": "13912345678", "password": "Passw0rd1",
            "confirm": "Passw0rd1", "consent": "y", **overrides}
    return client.post("/register", data=data)


def test_self_registration_creates_a_logged_in_trainee(client):
    response = _register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "newbie"))
    assert user.roles == ["trainee"]
    assert user.password_hash.startswith("$argon2id$")
    assert "学员首页" in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_registration_errors_name_the_field_and_create_nothing(client, make_user):
    make_user(username="taken")
    response = _register(client, username="taken", phone="12345", password="short", confirm="short")
    html = response.get_data(as_text=True)
    assert "该用户名已被使用" in html
    assert "请填写11位中国大陆手机号码" in html
    assert "密码至少8位" in html
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_usernames_are_case_insensitive(client, make_user):
    make_user(username="wang")
    assert "该用户名已被使用" in _register(client, username="WANG").get_data(as_text=True)


def test_password_must_mix_letters_and_digits(client):
    assert "密码须同时包含字母和数字" in _register(client, password="abcdefghij", confirm="abcdefghij").get_data(as_text=True)
