"""The filing's lifecycle: draft → submitted → endorsed → accepted (number, talent entry), or
returned with a reason and submitted again; each step audited and told to the next actor."""
from datetime import date

from sqlalchemy import select

from lms.core.audit import AuditEvent
from lms.enrollment.models import TraineeProfile
from lms.extensions import db
from lms.notifications.models import Notification
from lms.talent import services
from lms.talent.models import FilingStatus, TalentEntry
from tests.talent.conftest import FILLED


def _told(user) -> list[str]:
    return list(db.session.scalars(select(Notification.message_id).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def _actions(filing) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "filings",
                                                                   AuditEvent.object_id == filing.id)
                                   .order_by(AuditEvent.id)))


def test_a_draft_is_prefilled_from_the_profile_the_appointment_and_the_certificate(world, appoint):
    appointment = appoint()
    filing = services.start_filing(world.person, appointment.id)
    values = filing.form
    profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == world.person.id))
    assert filing.status == FilingStatus.DRAFT and filing.filing_no is None
    assert (values["name"], values["id_number"], values["birth_date"]) == ("赵标准", profile.id_number, "1985-06-12")
    assert values["enterprise_name"] == world.enterprise.name and values["enterprise_region"] == "辽宁省沈阳市和平区"
    assert (values["post_title"], values["appointed_on"], values["full_time"]) == (
        "标准化专员", appointment.starts_on.isoformat(), True)
    assert values["cert_no"] == filing.certificate.cert_no
    assert values["work_history"] == [] and values["ethnicity"] == ""


def test_the_whole_way_into_the_talent_pool(world, appoint):
    filing = services.start_filing(world.person, appoint().id)
    services.save_filing(world.person, filing, FILLED)
    services.submit_filing(world.person, filing)
    assert filing.status == FilingStatus.SUBMITTED and _told(world.hr) == ["talent.to_endorse"]

    services.endorse_filing(world.hr, filing)
    assert filing.status == FilingStatus.ENDORSED
    assert _told(world.person)[-1] == "talent.endorsed"
    # the bureaus at city level or above whose region holds the enterprise are told; the district is not
    assert _told(world.city_bureau) == _told(world.province_bureau) == ["talent.to_accept"]
    assert _told(world.district_bureau) == _told(world.other_bureau) == []

    services.accept_filing(world.city_bureau, filing)
    db.session.commit()
    assert filing.status == FilingStatus.ACCEPTED
    assert filing.filing_no == f"C2101-{date.today().year}-0001"
    entry = db.session.scalar(select(TalentEntry).where(TalentEntry.filing_id == filing.id))
    assert (entry.user_id, entry.enterprise_id, entry.post_id) == (world.person.id, world.enterprise.id,
                                                                  world.specialist.id)
    assert "Q/SYC 001-2025 数控机床装配工艺规范 主要起草人" in entry.achievements_text
    assert _told(world.person)[-1] == _told(world.hr)[-1] == "talent.accepted"
    assert _actions(filing) == ["filing.create", "filing.submit", "filing.endorse", "filing.accept"]


def test_filing_numbers_count_up_per_filing_unit_and_year(world, make_person, certify, filing_at):
    first = filing_at("accepted")
    other = make_person(world.enterprise, name="孙第二")
    certify(other, "cso")
    second = filing_at("accepted", person=other, post=world.cso)
    assert [first.filing_no[-4:], second.filing_no[-4:]] == ["0001", "0002"]


def test_a_returned_filing_says_why_and_goes_round_again(world, filing_at):
    filing = filing_at("submitted")
    services.return_filing(world.hr, filing, "请补充2010年以前的工作经历")
    assert (filing.status, filing.return_reason) == (FilingStatus.RETURNED, "请补充2010年以前的工作经历")
    assert _told(world.person)[-1] == "talent.returned"
    assert services.filing_json(filing)["return_reason"] == "请补充2010年以前的工作经历"
    services.save_filing(world.person, filing, {"remarks": "已补充"})
    services.submit_filing(world.person, filing)
    services.endorse_filing(world.hr, filing)
    services.return_filing(world.city_bureau, filing, "合格证编号与附件不一致")
    assert filing.status == FilingStatus.RETURNED and filing.endorsed_at is None
    services.submit_filing(world.person, filing)
    services.endorse_filing(world.hr, filing)
    services.accept_filing(world.province_bureau, filing)
    assert filing.status == FilingStatus.ACCEPTED and filing.form["remarks"] == "已补充"
    assert _actions(filing).count("filing.return") == 2


def test_the_form_takes_the_profile_afresh_when_submitted(world, filing_at):
    filing = filing_at("draft")
    profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == world.person.id))
    profile.phone = "13800001234"
    services.submit_filing(world.person, filing)
    assert filing.form["phone"] == "13800001234"


def test_a_second_filing_starts_from_the_persons_own_answers(world, certify, filing_at, appoint):
    filing_at("accepted")
    certify(world.person, "cso")
    later = services.start_filing(world.person, appoint(post=world.cso).id)
    assert later.form["school"] == "东北大学" and len(later.form["work_history"]) == 2
    assert later.form["post_title"] == "首席标准官"
