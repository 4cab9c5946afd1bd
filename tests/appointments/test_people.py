"""Enterprise HR invites people by mobile number, sees each employee's eligibility, progress,
released scores and certificates, and is warned before nominating someone already certified."""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from lms.accounts.models import EnterpriseInvitation, PrivacyConsent, User
from lms.accounts.privacy import NOTICE_VERSION
from lms.extensions import db

PHONE = "13712345678"


def _invite(client, login, hr, phone=PHONE, name="孙受邀"):
    login(hr)
    response = client.post("/enterprise/people", data={"phone": phone, "name": name})
    html = response.get_data(as_text=True)
    match = re.search(r'id="invitation-url"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*id="invitation-url"', html)
    client.post("/logout")
    return response, (match.group(1) if match else None)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _sign_up(client, link, **overrides):
    data = {"username": "sunyao", "name": "孙受邀", "phone": PHONE, "password": "Passw0rd1", "confirm": "Passw0rd1",
            "consent": "y", **overrides}
    return client.post(_path(link), data=data)


def test_hr_invites_the_person_signs_up_with_consent_and_belongs_to_the_enterprise(world, client, login, caplog):
    with caplog.at_level(logging.WARNING, logger="lms.accounts.invitations"):
        response, link = _invite(client, login, world.hr)
    assert response.status_code == 200 and link and "/invite/" in link
    assert link in caplog.text and "137****5678" in caplog.text  # in the server log, the number masked
    page = client.get(_path(link)).get_data(as_text=True)
    assert f"{world.enterprise.name}邀请您注册" in page and f'value="{PHONE}"' in page and "readonly" in page
    assert "个人信息处理规则" in page and "保存期限" in page

    response = _sign_up(client, link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/profile")
    user = db.session.scalar(select(User).where(User.username == "sunyao"))
    invitation = db.session.scalar(select(EnterpriseInvitation))
    assert invitation.user_id == user.id and invitation.accepted_at is not None
    consent = db.session.scalar(select(PrivacyConsent).where(PrivacyConsent.user_id == user.id))
    assert consent.notice_version == NOTICE_VERSION and consent.channel == "web" and consent.consented_at
    # the profile form starts with the inviting enterprise
    profile = client.get("/my/profile").get_data(as_text=True)
    assert f'value="{world.enterprise.uscc}"' in profile
    client.post("/logout")

    login(world.hr)
    people = client.get("/enterprise/people").get_data(as_text=True)
    assert "孙受邀" in people and "已注册，尚未填写个人资料" in people and "已注册" in people
    client.post("/logout")
    login(world.other_hr)
    assert "孙受邀" not in client.get("/enterprise/people").get_data(as_text=True)


def test_the_link_works_once(world, client, login):
    _response, link = _invite(client, login, world.hr)
    assert _sign_up(client, link).status_code == 302
    client.post("/logout")
    again = client.get(_path(link))
    assert again.status_code == 404 and "邀请链接无效" in again.get_data(as_text=True)
    assert _sign_up(client, link, username="second").status_code == 404
    assert db.session.scalar(select(func.count(User.id)).where(User.username == "second")) == 0


def test_an_expired_or_replaced_link_no_longer_works(world, client, login, app):
    _r, first = _invite(client, login, world.hr)
    _r, second = _invite(client, login, world.hr)
    assert client.get(_path(first)).status_code == 404  # a new invitation of the number replaced it
    assert client.get(_path(second)).status_code == 200
    invitation = db.session.scalar(select(EnterpriseInvitation).order_by(EnterpriseInvitation.id.desc()))
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    db.session.commit()
    assert client.get(_path(second)).status_code == 404


def test_signing_up_needs_the_invited_number_and_consent_all_problems_at_once(world, client, login):
    _r, link = _invite(client, login, world.hr)
    response = _sign_up(client, link, phone="13800000000", consent="", password="short", confirm="other")
    html = response.get_data(as_text=True)
    assert "请使用收到邀请的手机号码 137****5678" in html
    assert "请阅读并同意个人信息处理规则" in html
    assert "密码至少8位" in html and "密码须同时包含字母和数字" in html and "两次输入的密码不一致" in html
    assert db.session.scalar(select(func.count(User.id)).where(User.username == "sunyao")) == 0
    assert db.session.scalar(select(EnterpriseInvitation.accepted_at)) is None


def test_a_bad_number_names_the_field_and_sends_nothing(world, client, login):
    login(world.hr)
    response = client.post("/enterprise/people", data={"phone": "12345"})
    assert response.status_code == 422
    assert "请填写11位中国大陆手机号码" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EnterpriseInvitation.id))) == 0


def test_a_signed_in_person_joins_with_their_account(world, client, login, make_user):
    _r, link = _invite(client, login, world.hr, phone="13900001111")  # make_user's phone
    someone = make_user("trainee", name="周已有")
    login(someone)
    page = client.get(_path(link)).get_data(as_text=True)
    assert "用当前账户加入" in page
    assert client.post(_path(link)).status_code == 302
    assert db.session.scalar(select(EnterpriseInvitation.user_id)) == someone.id


def test_people_overview_shows_certificates_with_validity(world, client, login, certify, make_cohort):
    certificate = certify(world.person, "director", valid_until=date.today() + timedelta(days=30))
    make_cohort(program=db.session.get(__import__("lms.programs.models", fromlist=["Program"]).Program,
                                       certificate.program_id),
                applications_open_on=date.today() - timedelta(days=1),
                applications_close_on=date.today() + timedelta(days=10))
    login(world.hr)
    html = client.get("/enterprise/people").get_data(as_text=True)
    assert "已持有该级别合格证" in html  # an open cohort of a level the person is certified at
    assert "赵标准" in html and "已持证" in html and "即将到期" in html and "有效期至" in html
    assert "钱外企" not in html  # another enterprise's employee


def test_hr_is_warned_before_nominating_someone_already_certified(world, client, login, make_cohort, certify):
    from lms.enrollment.models import Application

    certificate = db.session.scalar(select(__import__("lms.certificates.models", fromlist=["Certificate"]).Certificate))
    program = db.session.get(__import__("lms.programs.models", fromlist=["Program"]).Program, certificate.program_id)
    cohort = make_cohort(program=program, applications_open_on=date.today() - timedelta(days=1),
                         applications_close_on=date.today() + timedelta(days=10))
    login(world.hr)
    data = {"trainee_id": world.person.id, "cohort_id": cohort.id}
    first = client.post("/enterprise/employees", data=data).get_data(as_text=True)
    assert "请确认后再推荐" in first and "已持有有效的合格证" in first and certificate.cert_no in first
    assert db.session.scalar(select(Application).where(Application.cohort_id == cohort.id)) is None
    confirmed = client.post("/enterprise/employees", data={**data, "confirmed": "1"})
    assert confirmed.status_code == 302
    assert db.session.scalar(select(Application.status).where(Application.cohort_id == cohort.id)) == "nominated"


def test_invitations_and_people_over_the_api(world, client, api_token):
    hr = api_token(world.hr)
    created = client.post("/api/v1/enterprise/invitations", headers=hr, json={"phone": PHONE, "name": "孙受邀"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["state"] == "open" and body["phone"] == "137****5678" and "/invite/" in body["link"]
    listed = client.get("/api/v1/enterprise/invitations", headers=hr).get_json()
    assert [i["id"] for i in listed] == [body["id"]] and "link" not in listed[0]
    bad = client.post("/api/v1/enterprise/invitations", headers=hr, json={"phone": "1"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"phone"}
    token = body["link"].rsplit("/", 1)[1]
    registered = client.post("/api/v1/auth/register", json={
        "username": "apisun", "password": "Passw0rd1", "name": "孙受邀", "phone": PHONE, "privacy_consent": True,
        "privacy_notice_version": NOTICE_VERSION, "invitation": token})
    assert registered.status_code == 201
    people = {p["name"]: p for p in client.get("/api/v1/enterprise/people", headers=hr).get_json()}
    assert people["孙受邀"]["profile_complete"] is False
    assert people["赵标准"]["certificates"][0]["status"] == "valid"
    assert client.get("/api/v1/enterprise/people", headers=api_token(world.person)).status_code == 403
    assert client.post("/api/v1/enterprise/invitations", headers=api_token(world.person),
                       json={"phone": PHONE}).status_code == 403


def test_hr_sees_each_employees_eligibility_for_the_cohorts_taking_applications(world, client, login, make_cohort,
                                                                                  make_program, api_token):
    strict = make_program(level="cso", rules={"field": "standardization_years", "op": "gte", "value": 10})
    open_ = make_cohort(program=strict, title="首席标准官研修班（报名中）",
                        applications_open_on=date.today() - timedelta(days=1),
                        applications_close_on=date.today() + timedelta(days=10))
    login(world.hr)
    html = client.get("/enterprise/people").get_data(as_text=True)
    assert f"可报名：{open_.title}" in html
    card = html[html.index('data-user="' + world.person.username):]
    assert "资格：不符合任职条件" in card[:card.index("</article>")]
    client.post("/logout")
    hr = api_token(world.hr)
    people = {p["name"]: p for p in client.get("/api/v1/enterprise/people", headers=hr).get_json()}
    assert {"cohort_code": open_.code, "eligibility": "ineligible", "certified": False} \
        in people["赵标准"]["open_cohorts"]
