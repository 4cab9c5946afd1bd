import re

from lms.extensions import db


def test_form_post_without_csrf_token_is_refused_and_changes_nothing(csrf_app):
    from sqlalchemy import func, select

    from lms.accounts.models import User

    with csrf_app.app_context():
        before = db.session.scalar(select(func.count(User.id)))
        client = csrf_app.test_client()
        response = client.post("/register", data={"username": "mallory", "name": "M", "phone": "13900000000",
                                                  "password": "Passw0rd1", "confirm": "Passw0rd1"})
        assert response.status_code == 400
        assert "页面已过期或表单无效" in response.get_data(as_text=True)
        assert db.session.scalar(select(func.count(User.id))) == before


def test_form_post_with_the_page_csrf_token_is_accepted(csrf_app):
    with csrf_app.app_context():
        client = csrf_app.test_client()
        page = client.get("/register").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/register", data={"csrf_token": token, "username": "csrfok", "name": "C",
                                                  "phone": "13900000000", "password": "Passw0rd1",
                                                  "confirm": "Passw0rd1", "consent": "y"})
        assert response.status_code == 302


def test_a_logged_in_browser_session_can_read_the_api(csrf_app):
    with csrf_app.app_context():
        client = csrf_app.test_client()
        page = client.get("/register").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/register", data={"csrf_token": token, "username": "cookieuser", "name": "C",
                                       "phone": "13900000000", "password": "Passw0rd1", "confirm": "Passw0rd1",
                                       "consent": "y"})
        response = client.get("/api/v1/me")
        assert response.status_code == 200
        assert response.get_json()["username"] == "cookieuser"
