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


def test_trainee_home_offers_the_open_exams(runner, app):
    runner.invoke(args=["lms", "seed-demo"])
    client = app.test_client()
    client.post("/login", data={"username": "trainee", "password": "Demo@2026"})
    html = client.get("/home/trainee").get_data(as_text=True)
    assert "我的考试" in html and "开始考试" in html


def test_grader_home_counts_essays_waiting_for_a_score(runner, app):
    from sqlalchemy import select

    from lms.exams.models import Exam

    runner.invoke(args=["lms", "seed-demo"])
    grader = app.test_client()
    grader.post("/login", data={"username": "grader", "password": "Demo@2026"})
    assert "暂无待批阅的主观题" in grader.get("/home/grader").get_data(as_text=True)

    trainee = app.test_client()
    token = trainee.post("/api/v1/auth/token", json={"username": "trainee", "password": "Demo@2026"}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    exam = db.session.scalar(select(Exam).where(Exam.title == "结业考试（正式）"))  # the running cohort's, not the done one's
    attempt = trainee.post(f"/api/v1/exams/{exam.id}/attempts", headers=headers).get_json()
    essays = [q for q in attempt["questions"] if q["type"] == "essay"]
    assert essays, "the formal exam's paper has an essay"
    for seq, question in enumerate(essays, start=1):
        trainee.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}", headers=headers,
                    json={"response": "年度工作计划：建立标准体系、对标达标……", "seq": seq})
    trainee.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)

    html = grader.get("/home/grader").get_data(as_text=True)
    assert f"{len(essays)} 道主观题待批阅" in html


def test_enterprise_home_lists_its_employees_certificates(runner, app):
    runner.invoke(args=["lms", "seed-demo"])
    client = app.test_client()
    client.post("/login", data={"username": "enterprise", "password": "Demo@2026"})
    html = client.get("/home/enterprise").get_data(as_text=True)
    assert "员工合格证" in html and "李静怡" in html and "有效" in html
    assert "/verify/SH-" in html


def test_another_enterprise_does_not_see_those_certificates(runner, app, make_user, make_enterprise, login, client):
    runner.invoke(args=["lms", "seed-demo"])
    login(make_user(role="enterprise", scope=make_enterprise()))
    html = client.get("/home/enterprise").get_data(as_text=True)
    assert "员工合格证" not in html and "李静怡" not in html


def test_staff_homes_lead_with_the_work_to_do(runner, app):
    import re

    from sqlalchemy import select

    from lms.enrollment.models import Cohort

    runner.invoke(args=["lms", "seed-demo"])
    open_cohort = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-OPEN"))
    applicant = app.test_client()
    applicant.post("/login", data={"username": "applicant", "password": "Demo@2026"})
    applicant.post(f"/cohorts/{open_cohort.code}/apply")
    client = app.test_client()
    html = client.post("/login", data={"username": "institution", "password": "Demo@2026"},
                       follow_redirects=True).get_data(as_text=True)
    todos = html[html.index('id="todos-title"'):]
    assert html.index('id="todos-title"') < html.index('data-domain=')  # before the panels
    count = re.search(r'data-todo="applications">\s*<a href="/staff/review"><span class="todo-count">(\d+)</span>', todos)
    assert count and count.group(1) == "1"
    assert re.search(r'data-todo="essays">\s*<a href="/grading">', todos)
    assert 'data-todo="certificates"' in todos  # (the demo graduate already has the certificate)
    grader = app.test_client()
    html = grader.post("/login", data={"username": "grader", "password": "Demo@2026"},
                       follow_redirects=True).get_data(as_text=True)
    assert 'data-todo="essays"' in html and 'data-todo="applications"' not in html
