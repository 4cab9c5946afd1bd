"""The demo: the graduate attended a past forum, a salon is open, the sample course is half done,
a claim waits for the institution; the graduate's hub and the institution's queue show them."""
from sqlalchemy import select

from lms.accounts.models import User
from lms.ce import ledger, learning
from lms.ce.course_models import Course
from lms.ce.demo import COURSE, FORUM, SALON, CLAIM
from lms.demo import seed_demo
from lms.enrollment.cohorts import local_today
from lms.extensions import db


def test_the_demo_tells_a_story(client):
    seed_demo()
    db.session.commit()
    graduate = db.session.scalar(select(User).where(User.username == "graduate"))
    standing = ledger.standing(graduate.id, local_today().year)
    assert [(c.title, c.hours) for c in standing.credits] == [(FORUM, 3.0)]
    assert standing.required_hours > 0 and not standing.complete
    course = db.session.scalar(select(Course).where(Course.title == COURSE))
    assert learning.course_progress(graduate.id, course)["completed"] == 1 and len(course.lessons) == 2

    client.post("/login", data={"username": "graduate", "password": "Demo@2026"})
    hub = client.get("/ce").get_data(as_text=True)
    assert FORUM in hub and CLAIM in hub
    activities = client.get("/ce/activities").get_data(as_text=True)
    assert SALON in activities
    video = client.get(f"/ce/lessons/{course.lessons[0].id}/media", headers={"Range": "bytes=0-3"})
    assert video.status_code == 206 and video.data == b"\x1a\x45\xdf\xa3"
    video.close()
    client.post("/logout")
    client.post("/login", data={"username": "institution", "password": "Demo@2026"})
    assert CLAIM in client.get("/ce/claims").get_data(as_text=True)
