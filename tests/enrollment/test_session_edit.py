"""Staff edit and remove a cohort's sessions (课次); trainees hear of schedule changes."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.core.audit import AuditEvent
from lms.core.errors import ValidationFailed
from lms.enrollment import services
from lms.enrollment.cohorts import LOCAL_TZ
from lms.enrollment.models import Attendance, CohortSession
from lms.notifications.models import Notification
from lms.extensions import db


@pytest.fixture
def planned(make_cohort, make_session, make_user, make_trainee, make_application):
    """A cohort with one session, its institution's staff and one approved trainee."""
    cohort = make_cohort()
    session = make_session(cohort)
    staff = make_user("institution", scope=cohort.institution)
    trainee = make_trainee()
    application = make_application(cohort, trainee)
    services.decide(staff, application, "approve")
    db.session.commit()
    return cohort, session, staff, trainee, application


def _messages(user, prefix):
    return [n.text for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
            if n.text.startswith(prefix)]


def _audited(action, session_id):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                       AuditEvent.object_id == session_id)).all()


def _form(cohort, session, **changes):
    day = services.local_today() + timedelta(days=3)
    data = {"module_id": session.module_id, "teacher_id": 0, "day": day.isoformat(), "begins": "14:00",
            "ends": "17:00", "hours": "4", "place": "实训楼203"}
    data.update(changes)
    return data


def test_staff_edit_a_session_and_the_trainees_are_told_what_changed(client, login, planned):
    cohort, session, staff, trainee, _application = planned
    login(staff)
    page = client.get(f"/staff/cohorts/{cohort.code}").get_data(as_text=True)
    assert f"/staff/sessions/{session.id}/edit" in page and f"/staff/sessions/{session.id}/delete" in page
    form = client.get(f"/staff/sessions/{session.id}/edit").get_data(as_text=True)
    assert 'value="101教室"' in form and 'value="4.0"' in form

    old_day = session.starts_at.astimezone(LOCAL_TZ).date()
    response = client.post(f"/staff/sessions/{session.id}/edit", data=_form(cohort, session))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/staff/cohorts/{cohort.code}")
    db.session.expire_all()
    moved = db.session.get(CohortSession, session.id)
    local = moved.starts_at.astimezone(LOCAL_TZ)
    assert (local.date(), f"{local:%H:%M}", moved.place) == (services.local_today() + timedelta(days=3), "14:00",
                                                              "实训楼203")
    [message] = _messages(trainee, "课次调整")
    assert f"原定 {old_day:%Y-%m-%d} " in message
    assert f"现为 {services.local_today() + timedelta(days=3):%Y-%m-%d} 14:00-" in message
    assert "地点：实训楼203" in message
    [event] = _audited("session.update", session.id)
    assert event.actor_id == staff.id and event.details["changes"]["place"] == ["101教室", "实训楼203"]

    # a change trainees need not plan around (the hours) is audited but not announced
    client.post(f"/staff/sessions/{session.id}/edit", data=_form(cohort, session, hours="3"))
    db.session.expire_all()
    assert db.session.get(CohortSession, session.id).hours == 3.0
    assert len(_messages(trainee, "课次调整")) == 1 and len(_audited("session.update", session.id)) == 2


def test_an_invalid_edit_shows_the_field_error_and_changes_nothing(client, login, planned):
    cohort, session, staff, trainee, _application = planned
    before = (session.starts_at, session.ends_at, session.hours, session.place)
    login(staff)
    response = client.post(f"/staff/sessions/{session.id}/edit", data=_form(cohort, session, hours="6"))
    assert response.status_code == 200
    assert "学时与上课时长不符（每学时不少于40分钟）" in response.get_data(as_text=True)
    outside = _form(cohort, session, day=(cohort.ends_on + timedelta(days=1)).isoformat())
    assert "课次日期应在班次起止日期之内" in client.post(f"/staff/sessions/{session.id}/edit",
                                                         data=outside).get_data(as_text=True)
    db.session.expire_all()
    again = db.session.get(CohortSession, session.id)
    assert (again.starts_at, again.ends_at, again.hours, again.place) == before
    assert _messages(trainee, "课次调整") == [] and _audited("session.update", session.id) == []


def test_attended_sessions_keep_their_module_and_hours(planned):
    cohort, session, staff, _trainee, application = planned
    services.mark_attendance(staff, session, {application.id: "present"})
    db.session.commit()
    data = {"module": session.module, "teacher": None, "starts_at": session.starts_at, "ends_at": session.ends_at,
            "hours": 3, "place": "101教室"}
    with pytest.raises(ValidationFailed) as refused:
        services.save_session(staff, cohort, data, session)
    assert refused.value.fields == {"hours": "该课次已有考勤记录，不能再更改课程模块或学时"}
    db.session.rollback()
    services.save_session(staff, cohort, {**data, "hours": 4.0, "place": "报告厅"}, session)  # a new room is fine
    db.session.commit()
    assert db.session.get(CohortSession, session.id).place == "报告厅"


def test_staff_of_another_institution_trainees_and_the_bureau_cannot_edit_or_delete(
        client, login, planned, make_user, make_institution):
    cohort, session, _staff, trainee, _application = planned
    other = make_user("institution", scope=make_institution())
    bureau = make_user("bureau", scope=cohort.region)
    for user, status in ((other, 404), (trainee, 403), (bureau, 403)):
        client.post("/logout")
        login(user)
        assert client.get(f"/staff/sessions/{session.id}/edit").status_code == status, user.username
        assert client.post(f"/staff/sessions/{session.id}/edit", data=_form(cohort, session)).status_code == status
        assert client.post(f"/staff/sessions/{session.id}/delete").status_code == status
    page = client.get(f"/staff/cohorts/{cohort.code}").get_data(as_text=True)  # the bureau sees, without buttons
    assert "101教室" in page and f"/staff/sessions/{session.id}/delete" not in page
    db.session.expire_all()
    assert db.session.get(CohortSession, session.id).place == "101教室"
    assert _audited("session.update", session.id) == [] and _audited("session.delete", session.id) == []


def test_deleting_a_session_nobody_attended_tells_the_trainees(client, login, planned):
    cohort, session, staff, trainee, _application = planned
    session_id = session.id
    login(staff)
    response = client.post(f"/staff/sessions/{session_id}/delete", data={"confirmed": "yes"}, follow_redirects=True)
    assert "课次已删除" in response.get_data(as_text=True)
    assert "尚未安排课次" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CohortSession, session_id) is None
    [message] = _messages(trainee, "课次取消")
    assert cohort.title in message and "101教室" in message and "已取消" in message
    [event] = _audited("session.delete", session_id)
    assert event.actor_id == staff.id and event.details["cohort"] == cohort.code and event.details["hours"] == 4.0
    assert client.get(f"/staff/sessions/{session_id}/edit").status_code == 404


def test_deleting_asks_first_and_states_the_consequence(client, login, planned):
    cohort, session, staff, trainee, _application = planned
    session_id = session.id
    login(staff)
    response = client.post(f"/staff/sessions/{session_id}/delete")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "删除课次？" in page
    assert "不能恢复" in page and "已录取的 1 名学员将收到课次取消通知" in page
    assert f"/staff/cohorts/{cohort.code}" in page  # the way back
    db.session.expire_all()
    assert db.session.get(CohortSession, session_id) is not None
    assert _messages(trainee, "课次取消") == [] and _audited("session.delete", session_id) == []
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert hidden["confirmed"] == "yes"
    client.post(f"/staff/sessions/{session_id}/delete", data=hidden)
    db.session.expire_all()
    assert db.session.get(CohortSession, session_id) is None


def test_a_session_with_attendance_is_not_deleted(client, login, planned):
    _cohort, session, staff, trainee, application = planned
    services.mark_attendance(staff, session, {application.id: "present"})
    db.session.commit()
    login(staff)
    response = client.post(f"/staff/sessions/{session.id}/delete", data={"confirmed": "yes"}, follow_redirects=True)
    assert "该课次已有 1 条考勤或签到记录，不能删除（考勤记录须保留）" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CohortSession, session.id) is not None
    assert db.session.scalar(select(Attendance).where(Attendance.session_id == session.id)).status == "present"
    assert _messages(trainee, "课次取消") == [] and _audited("session.delete", session.id) == []


def test_the_delete_button_carries_its_csrf_token(csrf_app, planned):
    from tests.conftest import TEST_PASSWORD

    cohort, session, staff, _trainee, _application = planned
    session_id = session.id
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    assert client.post("/login", data={"csrf_token": token, "username": staff.username,
                                       "password": TEST_PASSWORD}).status_code == 302
    page = client.get(f"/staff/cohorts/{cohort.code}").get_data(as_text=True)
    form = re.search(rf'action="/staff/sessions/{session_id}/delete">\s*'
                     r'<input type="hidden" name="csrf_token" value="([^"]+)"', page)
    assert client.post(f"/staff/sessions/{session_id}/delete").status_code == 400
    assert db.session.get(CohortSession, session_id) is not None
    assert client.post(f"/staff/sessions/{session_id}/delete", data={"csrf_token": form.group(1), "confirmed": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CohortSession, session_id) is None
