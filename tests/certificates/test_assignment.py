"""Programs that require a final assignment (结业作业): staff assess it; only a pass meets the requirement."""
import pytest

from lms.certificates import services
from lms.certificates.requirements import RequirementsUnmet
from lms.core.audit import AuditEvent
from lms.core.errors import Conflict, Forbidden
from lms.enrollment.services import record_assignment
from lms.extensions import db


@pytest.fixture
def graduate_with_assignment(make_graduate, exam_passed):
    application = make_graduate()
    application.cohort.program.assignment_required = True
    db.session.commit()
    return application


def test_an_unassessed_or_failed_assignment_blocks_the_certificate(graduate_with_assignment, cohort_staff):
    application = graduate_with_assignment
    staff = cohort_staff(application.cohort)
    with pytest.raises(RequirementsUnmet) as error:
        services.issue(staff, application)
    assert error.value.fields == {"assignment": "结业作业尚未评定（本项目要求结业作业合格）"}
    db.session.rollback()

    record_assignment(staff, application, passed=False)
    with pytest.raises(RequirementsUnmet) as error:
        services.issue(staff, application)
    assert error.value.fields == {"assignment": "结业作业评定为不合格"}
    db.session.rollback()

    record_assignment(staff, application, passed=True)
    certificate = services.issue(staff, application)
    assert certificate.status == "valid"
    assert db.session.query(AuditEvent).filter_by(action="application.assignment").count() == 1


def test_only_the_cohort_institution_assesses_and_only_enrolled_trainees(graduate_with_assignment, make_user,
                                                                        make_institution, cohort_staff):
    application = graduate_with_assignment
    outsider = make_user("institution", scope=make_institution())
    with pytest.raises(Forbidden):
        record_assignment(outsider, application, passed=True)
    application.status = "withdrawn"
    with pytest.raises(Conflict):
        record_assignment(cohort_staff(application.cohort), application, passed=True)


def test_staff_assess_from_the_application_page(graduate_with_assignment, cohort_staff, client, login):
    application = graduate_with_assignment
    login(cohort_staff(application.cohort))
    page = client.get(f"/staff/applications/{application.id}").get_data(as_text=True)
    assert "结业作业" in page and "尚未评定" in page
    response = client.post(f"/staff/applications/{application.id}/assignment", data={"passed": "1"},
                           follow_redirects=True)
    assert "结业作业评定已保存" in response.get_data(as_text=True)
    db.session.expire_all()
    assert application.assignment_passed is True
