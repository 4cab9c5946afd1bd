"""Online courses: time counted on the server from heartbeats (hidden, paused, seeking and
silent players count nothing; ahead of real time or not started is refused), one lesson at a
time per account, lessons in order, the course's hours credited once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.ce import learning
from lms.ce.course_models import LessonProgress
from lms.ce.enums import CreditSource
from lms.core.errors import Conflict, ValidationFailed
from lms.core.time import utcnow
from lms.extensions import db
from tests.ce.conftest import credits_of


def _beat(person, lesson, play, at, position=None, playing=True, visible=True, seeked=False):
    result = learning.heartbeat(person.id, lesson.id, {"play": play, "position": position, "playing": playing,
                                                       "visible": visible, "seeked": seeked}, now=at)
    db.session.commit()
    return result


def _seconds(person, lesson):
    db.session.expire_all()
    return db.session.scalar(select(LessonProgress.seconds).where(LessonProgress.user_id == person.id,
                                                                  LessonProgress.lesson_id == lesson.id))


def test_time_counts_only_between_two_playing_visible_heartbeats(organizer, certified, make_course):
    course = make_course(organizer, lessons=(("video", 600),))
    (lesson,) = course.lessons
    person = certified()
    t0 = utcnow()
    play = learning.start(person, lesson, now=t0)["play"]
    db.session.commit()
    assert _beat(person, lesson, play, t0 + timedelta(seconds=5), 5)["counted"] == 0  # the first interval never counts
    assert _beat(person, lesson, play, t0 + timedelta(seconds=20), 20)["counted"] == 15
    assert _beat(person, lesson, play, t0 + timedelta(seconds=35), 35, visible=False)["counted"] == 0  # hidden
    assert _beat(person, lesson, play, t0 + timedelta(seconds=50), 35, visible=True)["counted"] == 0  # was hidden
    assert _beat(person, lesson, play, t0 + timedelta(seconds=65), 50)["counted"] == 15
    assert _beat(person, lesson, play, t0 + timedelta(seconds=80), 50, playing=False)["counted"] == 0  # paused
    assert _beat(person, lesson, play, t0 + timedelta(seconds=95), 65)["counted"] == 0
    assert _beat(person, lesson, play, t0 + timedelta(seconds=110), 200, seeked=True)["counted"] == 0  # skipped ahead
    assert _beat(person, lesson, play, t0 + timedelta(seconds=125), 215)["counted"] == 15
    assert _beat(person, lesson, play, t0 + timedelta(seconds=225), 315)["counted"] == 0  # 100 s of silence
    repeated = _beat(person, lesson, play, t0 + timedelta(seconds=225), 315)  # the same beat again
    assert repeated["counted"] == 0 and repeated["seconds"] == 45
    assert _seconds(person, lesson) == 45


def test_a_position_ahead_of_real_time_is_refused_and_counts_nothing(organizer, certified, make_course):
    course = make_course(organizer, lessons=(("video", 600),))
    (lesson,) = course.lessons
    person = certified()
    t0 = utcnow()
    play = learning.start(person, lesson, now=t0)["play"]
    _beat(person, lesson, play, t0 + timedelta(seconds=5), 5)
    with pytest.raises(ValidationFailed) as refused:
        _beat(person, lesson, play, t0 + timedelta(seconds=20), 65)  # 60 s of video in 15 s
    assert "position" in refused.value.fields
    db.session.rollback()
    assert _seconds(person, lesson) == 0


def test_heartbeats_of_a_lesson_not_started_are_refused(client, api_token, organizer, certified, make_course):
    course = make_course(organizer)
    (lesson,) = course.lessons
    person = certified()
    response = client.post(f"/api/v1/ce/lessons/{lesson.id}/heartbeat",
                           json={"play": "x", "position": 0, "playing": True, "visible": True}, headers=api_token(person))
    assert response.status_code == 422 and "lesson_id" in response.get_json()["error"]["fields"]
    bad = client.post(f"/api/v1/ce/lessons/{lesson.id}/heartbeat", json={"play": "x", "playing": "yes"},
                      headers=api_token(person))
    assert bad.status_code == 422 and "playing" in bad.get_json()["error"]["fields"]


def test_one_lesson_plays_at_a_time_per_account(client, api_token, organizer, certified, make_course):
    first_course, second_course = make_course(organizer), make_course(organizer)
    person = certified()
    headers = api_token(person)
    a, b = first_course.lessons[0], second_course.lessons[0]
    play_a = client.post(f"/api/v1/ce/lessons/{a.id}/start", headers=headers).get_json()["play"]
    client.post(f"/api/v1/ce/lessons/{b.id}/start", headers=headers)
    beat = client.post(f"/api/v1/ce/lessons/{a.id}/heartbeat", headers=headers,
                       json={"play": play_a, "position": 1, "playing": True, "visible": True})
    assert beat.status_code == 409 and "play" in beat.get_json()["error"]["fields"]


def test_lessons_are_taken_in_order(organizer, certified, make_course):
    course = make_course(organizer, lessons=(("video", 30), ("pdf", 30)))
    person = certified()
    with pytest.raises(Conflict):
        learning.start(person, course.lessons[1])


def _finish(person, lesson, t0):
    play = learning.start(person, lesson, now=t0)["play"]
    db.session.commit()
    at, position, result = t0, 0, None
    while result is None or not result["completed"]:
        at, position = at + timedelta(seconds=10), position + 10
        result = _beat(person, lesson, play, at, position if lesson.kind == "video" else None)
    return result, at


def test_completing_every_lesson_credits_the_course_once(organizer, certified, make_course):
    course = make_course(organizer, lessons=(("video", 30), ("pdf", 20)), hours=2.5)
    person = certified()
    first, at = _finish(person, course.lessons[0], utcnow() - timedelta(minutes=30))
    assert first["completed"] and not first["course_completed"] and credits_of(person.id) == []
    second, at = _finish(person, course.lessons[1], at)
    assert second["course_completed"] and second["credited_hours"] == 2.5
    play = learning.start(person, course.lessons[1], now=at)["play"]
    _beat(person, course.lessons[1], play, at + timedelta(seconds=5))
    again = _beat(person, course.lessons[1], play, at + timedelta(seconds=15))
    assert again["credited_hours"] is None
    assert [(c.source, c.hours) for c in credits_of(person.id)] == [(CreditSource.COURSE, 2.5)]


def test_the_player_api_shows_the_servers_count(client, api_token, organizer, certified, make_course):
    course = make_course(organizer, lessons=(("video", 3),))
    person = certified()
    headers = api_token(person)
    lesson = course.lessons[0]
    started = client.post(f"/api/v1/ce/lessons/{lesson.id}/start", headers=headers).get_json()
    assert started["interval"] == 1 and started["seconds"] == 0
    listed = client.get("/api/v1/ce/courses", headers=headers).get_json()
    assert listed[0]["progress"] == {"lessons": 1, "completed": 0, "quiz_passed": None, "credited": False}


def test_a_heartbeat_needs_a_valid_token_of_an_active_account(client, api_token, organizer, certified, make_course):
    course = make_course(organizer)
    person = certified()
    headers = api_token(person)
    play = client.post(f"/api/v1/ce/lessons/{course.lessons[0].id}/start", headers=headers).get_json()["play"]
    url = f"/api/v1/ce/lessons/{course.lessons[0].id}/heartbeat"
    beat = {"play": play, "position": 0, "playing": True, "visible": True}
    assert client.post(url, json=beat, headers=headers).status_code == 200
    assert client.post(url, json=beat, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.post(url, json=beat, headers={"Authorization": "Basic x"}).status_code == 401
    assert client.post(url, json=beat).status_code == 401
    person.active = False
    db.session.commit()
    assert client.post(url, json=beat, headers=headers).status_code == 401
