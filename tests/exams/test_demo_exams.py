"""The demo exams: trainee can sit the formal exam and the practice quiz; graduate passed."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.demo import DEMO_PASSWORD
from lms.exams.models import Attempt, Exam
from lms.extensions import db


def test_demo_exams(runner, client):
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    token = client.post("/api/v1/auth/token", json={"username": "trainee", "password": DEMO_PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    exams = {e["title"]: e for e in client.get("/api/v1/me/exams", headers=headers).get_json()}
    formal, quiz = exams["结业考试（正式）"], exams["练习测验（5题，1分钟）"]
    assert formal["duration_minutes"] == 90 and formal["status"] == "available"
    assert quiz["duration_minutes"] == 1 and quiz["status"] == "available"
    started = client.post(f"/api/v1/exams/{formal['id']}/attempts", headers=headers).get_json()
    assert len(started["questions"]) == 47 and sum(q["points"] for q in started["questions"]) == 100
    quiz_attempt = client.post(f"/api/v1/exams/{quiz['id']}/attempts", headers=headers).get_json()
    assert len(quiz_attempt["questions"]) == 5
    deadline = datetime.fromisoformat(quiz_attempt["deadline"]) - datetime.fromisoformat(quiz_attempt["started_at"])
    assert deadline == timedelta(minutes=1)

    graduate = db.session.scalar(select(User).where(User.username == "graduate"))
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == graduate.id))
    assert attempt.status == "graded" and attempt.passed and attempt.score == 90 and attempt.max_score == 100
    assert db.session.get(Exam, attempt.exam_id).cohort.code == "SH-DIR-DONE"
