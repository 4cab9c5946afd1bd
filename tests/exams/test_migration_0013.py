"""Migration 0013 on a database holding exams: attempts in progress keep the bank's keys, and a
formal exam below its programme's mark is raised, its graded attempts judged again."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from lms import create_app
from lms.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def upgrade(url: str, revision: str, instance: Path, command: str = "upgrade") -> None:
    """`flask db upgrade` in its own process (Alembic's logging setup stays out of the test run)."""
    env = {**os.environ, "DATABASE_URL": url, "LMS_INSTANCE_PATH": str(instance), "SECRET_KEY": "x", "REDIS_URL": ""}
    subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "db", command, revision],
                   cwd=ROOT, env=env, check=True, capture_output=True)


def test_upgrade_marks_open_attempts_and_raises_low_pass_marks(tmp_path, setup):
    # The rows are made with today's models on today's schema, then the schema goes back to the
    # revision before 0013 (later migrations' columns would not fit an older schema's INSERTs).
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "head", tmp_path)
    old = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url, "REDIS_URL": ""})
    with old.app_context():
        formal = setup(pass_mark=60)  # the programme's mark is 60
        practice = setup(pass_mark=60, purpose="practice")
        db.session.commit()
        for made in (formal, practice):  # plain ids from here on: the session goes with the schema
            for name in ("exam", "trainee", "staff", "grader"):
                setattr(made, name, type("Row", (), {"id": getattr(made, name).id})())
        db.session.remove()
        db.engine.dispose()
        upgrade(url, "0011", tmp_path, command="downgrade")  # the revision before 0013
        db.session.execute(text("UPDATE exams SET pass_mark = 50"))
        for exam, user, number, status, score, passed in (
                (formal.exam, formal.trainee, 1, "graded", 55, True),  # passed at 50 %, not at 60 %
                (formal.exam, formal.staff, 1, "graded", 65, True),
                (formal.exam, formal.grader, 1, "in_progress", None, None),
                (practice.exam, practice.trainee, 1, "graded", 55, True)):
            db.session.execute(text(
                "INSERT INTO attempts (exam_id, user_id, number, status, seed, started_at, deadline, score, max_score, "
                "passed, tab_switches) VALUES (:exam, :user, :number, :status, 1, '2026-01-01 00:00:00', "
                "'2026-01-01 01:00:00', :score, 100, :passed, 0)"),
                dict(exam=exam.id, user=user.id, number=number, status=status, score=score, passed=passed))
        db.session.commit()
        formal_exam, practice_exam = formal.exam.id, practice.exam.id
        failed, passed, open_, practised = formal.trainee.id, formal.staff.id, formal.grader.id, practice.trainee.id
        db.session.remove()

        upgrade(url, "0013", tmp_path)

        marks = dict(db.session.execute(text("SELECT id, pass_mark FROM exams")).all())
        assert marks == {formal_exam: 60, practice_exam: 50}
        rows = db.session.execute(text("SELECT exam_id, user_id, passed, bank_letters FROM attempts")).all()
        found = {(exam_id, user_id): (bool(passed) if passed is not None else None, bool(letters))
                 for exam_id, user_id, passed, letters in rows}
        assert found == {(formal_exam, failed): (False, False), (formal_exam, passed): (True, False),
                         (formal_exam, open_): (None, True), (practice_exam, practised): (True, False)}
        db.session.remove()
        db.engine.dispose()
