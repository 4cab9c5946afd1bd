"""Bad input never breaks an exam: refused with a 4xx naming the field, and every page of the
attempt still renders afterwards."""
from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.exams.models import AttemptItem
from lms.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.exams.conftest import OBJECTIVE_BLUEPRINT, of_type, right

SURROGATE = "\ud800"
HUGE = 2**64 + 1


def escaped(body) -> dict:
    """Request arguments for a JSON body as a client writes it: a lone surrogate as a \\ud800 escape."""
    return {"data": json.dumps(body), "content_type": "application/json"}


def test_a_lone_surrogate_is_refused_and_the_staff_pages_still_render(setup, client, api_token, login):
    s = setup()
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    essay, fill = of_type(attempt, "essay"), of_type(attempt, "fill")
    url = f"/api/v1/attempts/{attempt['id']}"
    refused = [
        client.put(f"{url}/answers/{essay['id']}", **escaped({"response": f"论述{SURROGATE}", "seq": 1}),
                   headers=headers),
        client.put(f"{url}/answers/{fill['id']}", **escaped({"response": ["a", SURROGATE], "seq": 1}),
                   headers=headers),
        client.post(f"{url}/events", **escaped({"kind": "paste", "detail": {"question": SURROGATE}}),
                    headers=headers),
        client.post(f"{url}/events", **escaped({"kind": "paste", "detail": {SURROGATE: "x"}}), headers=headers),
    ]
    assert [r.status_code for r in refused] == [422] * 4
    assert "response" in refused[0].get_json()["error"]["fields"]
    assert "response.1" in refused[1].get_json()["error"]["fields"]
    assert client.put(f"{url}/answers/{essay['id']}", json={"response": "我的论述", "seq": 2},
                      headers=headers).status_code == 200
    assert client.post(f"{url}/events", json={"kind": "paste", "detail": {"question": "1"}},
                       headers=headers).status_code == 200
    client.post(f"{url}/submit", headers=headers)

    login(s.staff)
    for page in (f"/staff/attempts/{attempt['id']}", f"/staff/exams/{s.exam.id}/results",
                 f"/staff/exams/{s.exam.id}/results?format=xlsx", f"/staff/exams/{s.exam.id}/analysis", "/grading"):
        assert client.get(page).status_code == 200, page
    item = db.session.scalar(select(AttemptItem).where(AttemptItem.attempt_id == attempt["id"],
                                                       AttemptItem.needs_manual.is_(True)))
    grading = client.get(f"/grading/items/{item.id}")
    assert grading.status_code == 200 and "我的论述" in grading.get_data(as_text=True)
    assert client.post(f"/grading/items/{item.id}", data={"score": "5", "comment": "好"}).status_code == 302


@pytest.mark.parametrize("who, method, path", [
    ("trainee", "GET", "/api/v1/attempts/{huge}"), ("trainee", "POST", "/api/v1/exams/{huge}/attempts"),
    ("trainee", "PUT", "/api/v1/attempts/{attempt}/answers/{huge}"),
    ("trainee", "POST", "/api/v1/attempts/{huge}/submit"), ("trainee", "POST", "/api/v1/attempts/{huge}/events"),
    ("trainee", "GET", "/my/attempts/{huge}"), ("trainee", "GET", "/my/attempts/{huge}/result"),
    ("trainee", "POST", "/my/exams/{huge}/start"),
    ("staff", "PUT", "/api/v1/exams/{huge}"), ("staff", "GET", "/api/v1/jobs/{huge}"),
    ("staff", "GET", "/api/v1/jobs/{huge}/result"), ("staff", "GET", "/staff/exams/{huge}"),
    ("staff", "GET", "/staff/exams/{huge}/results"), ("staff", "GET", "/staff/attempts/{huge}"),
    ("staff", "GET", "/grading/items/{huge}")])
def test_ids_beyond_64_bits_are_not_found(setup, client, api_token, login, who, method, path):
    s = setup()
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=api_token(s.trainee)).get_json()
    login(s.trainee if who == "trainee" else s.staff)
    response = client.open(path.format(huge=HUGE, attempt=attempt["id"]), method=method,
                           json={"response": "A", "seq": 1} if method != "GET" else None)
    assert response.status_code == 404


def test_results_export_writes_names_as_text(setup, client, api_token, login, make_user, enroll):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT, title='=HYPERLINK("http://evil.example","考试")')
    trainee = make_user("trainee", name='=HYPERLINK("http://evil.example","点我")', username="=cmd")
    enroll(s.cohort, trainee)
    headers = api_token(trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    client.put(f"/api/v1/attempts/{attempt['id']}/answers/{of_type(attempt)['id']}",
               json={"response": right(of_type(attempt)), "seq": 1}, headers=headers)
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
    login(s.staff)
    sheet = load_workbook(BytesIO(client.get(f"/staff/exams/{s.exam.id}/results?format=xlsx").data)).active
    for cell in (sheet["A1"], sheet["B3"]):
        assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")  # text, not a live formula
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == "=cmd"


def test_answers_stored_before_shapes_were_checked_still_render(setup, app, client, api_token, login):
    """Before 0013 any JSON was stored as an answer: such attempts still open, grade and review."""
    from datetime import timedelta

    from sqlalchemy import update

    from lms.core.time import utcnow
    from lms.exams.models import Exam

    s = setup()
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    garbage = {"single": {"x": 1}, "multiple": [["A"], {}], "truefalse": "true", "fill": {"a": 1}, "essay": [1]}
    for question in attempt["questions"]:
        db.session.execute(update(AttemptItem).where(AttemptItem.attempt_id == attempt["id"],
                                                     AttemptItem.revision_id == question["id"])
                           .values(response=garbage[question["type"]], seq=1))
    db.session.commit()
    shown = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()
    assert shown["answers"][str(of_type(attempt)["id"])]["response"] is None
    assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 200
    db.session.execute(update(Exam).where(Exam.id == s.exam.id).values(
        opens_at=utcnow() - timedelta(hours=5), closes_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert login(s.trainee).get(f"/my/attempts/{attempt['id']}/result").status_code == 200
    staff = app.test_client()
    staff.post("/login", data={"username": s.staff.username, "password": TEST_PASSWORD})
    for page in (f"/staff/attempts/{attempt['id']}", f"/staff/exams/{s.exam.id}/analysis", "/grading"):
        assert staff.get(page).status_code == 200, page


def test_a_new_exam_without_its_times_names_them(setup, client, api_token):
    """Found by schemathesis: a POST without opens_at was a 500 (KeyError)."""
    s = setup()
    response = client.post(f"/api/v1/cohorts/{s.cohort.code}/exams", headers=api_token(s.staff),
                           json={"title": "补考", "pass_mark": 60})
    assert response.status_code == 422
    assert {"opens_at", "closes_at"} <= set(response.get_json()["error"]["fields"])
