"""Fixtures for exam tests: a bank with known questions, a cohort with an enrolled trainee,
and an exam with a blueprint over that bank."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from lms.core.time import utcnow
from lms.extensions import db

_n = itertools.count(1)


def bank_yaml(code: str = "exam-bank") -> str:
    """6 single (cat A, difficulty 2), 2 multiple (A, 3), 3 truefalse (B, 1), 2 fill (B, 2), 1 essay (B, 4)."""
    lines = [f"code: {code}", "title: 考试测试题库", "version: 1", "categories:",
             "  - {code: A, title: 法律法规}", "  - {code: B, title: 标准体系}", "questions:"]
    for i in range(1, 7):
        lines += [f"  - id: S{i}", "    category: A", "    type: single", "    difficulty: 2", "    points: 1",
                  f"    stem: 单选题{i}", "    options: {A: 甲, B: 乙, C: 丙, D: 丁}", "    answer: B",
                  f"    explanation: SECRET-EXPLANATION-S{i}"]
    for i in range(1, 3):
        lines += [f"  - id: M{i}", "    category: A", "    type: multiple", "    difficulty: 3", "    points: 2",
                  f"    stem: 多选题{i}", "    options: {A: 甲, B: 乙, C: 丙, D: 丁}", "    answer: [A, C]"]
    for i in range(1, 4):
        lines += [f"  - id: T{i}", "    category: B", "    type: truefalse", "    difficulty: 1", "    points: 1",
                  f"    stem: 判断题{i}", "    answer: true"]
    for i in range(1, 3):
        lines += [f"  - id: F{i}", "    category: B", "    type: fill", "    difficulty: 2", "    points: 2",
                  f"    stem: 填空题{i}：____ 与 ____", "    answer: [[社会团体, 社团], 标准化]"]
    lines += ["  - id: E1", "    category: B", "    type: essay", "    difficulty: 4", "    points: 10",
              "    stem: 论述题", "    answer: SECRET-MODEL-ANSWER",
              "    rubric: [{criterion: SECRET-RUBRIC, points: 10}]"]
    return "\n".join(lines) + "\n"


# every type: 2 single, 1 multiple, 2 truefalse, 1 fill, 1 essay = 7 questions, 18 points
BLUEPRINT = ("exam-bank A single 2 2 1\nexam-bank A multiple 3 1 2\nexam-bank B truefalse 1 2 1\n"
             "exam-bank B fill 2 1 2\nexam-bank B essay 4 1 10\n")
OBJECTIVE_BLUEPRINT = "exam-bank A single 2 3 1\nexam-bank B truefalse 1 2 1\n"


@dataclass
class Setup:
    exam: object
    cohort: object
    trainee: object
    staff: object
    grader: object
    institution: object
    application: object


@pytest.fixture
def load_exam_bank():
    from lms.banks.imports import import_files

    def load(code: str = "exam-bank"):
        report = import_files(None, [(f"{code}.yaml", bank_yaml(code).encode())])
        assert report.ok, [f.errors for f in report.files]
        db.session.commit()

    return load


@pytest.fixture
def exam_settings():
    def make(**overrides):
        now = utcnow()
        data = dict(title="结业考试", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=3),
                    duration_minutes=60, attempts_allowed=2, pass_mark=60, shuffle_questions=True,
                    shuffle_options=True, multiple_partial=False, release_policy="immediate",
                    review_policy="after_close", requires_attendance=False, anonymous_grading=False,
                    max_tab_switches=None)
        data.update(overrides)
        return data

    return make


@pytest.fixture
def enroll():
    from lms.enrollment.models import Application

    def do(cohort, user):
        application = Application(cohort=cohort, user_id=user.id, status="approved")
        db.session.add(application)
        db.session.commit()
        return application

    return do


@pytest.fixture
def setup(make_user, make_institution, make_region, load_exam_bank, exam_settings, enroll):
    """A running cohort, its staff and grader, an enrolled trainee and an open exam (blueprint)."""
    from lms.enrollment.cohorts import local_today
    from lms.enrollment.models import Cohort
    from lms.exams import services
    from lms.programs.models import Module, Program

    def make(blueprint: str = BLUEPRINT, **overrides) -> Setup:
        load_exam_bank()
        n = next(_n)
        region = make_region()
        institution = make_institution(region=region)
        program = Program(code=f"XP{n}", title="测试项目", level="director", region=region, eligibility_rules={},
                          min_attendance_ratio=0.9, required_qualifications=[], exam_pass_mark=60,
                          certificate_validity_years=3, ce_hours_per_year=12)
        program.modules.append(Module(code="M1", title="模块", hours=8, position=1))
        today = local_today()
        cohort = Cohort(code=f"XC{n}", title="测试班", program=program, institution=institution, region=region,
                        starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=3), capacity=30,
                        seats_taken=1, applications_open_on=date(2020, 1, 1), applications_close_on=date(2020, 2, 1))
        db.session.add(cohort)
        db.session.commit()
        staff = make_user("institution", scope=institution)
        grader = make_user("grader", scope=institution)
        trainee = make_user("trainee", name="王学员")
        application = enroll(cohort, trainee)
        exam = services.save_exam(staff, cohort, exam_settings(**overrides))
        if blueprint:
            services.change_paper(staff, exam, lambda e: services.set_blueprint(
                e, services.parse_blueprint(blueprint, institution.id)))
        db.session.commit()
        return Setup(exam, cohort, trainee, staff, grader, institution, application)

    return make


# ---- answers in the letters the trainee sees ----------------------------------------------------
# In an attempt, options are lettered A, B, C… in the order shown (shuffled by default), so a test
# finds the letter by the option's text: the bank's answer of every single choice is B (乙), of
# every multiple choice A and C (甲, 丙).

def letter(question: dict, text: str) -> str:
    """The letter the trainee sees for the option with this text (question as the API gives it):
    A for the first option shown, B for the second…"""
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[o["text"] for o in question["options"]].index(text)]


def shown(item, bank_key: str) -> str:
    """The letter the trainee sees for the bank's option `bank_key` of an AttemptItem."""
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[item.option_order.index(bank_key)]


def right(question: dict):
    """The right answer to a question of the exam bank, as the trainee sends it."""
    kind = question["type"]
    if kind == "single":
        return letter(question, "乙")
    if kind == "multiple":
        return sorted([letter(question, "甲"), letter(question, "丙")])
    return {"truefalse": True, "fill": ["社团", "标准化"], "essay": "论述内容"}[kind]


def wrong(question: dict):
    kind = question["type"]
    if kind == "single":
        return letter(question, "甲")
    if kind == "multiple":
        return [letter(question, "乙")]
    return {"truefalse": False, "fill": ["x", "y"], "essay": ""}[kind]


def start_attempt(client, headers, exam_id: int) -> dict:
    """Start a new sitting through the API: the attempt's JSON."""
    response = client.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def put_answer(client, headers, attempt: dict, question: dict, response, seq: int = 1):
    """Save an answer through the API: the response as it came."""
    return client.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}", headers=headers,
                      json={"response": response, "seq": seq})


def of_type(attempt: dict, kind: str = "single") -> dict:
    """The first question of this type in the attempt's paper."""
    return next(q for q in attempt["questions"] if q["type"] == kind)


@pytest.fixture
def through_app(app):
    """The requests that reached the Flask app (its request cycle), by path: what a fast path
    (lms.exams.fast) handed on."""
    from flask import request, request_started

    seen = []

    def record(sender, **extra):
        seen.append(request.path)

    request_started.connect(record, app)
    yield seen
    request_started.disconnect(record, app)


def started_in_the_browser(app, trainee, exam):
    """Sign in with the login form and start `exam` as the exam page does (session cookie and
    X-CSRFToken header): (client, CSRF token, the attempt's JSON)."""
    import re

    from tests.conftest import TEST_PASSWORD

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "username": trainee.username, "password": TEST_PASSWORD})
    attempt = client.post(f"/api/v1/exams/{exam.id}/attempts", headers={"X-CSRFToken": token}).get_json()
    return client, token, attempt
