"""Taking an admitted trainee out of a cohort asks first and says what it does."""
from __future__ import annotations

import re

from lms.enrollment.decisions import decide
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
    first, second, third, left = (make_application(cohort, make_trainee(position_level="department_head"))
                                  for _ in range(4))
    db.session.commit()
    login(staff)
    page = client.get(f"/staff/cohorts/{cohort.code}/applications").get_data(as_text=True)
    assert page.count('type="checkbox" name="application"') == 4 and "录取所选" in page
    assert re.search(r'>全部 <span class="filter-count">4</span>', page)  # filters with their counts
    assert "部门负责人（中层）" in page and "department_head" not in page  # the job level by name
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


def test_class_progress_leads_with_the_deciding_columns_filters_and_exports(client, login, make_cohort, make_trainee,
                                                                             make_user, make_application,
                                                                             make_session):
    import io

    from openpyxl import load_workbook

    from lms.enrollment.services import mark_attendance

    cohort = make_cohort()
    staff = make_user("institution", scope=cohort.institution)
    came = make_application(cohort, make_trainee(name="张出勤", phone="13800001111"))
    away = make_application(cohort, make_trainee(name="=HYPERLINK(\"x\")"))
    for application in (came, away):
        decide(staff, application, "approve")
    sessions = [make_session(cohort, module=m, hours=m.hours) for m in cohort.program.modules]
    mark_attendance(staff, sessions[0], {came.id: "present", away.id: "absent"})
    for session in sessions[1:]:
        mark_attendance(staff, session, {came.id: "present"})
    db.session.commit()
    login(staff)
    page = client.get(f"/staff/cohorts/{cohort.code}/progress").get_data(as_text=True)
    head = page[page.index("<thead>"):page.index("</thead>")]
    assert head.index("合计") < head.index("出勤率") < head.index("考试资格") < head.index(cohort.program.modules[0].title)
    assert re.search(r'达到考试出勤要求 <span class="filter-count">1</span>', page)
    assert re.search(r'未达到 <span class="filter-count">1</span>', page)
    met = client.get(f"/staff/cohorts/{cohort.code}/progress?show=met").get_data(as_text=True)
    assert "张出勤" in met and "HYPERLINK" not in met
    response = client.get(f"/staff/cohorts/{cohort.code}/progress?format=xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(f"roster-{cohort.code}.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == ("姓名", "单位", "职务", "职务层级", "手机号码", "已修学时", "应修学时", "出勤率", "考试资格")
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["张出勤"][4] == "13800001111" and by_name["张出勤"][8] == "达到"
    assert by_name['=HYPERLINK("x")'][8] == "未达到"
    assert all(sheet.cell(row=n, column=1).data_type == "s" for n in (2, 3))


def test_the_confirmation_speaks_english(client, login, make_cohort, make_trainee, make_user, make_application):
    cohort = make_cohort(capacity=1)
    staff = make_user("institution", scope=cohort.institution)
    admitted = make_application(cohort, make_trainee())
    decide(staff, admitted, "approve")
    db.session.commit()
    login(staff)
    client.post("/lang/en")
    page = client.post(f"/staff/applications/{admitted.id}", data={"action": "reject", "note": "x"}).get_data(
        as_text=True)
    assert "Withdraw the admission of" in page and "no certificate" in page and "Cancel and go back" in page
    for chinese in ("不能获得合格证", "候补名单", "取消，返回", "确认取消录取"):
        assert chinese not in page
