from sqlalchemy import select

from lms.accounts.models import User
from lms.extensions import db
from tests.conftest import TEST_PASSWORD


def test_token_then_me(client, make_user, make_institution, api_token):
    institution = make_institution(name="培训中心")
    user = make_user(role="institution", scope=institution, name="教务")
    response = client.post("/api/v1/auth/token", json={"username": user.username, "password": TEST_PASSWORD})
    body = response.get_json()
    assert response.status_code == 200
    assert body["token_type"] == "Bearer" and body["expires_in"] == 8 * 3600
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}).get_json()
    assert me["username"] == user.username
    assert me["roles"] == [{"role": "institution", "scope": {"type": "institution", "code": institution.code,
                                                            "name": institution.name}}]


def test_wrong_password_gives_401_in_the_error_shape(client, make_user):
    user = make_user()
    response = client.post("/api/v1/auth/token", json={"username": user.username, "password": "wrong-pass1"})
    assert response.status_code == 401
    assert response.get_json() == {"error": {"code": "unauthorized", "message": "用户名或密码不正确", "fields": {}}}


def test_api_failures_count_towards_lockout(client, make_user):
    user = make_user()
    for _ in range(10):
        client.post("/api/v1/auth/token", json={"username": user.username, "password": "wrong-pass1"})
    response = client.post("/api/v1/auth/token", json={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 401
    assert "登录失败次数过多" in response.get_json()["error"]["message"]  # this address may not try again


def test_me_without_or_with_a_bad_token_is_401(client):
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_token_stops_working_after_password_change(client, make_user, api_token, login):
    user = make_user()
    headers = api_token(user)
    login(user)
    client.post("/account/password", data={"current_password": TEST_PASSWORD, "new_password": "NewPassw0rd",
                                           "confirm": "NewPassw0rd"})
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_register_creates_a_trainee(client):
    response = client.post("/api/v1/auth/register", json={"username": "apiuser", "password": "Passw0rd1",
                                                         "name": "接口学员", "phone": "13812345678",
                                                         "privacy_consent": True})
    assert response.status_code == 201
    assert response.get_json()["roles"] == [{"role": "trainee", "scope": None}]


def test_register_with_an_e_mail_address_for_password_resets(client, api_token):
    response = client.post("/api/v1/auth/register", json={"username": "mailuser", "password": "Passw0rd1",
                                                         "name": "接口学员", "phone": "13812345678",
                                                         "email": "Mail.User@Example.com", "privacy_consent": True})
    assert response.status_code == 201 and response.get_json()["email"] == "mail.user@example.com"
    bad = client.post("/api/v1/auth/register", json={"username": "mailuser2", "password": "Passw0rd1",
                                                    "name": "接口学员", "phone": "13812345678", "email": "nope",
                                                    "privacy_consent": True})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"email"}


def test_register_with_bad_fields_answers_422_with_each_field(client):
    response = client.post("/api/v1/auth/register", json={"username": "x", "password": "short", "name": "",
                                                         "phone": "555", "privacy_consent": True})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"username", "password", "name", "phone"}
    assert db.session.scalar(select(User)) is None


def test_non_json_body_is_400(client):
    response = client.post("/api/v1/auth/token", data="username=a", content_type="text/plain")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
