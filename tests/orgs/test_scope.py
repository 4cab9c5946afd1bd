"""A bureau sees its region subtree; an object out of scope answers 404."""
from lms.extensions import db
from lms.orgs.services import visible_enterprises


def _tree(make_region):
    city = make_region(code="T-CITY", name="测试市", level="province")
    district_a = make_region(code="T-A", name="甲区", parent=city)
    district_b = make_region(code="T-B", name="乙区", parent=city)
    return city, district_a, district_b


def test_bureau_lists_only_enterprises_in_its_subtree(make_region, make_enterprise, make_user):
    city, a, b = _tree(make_region)
    in_a = make_enterprise(name="甲企业", region=a)
    in_b = make_enterprise(name="乙企业", region=b)
    bureau_a = make_user(role="bureau", scope=a)
    city_bureau = make_user(role="bureau", scope=city)
    assert db.session.scalars(visible_enterprises(bureau_a)).all() == [in_a]
    assert set(db.session.scalars(visible_enterprises(city_bureau)).all()) == {in_a, in_b}


def test_enterprise_outside_the_bureau_region_is_404_not_403(client, make_region, make_enterprise, make_user, login):
    _city, a, b = _tree(make_region)
    mine = make_enterprise(region=a)
    theirs = make_enterprise(region=b)
    login(make_user(role="bureau", scope=a))
    assert client.get(f"/enterprises/{mine.id}").status_code == 200
    assert client.get(f"/enterprises/{theirs.id}").status_code == 404
    assert client.get("/enterprises/999999").status_code == 404


def test_enterprise_hr_sees_only_its_own_enterprise(client, make_region, make_enterprise, make_user, login):
    _city, a, _b = _tree(make_region)
    own = make_enterprise(region=a)
    other = make_enterprise(region=a)
    login(make_user(role="enterprise", scope=own))
    assert client.get(f"/enterprises/{own.id}").status_code == 200
    assert client.get(f"/enterprises/{other.id}").status_code == 404


def test_trainee_cannot_open_staff_pages(client, make_user, login):
    login(make_user(role="trainee"))
    response = client.get("/admin/institutions")
    assert response.status_code == 403
    assert "您没有执行此操作的权限" in response.get_data(as_text=True)
    assert client.get("/home/admin").status_code == 404


def test_bureau_cannot_create_an_enterprise_outside_its_region(client, make_region, make_user, login):
    from lms.demo import demo_uscc
    from lms.orgs.models import Enterprise

    _city, a, b = _tree(make_region)
    login(make_user(role="bureau", scope=a))
    response = client.post("/enterprises/new", data={"name": "越界企业", "uscc": demo_uscc("310105", 777),
                                                      "region_id": b.id, "industry": ""})
    assert response.status_code == 200
    assert db.session.query(Enterprise).count() == 0


def test_invalid_uscc_is_refused_naming_the_field(client, make_region, make_user, login):
    _city, a, _b = _tree(make_region)
    login(make_user(role="admin"))
    response = client.post("/enterprises/new", data={"name": "错码企业", "uscc": "91110108551385082R",
                                                      "region_id": a.id})
    assert "统一社会信用代码校验位不正确" in response.get_data(as_text=True)


def test_admin_creates_an_institution_with_accreditation(client, make_region, make_user, login):
    from lms.core.audit import AuditEvent
    from lms.orgs.models import Institution

    _city, a, _b = _tree(make_region)
    admin = make_user(role="admin")
    login(admin)
    response = client.post("/admin/institutions/new", data={
        "code": "NEW-1", "name": "新机构", "uscc": "91330100716105852F", "region_id": a.id,
        "accreditation_no": "资001", "accreditation_scope": "", "accredited_from": "2026-01-01",
        "accredited_until": "2025-01-01"})
    assert "资质有效期截止日期不能早于起始日期" in response.get_data(as_text=True)
    response = client.post("/admin/institutions/new", data={
        "code": "NEW-1", "name": "新机构", "uscc": "91330100716105852F", "region_id": a.id,
        "accreditation_no": "资001", "accreditation_scope": "", "accredited_from": "2026-01-01",
        "accredited_until": "2028-12-31"})
    assert response.status_code == 302
    institution = db.session.query(Institution).one()
    event = db.session.query(AuditEvent).filter_by(action="institution.create").one()
    assert (event.actor_id, event.object_id, event.channel) == (admin.id, institution.id, "web")
