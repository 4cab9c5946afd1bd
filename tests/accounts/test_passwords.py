"""The password policy: every problem reported at once, and no password from the common list."""
from sqlalchemy import select

from lms.accounts.models import User
from lms.accounts.passwords import common_passwords, password_problems
from lms.extensions import db


def _register(client, password):
    return client.post("/register", data={"username": "newbie", "name": "新学员", "phone": "13912345678",
                                          "password": password, "confirm": password, "consent": "y"})


def test_a_common_password_is_refused_even_when_it_meets_the_other_rules(client):
    html = _register(client, "Password1").get_data(as_text=True)
    assert "这是最常见的密码之一" in html
    assert db.session.scalar(select(User).where(User.username == "newbie")) is None


def test_every_problem_of_a_password_is_reported_at_once(client):
    html = _register(client, "abc").get_data(as_text=True)
    assert "密码至少8位" in html and "密码须同时包含字母和数字" in html


def test_the_problems_read_in_english_too(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask import session

        session["lang"] = "en"
        assert str(password_problems("qwerty")) == ("The password must have at least 8 characters; "
                                                    "The password must contain both letters and digits; "
                                                    "This is one of the most common passwords and is easy to guess: "
                                                    "choose another")


def test_the_shipped_list_is_read_from_the_repository():
    words = common_passwords()
    assert len(words) == 10_000
    assert {"123456", "password1", "woaini1314"} <= words
    assert "demo@2026" not in words  # the demo accounts' password stays usable


def test_changing_a_password_reports_the_rules_with_the_mismatch(client, login, make_user):
    login(make_user("trainee"))
    html = client.post("/account/password", data={"current_password": "x", "new_password": "abc",
                                                  "confirm": "abd"}).get_data(as_text=True)
    assert "两次输入的密码不一致" in html
    assert "密码至少8位" in html and "密码须同时包含字母和数字" in html
    assert "密码规则：至少8位；同时包含字母和数字；不能与用户名相同；不能是常见密码" in html
