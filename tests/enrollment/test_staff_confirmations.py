"""Taking an admitted trainee out of a cohort asks first and says what it does."""
from __future__ import annotations

import re

from lms.enrollment.applications import decide
from lms.extensions import db


def test_withdrawing_an_admitted_trainee_asks_first(client, login, make_cohort, make_trainee, make_user,
                                                     make_application):
    cohort = make_cohort(capacity=1)
    staff = make_user("institution", scope=cohort.institution)
    admitted = make_application(cohort, make_trainee())
    waiting = make_application(cohort, make_trainee())
    decide(staff, admitted, "approve")
    decide(staff, waiting, "approve")  # the cohort is full: waitlisted
    db.session.commit()
    assert waiting.status == "waitlisted"
    login(staff)
    page = client.get(f"/staff/applications/{admitted.id}").get_data(as_text=True)
    assert "取消录取" in page
    response = client.post(f"/staff/applications/{admitted.id}", data={"action": "reject", "note": "未按时报到"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "的录取？" in page
    assert "不能获得合格证" in page and "候补名单中的第一位申请人将自动录取" in page
    db.session.expire_all()
    assert admitted.status == "approved" and waiting.status == "waitlisted"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert hidden["note"] == "未按时报到" and hidden["action"] == "reject"
    client.post(f"/staff/applications/{admitted.id}", data=hidden)
    db.session.expire_all()
    assert admitted.status == "rejected" and admitted.decision_note == "未按时报到"
    assert waiting.status == "approved"


def test_rejecting_an_applicant_not_yet_admitted_needs_no_second_step(client, login, make_cohort, make_trainee,
                                                                       make_user, make_application):
    cohort = make_cohort()
    staff = make_user("institution", scope=cohort.institution)
    application = make_application(cohort, make_trainee())
    db.session.commit()
    login(staff)
    assert client.post(f"/staff/applications/{application.id}",
                       data={"action": "reject", "note": "材料不全"}).status_code == 302
    db.session.expire_all()
    assert application.status == "rejected"


def test_bulk_approve_admits_the_chosen_in_order_and_waitlists_past_capacity(client, login, make_cohort,
                                                                               make_trainee, make_user,
                                                                               make_application):
    cohort = make_cohort(capacity=2)
    staff = make_user("institution", scope=cohort.institution)
    first, second, third, left = (make_application(cohort, make_trainee()) for _ in range(4))
    db.session.commit()
    login(staff)
    page = client.get(f"/staff/cohorts/{cohort.code}/applications").get_data(as_text=True)
    assert page.count('type="checkbox" name="application"') == 4 and "录取所选" in page
    assert re.search(r'>全部 <span class="filter-count">4</span>', page)  # filters with their counts
    response = client.post(f"/staff/cohorts/{cohort.code}/applications/approve",
                           data={"application": [str(third.id), str(first.id), str(second.id)]},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已录取 2 人" in page and "名额已满，1 人列入候补" in page
    db.session.expire_all()
    assert (first.status, second.status, third.status, left.status) == ("approved", "approved", "waitlisted",
                                                                        left.status)
    assert left.status != "approved" and cohort.seats_taken == 2
    assert "请先勾选要录取的报名" in client.post(f"/staff/cohorts/{cohort.code}/applications/approve",
                                           follow_redirects=True).get_data(as_text=True)


def test_the_bureau_cannot_bulk_approve(client, login, make_cohort, make_trainee, make_user, make_application):
    cohort = make_cohort()
    application = make_application(cohort, make_trainee())
    db.session.commit()
    login(make_user("bureau", scope=cohort.region))
    assert client.post(f"/staff/cohorts/{cohort.code}/applications/approve",
                       data={"application": [str(application.id)]}).status_code in (403, 404)
    db.session.expire_all()
    assert application.status != "approved"


def test_all_present_marks_the_unmarked_and_keeps_the_chosen(client, login, make_cohort, make_trainee, make_user,
                                                             make_application, make_session):
    from lms.enrollment.services import attendance_of

    cohort = make_cohort()
    staff = make_user("institution", scope=cohort.institution)
    late, quiet = (make_application(cohort, make_trainee()) for _ in range(2))
    for application in (late, quiet):
        decide(staff, application, "approve")
    session = make_session(cohort)
    db.session.commit()
    login(staff)
    page = client.get(f"/staff/sessions/{session.id}/attendance").get_data(as_text=True)
    assert "其余全部出勤并保存" in page
    client.post(f"/staff/sessions/{session.id}/attendance", data={f"status-{late.id}": "late", "all_present": "1"})
    marks = attendance_of(session)
    assert marks[late.id].status == "late" and marks[quiet.id].status == "present"
