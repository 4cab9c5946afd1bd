"""Scope, nominations, cohorts (accreditation, teacher requirements), progress, notifications."""
from datetime import date, datetime, timedelta, UTC

import pytest
from sqlalchemy import select

from lms.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from lms.enrollment import services
from lms.enrollment.attendance import record_attendance
from lms.extensions import db
from lms.notifications.services import notifications_for, unread_count
from lms.programs.models import Teacher


def test_bureau_sees_its_region_subtree_and_institution_its_cohorts(make_region, make_cohort, make_user,
                                                                     make_trainee, make_application):
    city = make_region(name="市", level="city")
    district = make_region(name="区", parent=city)
    elsewhere = make_region(name="外区")
    inside, outside = make_cohort(region=district), make_cohort(region=elsewhere)
    app_in, app_out = make_application(inside, make_trainee()), make_application(outside, make_trainee())
    bureau = make_user("bureau", scope=city)
    staff = make_user("institution", scope=outside.institution)

    assert db.session.scalars(services.visible_cohorts(bureau)).all() == [inside]
    assert db.session.scalars(services.visible_applications(bureau)).all() == [app_in]
    assert db.session.scalars(services.visible_cohorts(staff)).all() == [outside]
    assert db.session.scalars(services.visible_applications(staff)).all() == [app_out]
    with pytest.raises(NotFound):
        services.get_cohort(bureau, outside.code)
    with pytest.raises(NotFound):
        services.get_application(staff, app_in.id)
    # a trainee sees only its own applications
    assert db.session.scalars(services.visible_applications(app_in.user)).all() == [app_in]


def test_bureau_recommends_but_does_not_decide(make_cohort, make_user, make_trainee, make_application):
    cohort = make_cohort()
    application = make_application(cohort, make_trainee())
    bureau = make_user("bureau", scope=cohort.region)
    services.recommend(bureau, application)
    assert application.recommended_by_id == bureau.id and application.status == "eligible"
    with pytest.raises(Forbidden):
        services.decide(bureau, application, "approve")


def test_enterprise_nominates_and_the_trainee_confirms(make_cohort, make_user, make_trainee):
    from lms.enrollment.profiles import profile_of

    cohort = make_cohort()
    trainee = make_trainee()
    hr = make_user("enterprise", scope=profile_of(trainee).enterprise)
    application = services.nominate(hr, cohort, trainee)
    db.session.commit()
    assert application.status == "nominated" and application.eligibility is None
    assert unread_count(trainee) == 1
    # HR sees its employee's application; the trainee confirms and the rules run then
    assert db.session.scalars(services.visible_applications(hr)).all() == [application]
    services.answer(trainee, application, accept=True)
    db.session.commit()
    db.session.expire_all()
    assert application.status == "eligible" and application.eligibility["result"] == "eligible"

    stranger = make_trainee()
    with pytest.raises(ValidationFailed) as error:
        services.nominate(hr, cohort, stranger)
    assert "本企业" in error.value.fields["trainee"]


def test_ineligible_application_cannot_be_approved(make_cohort, make_user, make_trainee, make_application):
    cohort = make_cohort()
    application = make_application(cohort, make_trainee(title_level="junior", standardization_years=1))
    assert application.status == "ineligible"
    staff = make_user("institution", scope=cohort.institution)
    with pytest.raises(Conflict):
        services.decide(staff, application, "approve")
    services.decide(staff, application, "reject", "不符合任职条件")
    db.session.commit()
    db.session.expire_all()
    assert application.status == "rejected" and application.decision_note == "不符合任职条件"
    notes = notifications_for(application.user)
    assert "未被录取" in notes[0].text


def test_cohort_needs_accreditation_across_its_dates(make_user, make_program, make_institution, make_region):
    institution = make_institution(accredited_from=date(2025, 1, 1), accredited_until=date(2025, 12, 31))
    staff = make_user("institution", scope=institution)
    data = dict(code="X1", title="班", program=make_program(), institution=institution, region=make_region(),
                starts_on=date(2025, 12, 1), ends_on=date(2026, 1, 10), capacity=30,
                applications_open_on=date(2025, 11, 1), applications_close_on=date(2025, 11, 20))
    with pytest.raises(ValidationFailed) as error:
        services.save_cohort(staff, data)
    assert "资质有效期（2025-01-01 至 2025-12-31）未覆盖班次日期" in error.value.fields["institution"]
    cohort = services.save_cohort(staff, {**data, "ends_on": date(2025, 12, 20)})
    assert cohort.seats_left == 30
    other = make_user("institution", scope=make_institution())
    with pytest.raises(ValidationFailed) as error:
        services.save_cohort(other, {**data, "code": "X2", "ends_on": date(2025, 12, 20)})
    assert "本机构" in error.value.fields["institution"]


def test_assigning_a_teacher_names_the_missing_qualifications(make_cohort, make_program, make_user):
    program = make_program(qualifications=["高级职称", "标准化工作经历5年以上"])
    cohort = make_cohort(program=program)
    staff = make_user("institution", scope=cohort.institution)
    teacher = Teacher(institution=cohort.institution, name="李老师", qualifications=["高级职称"])
    db.session.add(teacher)
    start = datetime.combine(cohort.starts_on, datetime.min.time(), UTC) + timedelta(hours=1)
    data = dict(module=program.modules[0], teacher=teacher, starts_at=start, ends_at=start + timedelta(hours=4),
                hours=4)
    with pytest.raises(ValidationFailed) as error:
        services.save_session(staff, cohort, data)
    assert error.value.fields["teacher"] == "教师李老师不满足本项目师资条件，缺少：标准化工作经历5年以上"
    teacher.qualifications = ["高级职称", "标准化工作经历5年以上"]
    assert services.save_session(staff, cohort, data).teacher is teacher
    with pytest.raises(ValidationFailed) as error:
        services.save_session(staff, cohort, {**data, "hours": 8})
    assert "学时与上课时长不符" in error.value.fields["hours"]


def test_progress_counts_hours_per_module_against_the_requirement(make_program, make_cohort, make_user,
                                                                  make_trainee, make_application, make_session):
    program = make_program(hours=(8, 12))
    cohort = make_cohort(program=program)
    staff = make_user("institution", scope=cohort.institution)
    application = make_application(cohort, make_trainee())
    services.decide(staff, application, "approve")
    m1, m2 = program.modules
    sessions = [make_session(cohort, m1, hours=4), make_session(cohort, m1, hours=4),
                make_session(cohort, m2, hours=6), make_session(cohort, m2, hours=6)]
    for session, status in zip(sessions, ["present", "late", "present", "absent"], strict=True):
        record_attendance(staff, session, application, status, "staff")
    db.session.commit()
    progress = services.progress(application)
    assert progress.hours_by_module == {"M1": 8.0, "M2": 6.0}
    assert (progress.hours_done, progress.hours_required, progress.ratio) == (14.0, 20.0, 0.7)
    assert progress.requirement_met is False
    record_attendance(staff, sessions[3], application, "present", "staff")
    db.session.commit()
    assert services.progress(application).requirement_met is True
    assert services.attendance_requirement_met(application) is True
    assert services.is_enrolled(application.user, cohort)


def test_withdrawn_application_can_apply_again(make_cohort, make_trainee, make_application):
    cohort = make_cohort()
    application = make_application(cohort, make_trainee())
    services.withdraw(application.user, application)
    db.session.commit()
    again = services.apply(application.user, cohort)
    assert again.id == application.id and again.status == "eligible"
    assert db.session.scalars(select(type(application))).all() == [application]
