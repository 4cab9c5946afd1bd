from sqlalchemy import select

from lms.accounts.models import User
from lms.extensions import db


def test_admin_creates_a_bureau_account_scoped_to_a_district(client, make_user, make_region, login):
    district = make_region(name="长宁区")
    login(make_user(role="admin"))
    assert "新建账户" in client.get("/admin/users/new").get_data(as_text=True)
    response = client.post("/admin/users/new", data={
        "username": "cn-bureau", "name": "长宁区局", "phone": "", "password": "Bureau2026x",
        "role": "bureau", "scope": f"region:{district.id}"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "cn-bureau"))
    assert [(g.role, g.region_id) for g in user.grants] == [("bureau", district.id)]


def test_a_scoped_role_without_its_scope_is_refused(client, make_user, login):
    login(make_user(role="admin"))
    response = client.post("/admin/users/new", data={
        "username": "noscope", "name": "无范围", "phone": "", "password": "Bureau2026x",
        "role": "institution", "scope": ""})
    assert "需要选择承办机构" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "noscope")) is None


def test_only_admins_manage_accounts(client, make_user, login):
    login(make_user(role="trainee"))
    assert client.get("/admin/users").status_code == 403
