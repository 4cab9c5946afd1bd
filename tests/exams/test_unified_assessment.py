"""统一考核要求 (seed 000): the programme's pass mark is the floor of every formal exam that
counts for its certificate; an institution cannot set a lower one, and the certificate
requirement reads the programme's mark."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from lms.core.errors import ValidationFailed
from lms.exams import services
from lms.exams.models import Exam
from lms.extensions import db
from lms.programs.models import Program
from tests.exams.conftest import OBJECTIVE_BLUEPRINT, right, wrong


def _programme_mark(s, mark: int) -> None:
    db.session.execute(update(Program).where(Program.id == s.cohort.program_id).values(exam_pass_mark=mark))
    db.session.commit()


def _sit(client, headers, exam_id, right_ones: int) -> dict:
    """Answer the first `right_ones` questions right and the rest wrong (OBJECTIVE_BLUEPRINT: 5 × 1 point)."""
    attempt = client.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers).get_json()
    for seq, question in enumerate(attempt["questions"], 1):
        client.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}", headers=headers,
                   json={"response": right(question) if seq <= right_ones else wrong(question), "seq": seq})
    return client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()


def test_a_formal_exam_cannot_go_below_the_programme_mark(setup, exam_settings):
    s = setup()
    _programme_mark(s, 70)
    with pytest.raises(ValidationFailed) as error:
        services.save_exam(s.staff, s.cohort, exam_settings(pass_mark=65), s.exam)
    assert "pass_mark" in error.value.fields and "70" in str(error.value.fields["pass_mark"])
    services.save_exam(s.staff, s.cohort, exam_settings(pass_mark=70), s.exam)  # the floor itself is fine
    services.save_exam(s.staff, s.cohort, exam_settings(pass_mark=50, purpose="practice"), s.exam)  # never counts


def test_the_settings_form_names_the_pass_mark(setup, client, login):
    s = setup()
    _programme_mark(s, 70)
    login(s.staff)
    form = client.get(f"/staff/exams/new?cohort={s.cohort.code}").get_data(as_text=True)
    assert 'name="pass_mark" step="any" type="number" value="70' in form  # proposed: the programme's mark
    page = client.post(f"/staff/exams/new?cohort={s.cohort.code}", data={
        "title": "补考", "purpose": "formal", "opens_at": "2030-01-01T09:00", "closes_at": "2030-01-01T12:00",
        "duration_minutes": 60, "attempts_allowed": 1, "pass_mark": 60, "release_policy": "immediate",
        "review_policy": "never"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "不能低于项目统一的考试合格分 70" in html
    assert db.session.query(Exam).filter_by(title="补考").count() == 0


def test_the_api_names_the_pass_mark(setup, client, api_token):
    s = setup()
    _programme_mark(s, 70)
    headers = api_token(s.staff)
    settings = {"title": "补考", "opens_at": "2030-01-01T09:00:00+08:00", "closes_at": "2030-01-01T12:00:00+08:00",
                "duration_minutes": 60, "pass_mark": 60}
    refused = client.post(f"/api/v1/cohorts/{s.cohort.code}/exams", json=settings, headers=headers)
    assert refused.status_code == 422 and "pass_mark" in refused.get_json()["error"]["fields"]
    created = client.post(f"/api/v1/cohorts/{s.cohort.code}/exams", json={**settings, "pass_mark": 75},
                          headers=headers)
    assert created.status_code == 201 and created.get_json()["pass_mark"] == 75
    lowered = client.put(f"/api/v1/exams/{created.get_json()['id']}", json={"pass_mark": 69}, headers=headers)
    assert lowered.status_code == 422 and "pass_mark" in lowered.get_json()["error"]["fields"]
    default = client.post(f"/api/v1/cohorts/{s.cohort.code}/exams", json={k: v for k, v in settings.items()
                                                                          if k != "pass_mark"}, headers=headers)
    assert default.status_code == 201 and default.get_json()["pass_mark"] == 70  # the programme's mark


def test_the_settings_api_is_for_the_cohorts_institution(setup, client, api_token, make_user, make_institution):
    s = setup()
    other = make_user("institution", scope=make_institution())
    assert client.put(f"/api/v1/exams/{s.exam.id}", json={"pass_mark": 80},
                      headers=api_token(other)).status_code == 404
    assert client.put(f"/api/v1/exams/{s.exam.id}", json={"pass_mark": 80},
                      headers=api_token(s.trainee)).status_code == 403
    bad = client.put(f"/api/v1/exams/{s.exam.id}", json={"opens_at": "tomorrow", "shuffle_options": "yes"},
                     headers=api_token(s.staff))
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"opens_at", "shuffle_options"}
    for moment in ("0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-12:00"):  # beyond what UTC can hold
        far = client.put(f"/api/v1/exams/{s.exam.id}", json={"opens_at": moment}, headers=api_token(s.staff))
        assert far.status_code == 422 and "opens_at" in far.get_json()["error"]["fields"]


def test_the_certificate_requirement_reads_the_programme_mark(setup, client, api_token):
    """The exam was set at 60 %; the programme's mark is now 80: 4 of 5 passes, 3 of 5 does not."""
    from lms.certificates.requirements import exams_passed

    s = setup(blueprint=OBJECTIVE_BLUEPRINT, attempts_allowed=1)
    _programme_mark(s, 80)
    result = _sit(client, api_token(s.trainee), s.exam.id, right_ones=3)
    assert result["score"] == 3 and result["passed"] is False  # 60 % < 80 %: graded by the programme's mark
    db.session.expire_all()
    assert services.passed_users(s.cohort.id, [s.trainee.id]) == set()
    assert exams_passed([s.application]) == set() and not services.passed_exam(s.application)


def test_an_attempt_graded_before_the_programme_raised_its_mark_no_longer_counts(setup, client, api_token):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    result = _sit(client, api_token(s.trainee), s.exam.id, right_ones=3)
    assert result["passed"] is True  # 60 % of 60 %
    db.session.expire_all()
    assert services.passed_users(s.cohort.id, [s.trainee.id]) == {s.trainee.id}
    _programme_mark(s, 80)
    assert services.passed_users(s.cohort.id, [s.trainee.id]) == set()
    _programme_mark(s, 60)
    db.session.execute(update(Exam).where(Exam.id == s.exam.id).values(pass_mark=90))
    db.session.commit()
    assert services.passed_users(s.cohort.id, [s.trainee.id]) == set()  # max(exam, programme)


def test_the_staff_page_shows_the_mark_attempts_are_judged_by(setup, client, login):
    s = setup()
    db.session.execute(update(Exam).where(Exam.id == s.exam.id).values(pass_mark=50))  # set before the floor
    db.session.commit()
    login(s.staff)
    html = client.get(f"/staff/exams/{s.exam.id}").get_data(as_text=True)
    assert "60%" in html and "本考试设为 50%" in html


def test_practice_quizzes_keep_their_own_mark(setup, client, api_token):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT, purpose="practice", pass_mark=40)
    result = _sit(client, api_token(s.trainee), s.exam.id, right_ones=2)
    assert result["passed"] is True  # 40 %, below the programme's 60 %: a practice quiz never counts anyway
