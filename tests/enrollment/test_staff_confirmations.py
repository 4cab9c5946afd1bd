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
