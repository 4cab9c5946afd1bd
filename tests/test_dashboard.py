"""Role home pages show each role what is waiting for it."""
from lms.extensions import db


def test_trainee_home_shows_enrolled_cohort_hours_and_applications(runner, app):
    runner.invoke(args=["lms", "seed-demo"])
    client = app.test_client()
    client.post("/login", data={"username": "trainee", "password": "Demo@2026"})
    html = client.get("/home/trainee").get_data(as_text=True)
    assert "我的研修班" in html
    assert "学时 28 / 40" in html
    assert "尚未达到考试出勤要求" in html


def test_institution_home_lists_its_current_cohorts_with_pending_reviews(runner, app):
    from sqlalchemy import select

    from lms.enrollment.models import Application, Cohort

    runner.invoke(args=["lms", "seed-demo"])
    open_cohort = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-OPEN"))
    client = app.test_client()
    html = client.post("/login", data={"username": "institution", "password": "Demo@2026"},
                       follow_redirects=True).get_data(as_text=True)
    assert open_cohort.title in html
    assert "份报名待审核" not in html
    applicant = app.test_client()
    applicant.post("/login", data={"username": "applicant", "password": "Demo@2026"})
    applicant.post(f"/cohorts/{open_cohort.code}/apply")
    assert db.session.scalar(select(Application).where(Application.cohort_id == open_cohort.id)) is not None
    html = client.get("/home/institution").get_data(as_text=True)
    assert "1 份报名待审核" in html


def test_a_new_trainee_is_asked_to_complete_the_profile(client, make_user, login):
    login(make_user(role="trainee"))
    html = client.get("/home/trainee").get_data(as_text=True)
    assert "完善个人资料" in html and "您还没有报名任何班次" in html
