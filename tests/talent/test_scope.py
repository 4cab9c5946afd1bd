"""Who sees which filing and pool entry, page by page: out of scope is 404, in scope but not
allowed is 403; a bureau sees its enterprises' people whoever trained them."""
import pytest
from sqlalchemy import select

from lms.core.audit import AuditEvent
from lms.core.errors import NotFound
from lms.extensions import db
from lms.talent import pool, services

ROLES = ["person", "hr", "admin", "province_bureau", "city_bureau", "district_bureau", "other_bureau", "other_hr",
         "outsider"]


@pytest.mark.parametrize("stage, who_sees", [
    ("draft", {"person"}),
    ("submitted", {"person", "hr", "admin", "province_bureau", "city_bureau", "district_bureau"}),
    ("accepted", {"person", "hr", "admin", "province_bureau", "city_bureau", "district_bureau"}),
])
def test_who_sees_a_filing(world, filing_at, stage, who_sees):
    filing = filing_at(stage)
    for role in ROLES:
        actor = getattr(world, role)
        if role in who_sees:
            assert services.get_filing(actor, filing.id) is filing, role
        else:
            with pytest.raises(NotFound):
                services.get_filing(actor, filing.id)


def test_the_filing_page_and_pdf_answer_404_out_of_scope(world, filing_at, client, login):
    filing = filing_at("endorsed")
    login(world.other_bureau)
    assert client.get(f"/talent/filings/{filing.id}").status_code == 404
    assert client.get(f"/talent/filings/{filing.id}/pdf").status_code == 404
    assert client.post(f"/talent/filings/{filing.id}/accept").status_code == 404


def test_a_district_bureau_sees_but_cannot_accept(world, filing_at, client, login):
    filing = filing_at("endorsed")
    login(world.district_bureau)
    html = client.get(f"/talent/filings/{filing.id}").get_data(as_text=True)
    assert world.enterprise.name in html and 'data-action="accept"' not in html
    response = client.post(f"/talent/filings/{filing.id}/accept")
    assert response.status_code == 403


def test_the_city_bureau_accepts_from_its_page(world, filing_at, client, login):
    filing = filing_at("endorsed")
    login(world.city_bureau)
    assert 'data-action="accept"' in client.get(f"/talent/filings/{filing.id}").get_data(as_text=True)
    client.post(f"/talent/filings/{filing.id}/accept")
    html = client.get(f"/talent/filings/{filing.id}").get_data(as_text=True)
    assert 'id="filing-no"' in html and "C2101-" in html


def test_staff_viewing_someone_elses_filing_is_audited_the_person_is_not(world, filing_at, client, login):
    filing = filing_at("submitted")
    login(world.person)
    client.get(f"/talent/filings/{filing.id}")
    client.post("/logout")
    login(world.hr)
    client.get(f"/talent/filings/{filing.id}")
    viewers = db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "filing.view")).all()
    assert viewers == [world.hr.id]


@pytest.mark.parametrize("role, count", [("admin", 1), ("province_bureau", 1), ("city_bureau", 1),
                                         ("district_bureau", 1), ("other_bureau", 0)])
def test_the_pool_shows_the_people_of_enterprises_in_the_bureaus_region(world, filing_at, role, count):
    filing_at("accepted")
    assert pool.search_page(getattr(world, role), {}).total == count


def test_whoever_trained_them_a_district_bureau_sees_its_enterprises_people(world, filing_at):
    """The certificate comes from a cohort held outside the province (the factories' own region):
    the district bureau does not see that cohort, yet finds the person in its pool."""
    from lms.enrollment.cohorts import visible_cohorts
    from lms.enrollment.models import Cohort

    filing = filing_at("accepted")
    cohort = db.session.get(Cohort, filing.certificate.cohort_id)
    assert cohort not in db.session.scalars(visible_cohorts(world.district_bureau)).all()
    (entry,) = pool.search_page(world.district_bureau, {}).items
    assert entry.user_id == world.person.id


@pytest.mark.parametrize("role", ["hr", "person"])
def test_the_pool_is_for_bureaus_and_admins(world, role, client, login):
    login(getattr(world, role))
    assert client.get("/talent").status_code == 403


def test_another_citys_filings_are_not_waiting_for_this_city(world, make_person, certify, appoint):
    from lms.talent.services import awaiting_acceptance, endorse_filing, start_filing, submit_filing
    from tests.talent.conftest import FILLED

    person = make_person(world.elsewhere, name="孙大连")
    certify(person, "specialist")
    filing = start_filing(person, appoint(person, actor=world.other_hr).id)
    services.save_filing(person, filing, FILLED)
    submit_filing(person, filing)
    endorse_filing(world.other_hr, filing)
    assert awaiting_acceptance(world.city_bureau) == []
    assert awaiting_acceptance(world.other_bureau) == [filing]
    assert awaiting_acceptance(world.admin) == [filing]
