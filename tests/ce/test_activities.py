"""Activities: publishing with its checks, registration with capacity and waitlist, attendance by the
organizer's list and by QR check-in, each crediting a person exactly once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.ce import activities, ledger
from lms.ce.enums import RegistrationStatus
from lms.ce.models import CeActivity, CeCredit
from lms.core import rotating
from lms.core.errors import Conflict, ValidationFailed
from lms.core.time import utcnow
from lms.extensions import db
from lms.notifications.models import Notification
from tests.ce.conftest import credits_of


def _data(**overrides):
    starts = utcnow() + timedelta(days=2)
    data = {"title": "企业标准化沙龙", "kind": "salon", "category": "public", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(), "place": "上海", "hours": 2, "capacity": 30}
    data.update(overrides)
    return data


def test_publishing_checks_each_field(organizer):
    starts = utcnow() + timedelta(days=2)
    cases = [
        ({"hours": 3}, "hours"),  # above the activity's two hours
        ({"hours": -1}, "hours"),
        ({"hours": "x"}, "hours"),
        ({"ends_at": (starts - timedelta(hours=1)).isoformat(), "starts_at": starts.isoformat()}, "ends_at"),
        ({"starts_at": "2026-03-05T14:00:00"}, "starts_at"),  # no offset
        ({"kind": "party"}, "kind"),
        ({"category": "fun"}, "category"),
        ({"capacity": 0}, "capacity"),
        ({"title": " "}, "title"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            activities.save_activity(organizer, _data(**overrides))
        assert field in refused.value.fields, (overrides, refused.value.fields)
        db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(CeActivity)) == 0


def test_the_api_publishes_and_names_the_field(client, api_token, organizer):
    headers = api_token(organizer)
    refused = client.post("/api/v1/ce/activities", json=_data(hours=5), headers=headers)
    assert refused.status_code == 422 and "hours" in refused.get_json()["error"]["fields"]
    created = client.post("/api/v1/ce/activities", json=_data(), headers=headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["kind"] == "salon" and body["category"] == "public" and body["seats_left"] == 30
    listed = client.get("/api/v1/ce/activities?open=1", headers=headers).get_json()
    assert [a["id"] for a in listed] == [body["id"]]


def test_a_trainee_cannot_publish(client, api_token, certified):
    response = client.post("/api/v1/ce/activities", json=_data(), headers=api_token(certified()))
    assert response.status_code == 403


def test_registration_fills_seats_then_the_waitlist_and_a_cancellation_promotes(organizer, certified,
                                                                              make_activity):
    activity = make_activity(organizer, capacity=1)
    first, second = certified(), certified()
    one, new = activities.register(first, activity)
    two, _ = activities.register(second, activity)
    db.session.commit()
    assert new and one.status == RegistrationStatus.REGISTERED and two.status == RegistrationStatus.WAITLISTED
    again, new_again = activities.register(first, activity)
    assert not new_again and again.id == one.id
    activities.cancel(first, one)
    db.session.commit()
    db.session.refresh(two)
    assert two.status == RegistrationStatus.REGISTERED
    assert db.session.get(CeActivity, activity.id).seats_taken == 1
    assert db.session.scalar(select(Notification).where(Notification.user_id == second.id)).message_id == "ce.promoted"


def test_registration_closes_when_the_activity_ends(organizer, certified, make_activity):
    activity = make_activity(organizer, starts_in=timedelta(hours=-5), minutes=60, hours=1)
    with pytest.raises(Conflict):
        activities.register(certified(), activity)


def test_the_organizers_list_credits_those_present_once(client, api_token, organizer, certified, make_activity):
    activity = make_activity(organizer, starts_in=timedelta(hours=-3), minutes=120, hours=2)
    here, away = certified(), certified()
    # registration closes at the end; these people registered while it was open
    for person in (here, away):
        db.session.add(activities.CeRegistration(activity_id=activity.id, user_id=person.id,
                                                 status=RegistrationStatus.REGISTERED))
    db.session.commit()
    url = f"/api/v1/ce/activities/{activity.id}/attendance"
    sheet = {"records": [{"user_id": here.id, "present": True}, {"user_id": away.id, "present": False}]}
    first = client.put(url, json=sheet, headers=api_token(organizer))
    assert first.status_code == 200 and first.get_json() == {"present": 1, "absent": 1, "credited": 1}
    again = client.put(url, json=sheet, headers=api_token(organizer))
    assert again.get_json()["credited"] == 0
    assert [(c.hours, c.source.value) for c in credits_of(here.id)] == [(2.0, "activity")]
    assert credits_of(away.id) == []
    assert ledger.standing(here.id, utcnow().year).earned_hours == 2.0


def test_the_list_refuses_people_who_did_not_register_and_credits_nobody(client, api_token, organizer,
                                                                          certified, make_activity):
    activity = make_activity(organizer, starts_in=timedelta(hours=-3), minutes=120, hours=2)
    stranger = certified()
    response = client.put(f"/api/v1/ce/activities/{activity.id}/attendance",
                          json={"records": [{"user_id": stranger.id, "present": True}]}, headers=api_token(organizer))
    assert response.status_code == 422 and f"records[{stranger.id}]" in response.get_json()["error"]["fields"]
    bad = client.put(f"/api/v1/ce/activities/{activity.id}/attendance",
                     json={"records": [{"user_id": "x"}]}, headers=api_token(organizer))
    assert bad.status_code == 422 and "records[0]" in bad.get_json()["error"]["fields"]
    assert db.session.scalar(select(db.func.count()).select_from(CeCredit)) == 0


def test_attendance_only_from_the_start_until_thirty_days_after(organizer, certified, make_activity):
    upcoming = make_activity(organizer)
    old = make_activity(organizer, starts_in=timedelta(days=-40), minutes=60, hours=1)
    person = certified()
    for activity in (upcoming, old):
        with pytest.raises(Conflict):
            activities.record_attendance(organizer, activity, {person.id: True})


def test_only_the_organizer_records_attendance(client, api_token, organizer, make_user, certified, make_activity,
                                               make_institution):
    activity = make_activity(organizer, starts_in=timedelta(hours=-1), minutes=120, hours=2)
    other = make_user("institution", scope=make_institution())
    response = client.put(f"/api/v1/ce/activities/{activity.id}/attendance",
                          json={"records": []}, headers=api_token(other))
    assert response.status_code == 403


def _started_with(organizer, make_activity, person):
    activity = make_activity(organizer, starts_in=timedelta(minutes=5), minutes=120, hours=2)
    activities.register(person, activity)
    db.session.commit()
    return activity


def test_qr_check_in_credits_once_and_a_double_scan_changes_nothing(organizer, certified, make_activity):
    person = certified()
    activity = _started_with(organizer, make_activity, person)
    token = activities.qr_code(activity)["token"]
    assert activities.check_in(person, activity, token) is True
    db.session.commit()
    assert activities.check_in(person, activity, token) is False
    db.session.commit()
    assert len(credits_of(person.id)) == 1


def test_stale_foreign_and_out_of_window_codes_are_refused(organizer, certified, make_activity):
    person = certified()
    activity = _started_with(organizer, make_activity, person)
    stale = rotating.token_for(activities.QR_PURPOSE, activity.id, rotating.step_of(utcnow()) - 5)
    foreign = rotating.token_for("checkin", activity.id, rotating.step_of(utcnow()))
    for token, words in ((stale, "过期"), (foreign, "无效"), ("garbage", "无效"), ("签到码", "无效")):
        with pytest.raises(Conflict) as refused:
            activities.check_in(person, activity, token)
        assert words in str(refused.value.message)
    later = make_activity(organizer, starts_in=timedelta(days=2))
    activities.register(person, later)
    with pytest.raises(Conflict):
        activities.check_in(person, later, activities.qr_code(later)["token"])
    assert credits_of(person.id) == []


def test_a_waitlisted_person_cannot_check_in(organizer, certified, make_activity):
    activity = make_activity(organizer, starts_in=timedelta(minutes=5), capacity=1)
    activities.register(certified(), activity)
    waiting = certified()
    activities.register(waiting, activity)
    db.session.commit()
    with pytest.raises(Conflict):
        activities.check_in(waiting, activity, activities.qr_code(activity)["token"])


def test_the_check_in_page_records_once(client, login, organizer, certified, make_activity):
    person = certified()
    activity = _started_with(organizer, make_activity, person)
    login(person)
    url = f"/ce/checkin/{activity.id}/{activities.qr_code(activity)['token']}"
    first = client.get(url)
    assert first.status_code == 200 and "已记入 2 学时" in first.get_data(as_text=True)
    second = client.get(url)
    assert "学时此前已记入" in second.get_data(as_text=True)
    assert len(credits_of(person.id)) == 1


def test_a_scan_before_signing_in_finishes_after_the_login(client, organizer, certified, make_activity):
    from tests.conftest import TEST_PASSWORD

    person = certified()
    activity = _started_with(organizer, make_activity, person)
    scanned = client.get(f"/ce/checkin/{activity.id}/{activities.qr_code(activity)['token']}")
    assert scanned.status_code == 302 and "/login" in scanned.headers["Location"]
    signed_in = client.post(scanned.headers["Location"], data={"username": person.username, "password": TEST_PASSWORD})
    finished = client.get(signed_in.headers["Location"])
    assert "已记入" in finished.get_data(as_text=True)
    assert len(credits_of(person.id)) == 1
