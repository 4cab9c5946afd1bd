"""The privacy notice at registration (个人信息保护法): shown before consent, consent required and
recorded with its version, time and channel; the API says the same."""
from sqlalchemy import func, select

from lms.accounts.models import PrivacyConsent, User
from lms.accounts.privacy import NOTICE_VERSION
from lms.extensions import db

FORM = {"username": "newbie", "name": "新学员", "phone": "13912345678", "password": "Passw0rd1", "confirm": "Passw0rd1"}


def test_the_registration_page_shows_the_notice_before_the_consent_box(client):
    html = client.get("/register").get_data(as_text=True)
    for words in ("处理目的", "收集的个人信息", "保存期限", "您的权利", NOTICE_VERSION):
        assert words in html
    assert html.index("保存期限") < html.index('name="consent"')
    assert 'inputmode="tel"' in html and 'type="tel"' in html
    assert "至少8位；同时包含字母和数字；不能与用户名相同；不能是常见密码" in html


def test_no_account_without_consent(client):
    html = client.post("/register", data=FORM).get_data(as_text=True)
    assert "请阅读并同意个人信息处理规则" in html
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_consent_is_recorded_with_version_and_time(client):
    assert client.post("/register", data={**FORM, "consent": "y"}).status_code == 302
    consent = db.session.scalar(select(PrivacyConsent))
    assert consent.notice_version == NOTICE_VERSION and consent.channel == "web" and consent.consented_at is not None


def test_the_api_needs_consent_to_the_current_notice(client):
    notice = client.get("/api/v1/privacy-notice").get_json()
    assert notice["version"] == NOTICE_VERSION and len(notice["sections"]) == 5
    body = {"username": "apiuser", "password": "Passw0rd1", "name": "接口学员", "phone": "13812345678"}
    missing = client.post("/api/v1/auth/register", json=body)
    assert missing.status_code == 422 and set(missing.get_json()["error"]["fields"]) == {"privacy_consent"}
    old = client.post("/api/v1/auth/register", json={**body, "privacy_consent": True, "privacy_notice_version": "2020-01"})
    assert old.status_code == 422 and NOTICE_VERSION in old.get_json()["error"]["fields"]["privacy_consent"]
    assert client.post("/api/v1/auth/register", json={**body, "privacy_consent": True}).status_code == 201
    assert db.session.scalar(select(PrivacyConsent.channel)) == "api"


def test_the_notice_has_its_own_page_linked_from_every_page(client):
    assert "个人信息处理规则" in client.get("/privacy").get_data(as_text=True)
    assert 'href="/privacy"' in client.get("/login").get_data(as_text=True)


def test_the_account_page_shows_what_was_agreed_and_when(client):
    client.post("/register", data={**FORM, "consent": "y"})
    html = client.get("/account").get_data(as_text=True)
    assert f"同意了 {NOTICE_VERSION} 版" in html and "规则已更新" not in html
