"""The trainee's timetable: today's session first, then the coming ones, the past folded away;
the 开班须知; the .ics download; no attendance verdict before the first session."""
from __future__ import annotations

from datetime import datetime, timedelta, UTC

from lms.enrollment.enums import ApplicationStatus, AttendanceMethod, AttendanceStatus
from lms.enrollment.models import Attendance
from lms.extensions import db


def _admitted(make_cohort, make_trainee, make_application, **cohort):
    trainee = make_trainee()
    application = make_application(make_cohort(**cohort), trainee)
    application.status = ApplicationStatus.APPROVED
    db.session.commit()
    return application, trainee


def test_today_comes_first_then_what_is_next_and_the_past_folded(make_cohort, make_trainee, make_application,
                                                                  make_session, client, login):
    application, trainee = _admitted(make_cohort, make_trainee, make_application)
    cohort = application.cohort
    cohort.admission_notice = "首次课前 15 分钟报到\n携带身份证"
    now = datetime.now(UTC)
    past = make_session(cohort, starts_at=now - timedelta(days=2))
    later = make_session(cohort, starts_at=now + timedelta(days=3))
    soon = make_session(cohort, starts_at=now + timedelta(days=1))
    today = make_session(cohort, starts_at=now - timedelta(minutes=10))
    db.session.add(Attendance(session_id=past.id, application_id=application.id, status=AttendanceStatus.ABSENT,
                              method=AttendanceMethod.STAFF))
    db.session.commit()
    html = login(trainee).get("/my/timetable").get_data(as_text=True)
    order = [html.index(f'data-session="{s.id}"') for s in (today, soon, later, past)]
    assert order == sorted(order)  # today, tomorrow, in three days, then the past
    assert html.index(f'data-session="{past.id}"') > html.index("已结束的课次（1）")
    assert "首次课前 15 分钟报到\n携带身份证" in html and "开班须知" in html
    assert "101教室" in html and "缺勤" in html and "今天" in html


def test_the_ics_holds_every_session_in_utc_and_is_only_for_the_trainee(make_cohort, make_trainee, make_application,
                                                                         make_session, client, login):
    application, trainee = _admitted(make_cohort, make_trainee, make_application)
    starts = datetime(2030, 3, 5, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    session = make_session(application.cohort, starts_at=starts, minutes=180)
    response = login(trainee).get(f"/my/timetable/{application.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    unfolded = body.replace("\r\n ", "")
    assert f"UID:session-{session.id}@" in unfolded
    assert "DTSTART:20300305T010000Z" in unfolded and "DTEND:20300305T040000Z" in unfolded
    assert "LOCATION:101教室" in unfolded and application.cohort.title in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))

    other, stranger = _admitted(make_cohort, make_trainee, make_application)
    client.post("/logout")
    assert login(stranger).get(f"/my/timetable/{application.id}.ics").status_code == 404


def test_no_attendance_verdict_before_the_first_session(make_cohort, make_trainee, make_application, make_session,
                                                         client, login):
    application, trainee = _admitted(make_cohort, make_trainee, make_application)
    first = make_session(application.cohort, starts_at=datetime.now(UTC) + timedelta(days=2))
    login(trainee)
    page = client.get(f"/my/applications/{application.id}").get_data(as_text=True)
    home = client.get("/home/trainee").get_data(as_text=True)
    assert "尚未达到出勤要求" not in page and "第一次课开始后统计出勤" in page
    assert "尚未达到考试出勤要求" not in home
    first.starts_at = datetime.now(UTC) - timedelta(hours=5)  # the class has begun, unattended
    first.ends_at = first.starts_at + timedelta(hours=4)
    db.session.commit()
    assert "尚未达到出勤要求" in client.get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert "尚未达到考试出勤要求" in client.get("/home/trainee").get_data(as_text=True)
