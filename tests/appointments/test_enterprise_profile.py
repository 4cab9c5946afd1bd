"""An enterprise's industry, ownership, honours and name: bureaus in scope and admins, audited."""
import pytest
from sqlalchemy import select

from lms.appointments import enterprises
from lms.core.audit import AuditEvent
from lms.core.enums import EnumSet
from lms.core.errors import NotFound, ValidationFailed
from lms.extensions import db
from lms.orgs.attributes import Honour, Industry, Ownership
from lms.orgs.models import Enterprise

GOOD = {"name": "沈阳测试装备集团有限公司", "industry_section": "C", "ownership": "state",
        "honours": ["pilot", "forerunner"]}


def test_a_bureau_corrects_the_name_and_sets_the_attributes_and_it_is_audited(world):
    old_name = world.enterprise.name
    enterprises.save_profile(world.district_bureau, world.enterprise, GOOD)
    db.session.commit()
    saved = db.session.get(Enterprise, world.enterprise.id)
    assert saved.name == "沈阳测试装备集团有限公司"
    assert (saved.industry_section, saved.ownership) == (Industry.C, Ownership.STATE)
    assert saved.honours == {Honour.PILOT, Honour.FORERUNNER}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enterprise.profile"))
    assert event.actor_id == world.district_bureau.id
    assert event.details["changes"]["name"] == [old_name, "沈阳测试装备集团有限公司"]
    assert event.details["changes"]["honours"] == [[], ["forerunner", "pilot"]]


def test_honours_are_searchable_one_at_a_time(world):
    enterprises.save_profile(world.admin, world.enterprise, GOOD)
    db.session.commit()
    found = db.session.scalars(select(Enterprise.id).where(EnumSet.holds(Enterprise.honours, Honour.PILOT))).all()
    assert found == [world.enterprise.id]
    assert db.session.scalars(select(Enterprise.id).where(EnumSet.holds(Enterprise.honours, Honour.GOOD_CONDUCT))
                              ).all() == []


@pytest.mark.parametrize("bad, field", [({"name": " "}, "name"), ({"industry_section": "Z"}, "industry_section"),
                                        ({"ownership": "mixed"}, "ownership"), ({"honours": ["medal"]}, "honours"),
                                        ({"honours": "pilot"}, "honours")])
def test_bad_values_are_refused_naming_the_field_and_nothing_changes(world, bad, field):
    name = world.enterprise.name
    with pytest.raises(ValidationFailed) as refused:
        enterprises.save_profile(world.admin, world.enterprise, {**GOOD, **bad})
    assert field in refused.value.fields
    db.session.rollback()
    assert db.session.get(Enterprise, world.enterprise.id).name == name


@pytest.mark.parametrize("who", ["other_bureau", "hr"])
def test_out_of_scope_is_not_found(world, who, client, login):
    login(getattr(world, who))
    expected = 404 if who == "other_bureau" else 403  # HR has no such page at all
    assert client.get(f"/enterprises/{world.enterprise.id}/profile").status_code == expected
    if who == "other_bureau":
        with pytest.raises(NotFound):
            enterprises.get_editable_enterprise(world.other_bureau, world.enterprise.id)


def test_the_page_saves_and_lists_what_is_missing(world, client, login):
    login(world.city_bureau)
    html = client.get("/enterprises/profiles?incomplete=1").get_data(as_text=True)
    assert world.enterprise.name in html and world.elsewhere.name not in html
    response = client.post(f"/enterprises/{world.enterprise.id}/profile",
                           data={"name": "更正后的名称", "industry_section": "C", "ownership": "private",
                                 "honours": ["pilot"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enterprise, world.enterprise.id).name == "更正后的名称"
    bad = client.post(f"/enterprises/{world.enterprise.id}/profile",
                      data={"name": "", "industry_section": "C", "ownership": "private"})
    assert bad.status_code == 200 and "请填写企业名称" in bad.get_data(as_text=True)
