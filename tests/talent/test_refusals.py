"""Every refusal names the field (or answers 403/404/409) and changes nothing."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.appointments.services import end_appointment
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.extensions import db
from lms.talent import services
from lms.talent.models import Filing, FilingStatus


def _filings() -> int:
    return db.session.scalar(select(func.count(Filing.id)))


@pytest.mark.parametrize("appointment_id", [None, "1", True, 10**6])
def test_starting_needs_one_of_ones_own_appointments(world, appointment_id):
    with pytest.raises(ValidationFailed) as refused:
        services.start_filing(world.person, appointment_id)
    assert "appointment_id" in refused.value.fields


def test_someone_elses_appointment_is_refused(world, appoint):
    appointment = appoint()
    with pytest.raises(ValidationFailed) as refused:
        services.start_filing(world.outsider, appointment.id)
    assert "appointment_id" in refused.value.fields
    assert _filings() == 0


def test_an_ended_appointment_is_refused(world, appoint):
    appointment = appoint(starts_on=date(2026, 1, 1))
    end_appointment(world.hr, appointment, {"ended_on": "2026-02-01", "reason": "left"})
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        services.start_filing(world.person, appointment.id)
    assert "已结束" in str(refused.value.fields["appointment_id"])


@pytest.mark.parametrize("certificate", ["none", "expired", "revoked", "wrong level"])
def test_a_filing_needs_a_valid_certificate_qualifying_for_the_post(world, make_person, certify, appoint, certificate):
    person = make_person(world.enterprise, name="无证者")
    if certificate == "expired":
        certify(person, "cso", valid_until=date.today() - timedelta(days=1))
    elif certificate == "revoked":
        certify(person, "cso", status="revoked")
    elif certificate == "wrong level":
        certify(person, "specialist")  # qualifies for 标准化专员, not for 首席标准官
    appointment = appoint(person, world.cso)
    with pytest.raises(ValidationFailed) as refused:
        services.start_filing(person, appointment.id)
    assert "有效合格证" in str(refused.value.fields["appointment_id"])
    assert _filings() == 0


def test_a_second_open_filing_for_the_same_appointment_is_refused(world, filing_at):
    filing = filing_at("submitted")
    with pytest.raises(ValidationFailed) as refused:
        services.start_filing(world.person, filing.appointment_id)
    assert "未完成的备案表" in str(refused.value.fields["appointment_id"])
    assert _filings() == 1


def test_the_database_holds_one_open_filing_per_appointment_even_in_a_race(world, filing_at):
    filing = filing_at("draft")
    db.session.add(Filing(user_id=filing.user_id, appointment_id=filing.appointment_id,
                          enterprise_id=filing.enterprise_id, certificate_id=filing.certificate_id,
                          status=FilingStatus.DRAFT, form={}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_appointment_already_in_the_pool_is_a_conflict(world, filing_at):
    filing = filing_at("accepted")
    with pytest.raises(Conflict):
        services.start_filing(world.person, filing.appointment_id)


@pytest.mark.parametrize("values, field", [
    ({"work_history": [{"from": "2015-07", "to": "2014-01", "employer": "甲", "job": "乙"}]}, "work_history.1.to"),
    ({"work_history": [{"from": "2015-7", "to": "", "employer": "甲", "job": "乙"}]}, "work_history.1.from"),
    ({"work_history": [{"from": "2099-01", "to": "", "employer": "甲", "job": "乙"}]}, "work_history.1.from"),
    ({"work_history": [{"from": "2015-07", "to": "", "employer": "", "job": "乙"}]}, "work_history.1.employer"),
    ({"work_history": "2015 to now"}, "work_history"),
    ({"work_history": [{"from": "2015-07", "to": "", "employer": "甲", "job": "乙"}] * 21}, "work_history"),
    ({"achievements": [{"kind": "medal", "title": "某奖"}]}, "achievements.1.kind"),
    ({"achievements": [{"kind": "award", "title": ""}]}, "achievements.1.title"),
    ({"email": "not-an-address"}, "email"),
    ({"political_status": "party"}, "political_status"),
    ({"ethnicity": "族" * 17}, "ethnicity"),
    ({"school": 12}, "school"),
    ({"salary": "10000"}, "salary"),
])
def test_bad_form_values_are_refused_naming_the_field_and_nothing_changes(world, filing_at, values, field):
    filing = filing_at("draft")
    before = dict(filing.form)
    with pytest.raises(ValidationFailed) as refused:
        services.save_filing(world.person, filing, values)
    assert field in refused.value.fields
    db.session.rollback()
    assert db.session.get(Filing, filing.id).form == before


def test_system_fields_cannot_be_overwritten_by_the_person(world, filing_at):
    filing = filing_at("draft")
    services.save_filing(world.person, filing, {"name": "冒名", "cert_no": "FAKE", "remarks": "备注"})
    assert filing.form["name"] == "赵标准" and filing.form["cert_no"] != "FAKE" and filing.form["remarks"] == "备注"


def test_submitting_an_incomplete_form_names_what_is_missing(world, appoint):
    filing = services.start_filing(world.person, appoint().id)
    with pytest.raises(ValidationFailed) as refused:
        services.submit_filing(world.person, filing)
    assert set(refused.value.fields) == {"ethnicity", "political_status", "email", "school", "work_history"}
    assert filing.status == FilingStatus.DRAFT


def test_a_certificate_revoked_or_an_appointment_ended_in_between_stops_the_next_step(world, filing_at):
    filing = filing_at("endorsed")
    filing.certificate.status = "revoked"
    with pytest.raises(ValidationFailed) as refused:
        services.accept_filing(world.city_bureau, filing)
    assert "有效合格证" in str(refused.value.fields["filing"])
    db.session.rollback()
    filing = db.session.get(Filing, filing.id)
    end_appointment(world.hr, filing.appointment, {"ended_on": date.today().isoformat(), "reason": "left"})
    with pytest.raises(ValidationFailed):
        services.accept_filing(world.city_bureau, filing)


def test_steps_out_of_order_are_conflicts(world, filing_at):
    filing = filing_at("draft")
    with pytest.raises(Conflict):
        services.endorse_filing(world.hr, filing)
    with pytest.raises(Conflict):
        services.return_filing(world.hr, filing, "原因")
    services.submit_filing(world.person, filing)
    with pytest.raises(Conflict):
        services.accept_filing(world.city_bureau, filing)
    with pytest.raises(Conflict):
        services.save_filing(world.person, filing, {"remarks": "改"})
    with pytest.raises(Conflict):
        services.submit_filing(world.person, filing)


def test_only_the_right_people_act(world, filing_at):
    filing = filing_at("submitted")
    for actor in (world.person, world.city_bureau, world.other_hr, world.admin):
        with pytest.raises(Forbidden):
            services.endorse_filing(actor, filing)
    with pytest.raises(Forbidden):
        services.save_filing(world.hr, filing, {"remarks": "人事代填"})
    services.endorse_filing(world.hr, filing)
    for actor in (world.district_bureau, world.other_bureau, world.hr):
        with pytest.raises(Forbidden):
            services.accept_filing(actor, filing)
    with pytest.raises(Forbidden):
        services.return_filing(world.hr, filing, "企业不能退回已报送的")


@pytest.mark.parametrize("reason", ["", "   ", None, 5, "因" * 501])
def test_returning_needs_a_reason(world, filing_at, reason):
    filing = filing_at("submitted")
    with pytest.raises(ValidationFailed) as refused:
        services.return_filing(world.hr, filing, reason)
    assert "reason" in refused.value.fields
    assert filing.status == FilingStatus.SUBMITTED
