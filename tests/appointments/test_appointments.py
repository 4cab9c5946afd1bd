"""Recording and ending appointments: the rules, the warnings, every refusal, who sees what."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.appointments import services
from lms.appointments.models import Appointment, AppointmentStatus, EndReason
from lms.core.audit import AuditEvent
from lms.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from lms.extensions import db
from lms.notifications.models import Notification


def _data(world, **overrides):
    return {"person_id": world.person.id, "post_code": world.specialist.code, "starts_on": "2026-03-01",
            "full_time": False, "document_no": "沈测〔2026〕3号", **overrides}


def _count() -> int:
    return db.session.scalar(select(func.count(Appointment.id)))


def test_hr_appoints_an_employee_who_is_told_and_it_is_audited(world):
    recorded = services.record_appointment(world.hr, _data(world))
    db.session.commit()
    appointment = recorded.appointment
    assert (appointment.status, appointment.full_time, appointment.starts_on) == (AppointmentStatus.ACTIVE, False,
                                                                                 date(2026, 3, 1))
    assert appointment.enterprise_id == world.enterprise.id and recorded.warnings == []
    assert db.session.scalar(select(Notification).where(Notification.user_id == world.person.id)) is not None
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == appointment.id)) \
        == "appointment.create"


def test_a_post_without_a_qualifying_certificate_is_recorded_but_marked(world):
    recorded = services.record_appointment(world.hr, _data(world, post_code=world.cso.code))
    assert len(recorded.warnings) == 1 and "首席标准官" in str(recorded.warnings[0])
    assert services.qualified([recorded.appointment]) == {recorded.appointment.id: False}


def test_more_than_the_usual_staffing_is_a_warning_not_a_refusal(world, make_person, certify, appoint):
    first = make_person(world.enterprise, name="甲")
    certify(first, "cso")
    appoint(first, world.cso)
    second = make_person(world.enterprise, name="乙")
    certify(second, "cso")
    recorded = services.record_appointment(world.hr, _data(world, person_id=second.id, post_code=world.cso.code))
    assert [str(w) for w in recorded.warnings] == ["本企业现有 2 名在聘的“首席标准官”，该岗位一般配备 1 名"]


@pytest.mark.parametrize("overrides, field", [
    ({"person_id": None}, "person_id"),
    ({"person_id": "12"}, "person_id"),
    ({"post_code": ""}, "post_code"),
    ({"post_code": "no-such-post"}, "post_code"),
    ({"starts_on": "2026-02-30"}, "starts_on"),
    ({"starts_on": ""}, "starts_on"),
    ({"full_time": "yes"}, "full_time"),
    ({"document_no": "号" * 65}, "document_no"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_changes(world, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        services.record_appointment(world.hr, _data(world, **overrides))
    assert field in refused.value.fields
    db.session.rollback()
    assert _count() == 0


def test_a_person_who_is_not_an_employee_of_that_enterprise_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        services.record_appointment(world.hr, _data(world, person_id=world.outsider.id))
    assert "不是本企业的员工" in str(refused.value.fields["person_id"])
    db.session.rollback()
    assert _count() == 0


def test_a_post_of_another_region_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        services.record_appointment(world.hr, _data(world, post_code=world.foreign_post.code))
    assert "不适用于企业所在地区" in str(refused.value.fields["post_code"])


def test_the_same_post_twice_at_once_is_refused(world, appoint):
    appoint()
    with pytest.raises(ValidationFailed) as refused:
        services.record_appointment(world.hr, _data(world))
    assert "已在本企业担任此岗位" in str(refused.value.fields["post_code"])


def test_only_hr_and_admins_appoint(world):
    for actor in (world.person, world.city_bureau):
        with pytest.raises(Forbidden):
            services.record_appointment(actor, _data(world))
    assert services.record_appointment(world.admin, _data(world)).appointment.enterprise_id == world.enterprise.id


@pytest.mark.parametrize("kind", ["not a pdf", "big"])
def test_a_letter_that_is_not_a_pdf_or_image_or_too_big_is_refused(world, kind):
    data = b"MZ\x90\x00 executable" if kind == "not a pdf" else b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)
    with pytest.raises(ValidationFailed) as refused:
        services.record_appointment(world.hr, _data(world), ("letter.pdf", data))
    assert "letter" in refused.value.fields
    db.session.rollback()
    assert _count() == 0


def test_the_letter_is_kept_and_served_within_scope(world, client, login):
    recorded = services.record_appointment(world.hr, _data(world), ("聘任书.pdf", b"%PDF-1.4\n%%EOF\n"))
    db.session.commit()
    url = f"/appointments/{recorded.appointment.id}/letter"
    login(world.person)
    with client.get(url) as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    client.post("/logout")
    login(world.other_hr)
    assert client.get(url).status_code == 404


def test_ending_needs_a_date_not_before_the_start_nor_in_the_future_and_a_reason(world, appoint):
    appointment = appoint(starts_on=date(2026, 1, 10))
    for data, field in (({"ended_on": "2026-01-09", "reason": "left"}, "ended_on"),
                        ({"ended_on": (date.today() + timedelta(days=2)).isoformat(), "reason": "left"}, "ended_on"),
                        ({"ended_on": "2026-02-01", "reason": "fired"}, "reason"),
                        ({"reason": "left"}, "ended_on")):
        with pytest.raises(ValidationFailed) as refused:
            services.end_appointment(world.hr, appointment, data)
        assert field in refused.value.fields
        db.session.rollback()
    assert db.session.get(Appointment, appointment.id).status == AppointmentStatus.ACTIVE
    services.end_appointment(world.hr, appointment, {"ended_on": "2026-02-01", "reason": "term_ended"})
    db.session.commit()
    assert (appointment.status, appointment.end_reason) == (AppointmentStatus.ENDED, EndReason.TERM_ENDED)
    with pytest.raises(Conflict):
        services.end_appointment(world.hr, appointment, {"ended_on": "2026-02-02", "reason": "left"})


def test_another_enterprise_cannot_end_it(world, appoint):
    appointment = appoint()
    with pytest.raises(NotFound):
        services.get_appointment(world.other_hr, appointment.id)
    with pytest.raises(Forbidden):
        services.end_appointment(world.other_hr, appointment, {"ended_on": "2026-02-01", "reason": "left"})


@pytest.mark.parametrize("who, sees", [("person", True), ("hr", True), ("admin", True), ("district_bureau", True),
                                       ("city_bureau", True), ("province_bureau", True), ("other_bureau", False),
                                       ("other_hr", False), ("outsider", False)])
def test_who_sees_an_appointment(world, appoint, who, sees):
    appointment = appoint()
    if sees:
        assert services.get_appointment(getattr(world, who), appointment.id) is appointment
    else:
        with pytest.raises(NotFound):
            services.get_appointment(getattr(world, who), appointment.id)
