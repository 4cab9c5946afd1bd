"""Searching the talent pool: each filter, refusals, masking in lists, the audited full record,
the shortlist export, and the filter registry another domain plugs into."""
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.appointments.enterprises import save_profile
from lms.appointments.services import end_appointment
from lms.certificates.models import Certificate
from lms.core.audit import AuditEvent
from lms.core.errors import ValidationFailed
from lms.extensions import db
from lms.talent import pool
from lms.talent.models import TalentEntry
from tests.talent.conftest import FILLED


@pytest.fixture
def pool_of_two(world, filing_at, make_person, certify):
    """赵标准 (specialist, manufacturing, state-owned, pilot) in 沈阳; 孙大连 (CSO, logistics, private) in 大连."""
    save_profile(world.admin, world.enterprise, {"name": world.enterprise.name, "industry_section": "C",
                                                 "ownership": "state", "honours": ["pilot", "good_conduct"]})
    save_profile(world.admin, world.elsewhere, {"name": world.elsewhere.name, "industry_section": "G",
                                                "ownership": "private", "honours": []})
    here = filing_at("accepted")
    person = make_person(world.elsewhere, name="孙大连")
    certify(person, "cso")
    from lms.appointments.services import record_appointment
    from lms.talent import services

    appointment = record_appointment(world.other_hr, {"person_id": person.id, "post_code": world.cso.code,
                                                       "starts_on": "2026-01-05"}).appointment
    there = services.start_filing(person, appointment.id)
    services.save_filing(person, there, {**FILLED, "achievements": [
        {"kind": "pilot", "title": "港口物流标准化试点", "role": "负责人"}]})
    services.submit_filing(person, there)
    services.endorse_filing(world.other_hr, there)
    services.accept_filing(world.other_bureau, there)
    db.session.commit()
    return here, there


def _names(actor, **params) -> list[str]:
    return sorted(row["name"] for row in map(pool.entry_row, pool.search_page(actor, params).items))


@pytest.mark.parametrize("params, names", [
    ({}, ["孙大连", "赵标准"]),
    ({"region": "C2102"}, ["孙大连"]),
    ({"region": "P21"}, ["孙大连", "赵标准"]),
    ({"region": "D210102"}, ["赵标准"]),
    ({"post": "t-cso"}, ["孙大连"]),
    ({"industry": "C"}, ["赵标准"]),
    ({"ownership": "private"}, ["孙大连"]),
    ({"honour": "pilot"}, ["赵标准"]),
    ({"honour": "forerunner"}, []),
    ({"q": "装配工艺"}, ["赵标准"]),
    ({"q": "标准化 试点"}, ["孙大连"]),
    ({"q": "Q/SYC 001"}, ["赵标准"]),
    ({"q": "100%"}, []),
    ({"certificate": "valid"}, ["孙大连", "赵标准"]),
    ({"appointment": "active"}, ["孙大连", "赵标准"]),
    ({"industry": "C", "ownership": "private"}, []),
])
def test_each_filter(world, pool_of_two, params, names):
    assert _names(world.admin, **params) == names


def test_lapsed_certificates_and_ended_appointments(world, pool_of_two):
    here, _there = pool_of_two
    db.session.get(Certificate, here.certificate_id).valid_until = date.today() - timedelta(days=1)
    end_appointment(world.hr, here.appointment, {"ended_on": date.today().isoformat(), "reason": "left"})
    assert _names(world.admin, certificate="lapsed") == ["赵标准"]
    assert _names(world.admin, certificate="valid") == ["孙大连"]
    assert _names(world.admin, appointment="ended") == ["赵标准"]


@pytest.mark.parametrize("params, field", [({"industry": "Z"}, "industry"), ({"region": "NOPE"}, "region"),
                                           ({"post": "nope"}, "post"), ({"certificate": "maybe"}, "certificate"),
                                           ({"q": "x" * 101}, "q")])
def test_a_filter_value_it_does_not_understand_is_refused_naming_it(world, pool_of_two, params, field):
    with pytest.raises(ValidationFailed) as refused:
        pool.search(world.admin, params)
    assert field in refused.value.fields


def test_lists_mask_id_numbers_and_phones(world, pool_of_two, client, login):
    here, _there = pool_of_two
    (row,) = [pool.entry_row(e) for e in pool.search_page(world.city_bureau, {}).items]
    assert row["id_number"] == here.form["id_number"][:3] + "*" * 11 + here.form["id_number"][-4:]
    assert row["phone"] == "139****5678"
    login(world.city_bureau)
    html = client.get("/talent").get_data(as_text=True)
    assert here.form["id_number"] not in html and "13912345678" not in html and "139****5678" in html


def test_the_full_record_shows_everything_and_each_view_is_audited(world, pool_of_two, client, login):
    here, _there = pool_of_two
    entry = db.session.scalar(select(TalentEntry).where(TalentEntry.filing_id == here.id))
    login(world.city_bureau)
    for _ in range(2):
        html = client.get(f"/talent/entries/{entry.id}").get_data(as_text=True)
        assert here.form["id_number"] in html and "13912345678" in html and "数控机床装配工艺规范" in html
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "talent.view")).all()
    assert [(v.actor_id, v.object_id) for v in views] == [(world.city_bureau.id, entry.id)] * 2
    other = db.session.scalar(select(TalentEntry).where(TalentEntry.filing_id != here.id))
    assert client.get(f"/talent/entries/{other.id}").status_code == 404


def test_the_shortlist_exports_the_chosen_people_in_scope_and_is_audited(world, pool_of_two, client, login):
    entries = db.session.scalars(select(TalentEntry).order_by(TalentEntry.id)).all()
    login(world.city_bureau)
    response = client.post("/talent/shortlist.xlsx", data={"entry": [str(e.id) for e in entries] + ["x"]})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]][:3] == ["序号", "姓名", "性别"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["赵标准"]  # 大连 is not in scope
    assert sheet.freeze_panes == "A2"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "talent.shortlist_export"))
    assert event.details["entries"] == [entries[0].id]
    empty = client.post("/talent/shortlist.xlsx", data={}, follow_redirects=True)
    assert "请至少选择一人" in empty.get_data(as_text=True)


def test_another_domain_can_plug_in_a_filter(world, pool_of_two):
    """How continuing education will add its CE-standing filter: a registry entry, nothing else."""
    here, _there = pool_of_two

    @pool.pool_filter("only", "测试", choices=lambda actor: [])
    def _only(value):
        return TalentEntry.user_id == int(value) if value.isdigit() else None

    try:
        assert _names(world.admin, only=str(here.user_id)) == ["赵标准"]
        with pytest.raises(ValidationFailed):
            pool.search(world.admin, {"only": "me"})
    finally:
        del pool.POOL_FILTERS["only"]


def test_the_search_page_keeps_the_filters_and_pages(world, pool_of_two, client, login):
    login(world.admin)
    html = client.get("/talent?industry=C").get_data(as_text=True)
    assert "赵标准" in html and "孙大连" not in html and '<option value="C" selected>' in html
    refused = client.get("/talent?industry=Z").get_data(as_text=True)
    assert "无法识别的筛选条件" in refused
