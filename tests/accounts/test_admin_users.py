"""/admin/users: administrators manage every account, a bureau the enterprise HR and trainees of
its region; edit, disable, unlock, temporary password, sign out everywhere; all audited."""
import re

import pytest
from sqlalchemy import select

from lms.accounts.models import User
from lms.core.audit import AuditEvent
from lms.enrollment.models import TraineeProfile
from lms.extensions import db
from tests.conftest import TEST_PASSWORD


def _actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def region_people(make_region, make_enterprise, make_user):
    """A bureau of district A; HR and a trainee of an enterprise in A, and the same in B; staff."""
    city = make_region(code="T-C", name="测试市", level="province")
    a, b = make_region(code="T-A", name="甲区", parent=city), make_region(code="T-B", name="乙区", parent=city)
    in_a, in_b = make_enterprise(region=a), make_enterprise(region=b)
    people = {"bureau": make_user(role="bureau", scope=a), "hr_a": make_user(role="enterprise", scope=in_a),
              "hr_b": make_user(role="enterprise", scope=in_b), "trainee_a": make_user(role="trainee"),
              "trainee_b": make_user(role="trainee"), "other_bureau": make_user(role="bureau", scope=a)}
    for key, enterprise in (("trainee_a", in_a), ("trainee_b", in_b)):
        db.session.add(TraineeProfile(user_id=people[key].id, name="学员", gender="male",
                                      id_number=f"1{people[key].id:017d}", phone="13900001111",
                                      enterprise_id=enterprise.id, education="bachelor", title_level="intermediate",
                                      appointment_status="appointed"))
    db.session.commit()
    return people


def test_a_bureau_manages_the_people_of_its_region_only(client, login, region_people):
    login(region_people["bureau"])
    html = client.get("/admin/users").get_data(as_text=True)
    assert region_people["hr_a"].username in html and region_people["trainee_a"].username in html
    for key in ("hr_b", "trainee_b", "other_bureau"):
        assert region_people[key].username not in html
        assert client.get(f"/admin/users/{region_people[key].id}").status_code == 404
        assert client.post(f"/admin/users/{region_people[key].id}/disable").status_code == 404
    assert "新建账户" not in html and client.get("/admin/users/new").status_code == 403
    assert "/admin/users" in client.get("/home/bureau").get_data(as_text=True)  # the nav entry


def test_an_admin_edits_contact_details_and_it_is_audited(client, login, make_user):
    login(make_user(role="admin"))
    user = make_user(name="王小明")
    response = client.post(f"/admin/users/{user.id}", data={"name": "王晓明", "phone": "13812345678",
                                                           "email": "Wang@Example.com"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.phone, user.email) == ("王晓明", "13812345678", "wang@example.com")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.update"))
    assert sorted(event.details["fields"]) == ["email", "name", "phone"]
    html = client.post(f"/admin/users/{user.id}", data={"name": "王晓明", "phone": "123", "email": "x@"}).get_data(
        as_text=True)
    assert "请填写11位中国大陆手机号码" in html and "请填写有效的电子邮箱地址" in html


def test_disabling_ends_the_sessions_and_refuses_sign_in_until_enabled(app, client, login, make_user, api_token):
    user = make_user()
    headers = api_token(user)
    their_browser = app.test_client()
    their_browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    login(make_user(role="admin"))
    assert client.post(f"/admin/users/{user.id}/disable").status_code == 302
    assert their_browser.get("/home/trainee").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert app.test_client().post("/login", data={"username": user.username,
                                                  "password": TEST_PASSWORD}).status_code == 200
    client.post(f"/admin/users/{user.id}/enable")
    assert app.test_client().post("/login", data={"username": user.username,
                                                  "password": TEST_PASSWORD}).status_code == 302
    assert their_browser.get("/home/trainee").status_code == 302  # enabling revives no old session
    assert _actions()[-2:] == ["account.enable", "account.login"]


def test_nobody_disables_their_own_account(client, login, make_user):
    admin = make_user(role="admin")
    login(admin)
    html = client.post(f"/admin/users/{admin.id}/disable", follow_redirects=True).get_data(as_text=True)
    assert "不能停用自己的账户" in html
    db.session.refresh(admin)
    assert admin.active


def test_an_admin_unlocks_a_locked_account(app, client, login, make_user):
    user = make_user()
    for n in range(10):
        app.test_client().post("/login", data={"username": user.username, "password": "wrong-pass1"},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{n % 3 + 1}"})
    assert "账户已临时锁定" in app.test_client().post("/login", data={
        "username": user.username, "password": TEST_PASSWORD}).get_data(as_text=True)
    login(make_user(role="admin"))
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "已锁定" in page and "解除锁定" in page
    client.post(f"/admin/users/{user.id}/unlock")
    assert app.test_client().post("/login", data={"username": user.username,
                                                  "password": TEST_PASSWORD}).status_code == 302
    assert "account.unlock" in _actions()


def test_a_temporary_password_is_shown_once_and_must_be_changed_at_sign_in(app, client, login, make_user,
                                                                          region_people):
    user = region_people["trainee_a"]
    their_browser = app.test_client()
    their_browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    login(region_people["bureau"])
    page = client.post(f"/admin/users/{user.id}/temporary-password").get_data(as_text=True)
    temporary = re.search(r'class="code temporary-password">([^<]+)<', page).group(1)
    assert temporary not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert their_browser.get("/home/trainee").status_code == 302  # their sessions ended
    assert temporary not in str(db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "account.temporary_password")).details)

    fresh = app.test_client()
    assert fresh.post("/login", data={"username": user.username, "password": temporary}).status_code == 302
    response = fresh.get("/home/trainee")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/password")
    token = fresh.post("/api/v1/auth/token", json={"username": user.username, "password": temporary})
    assert token.status_code == 403
    fresh.post("/account/password", data={"current_password": temporary, "new_password": "Blue-Harbor-42",
                                          "confirm": "Blue-Harbor-42"})
    assert fresh.get("/home/trainee").status_code == 200


def test_only_admins_sign_an_account_out_everywhere(app, client, login, make_user, api_token, region_people):
    user = region_people["hr_a"]
    headers = api_token(user)
    login(region_people["bureau"])
    assert client.post(f"/admin/users/{user.id}/sign_out").status_code == 403
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    admin_client = app.test_client()
    admin = make_user(role="admin")
    admin_client.post("/login", data={"username": admin.username, "password": TEST_PASSWORD})
    assert admin_client.post(f"/admin/users/{user.id}/sign_out").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert "account.sign_out_everywhere" in _actions()


def test_users_set_their_own_e_mail_on_the_account_page(client, login, make_user):
    user = login(make_user()) and db.session.scalar(select(User))
    client.post("/account", data={"email": " Me@Example.COM "})
    db.session.refresh(user)
    assert user.email == "me@example.com"
    assert "请填写有效的电子邮箱地址" in client.post("/account", data={"email": "not-an-address"}).get_data(
        as_text=True)
