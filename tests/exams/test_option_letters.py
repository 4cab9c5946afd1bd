"""Option letters (DESIGN §9): an attempt letters its options A, B, C… in the order shown; the
trainee answers with those letters; the server maps them back to the bank's options when
grading, in the item analysis and in the review. Nothing of an attempt carries the bank's own keys."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from lms.exams import services
from lms.exams.analysis import analyse
from lms.exams.models import Attempt, AttemptItem
from lms.extensions import db
from tests.exams.conftest import letter, of_type, put_answer, right, start_attempt

SINGLES = [("exam-bank", f"S{i}", 1) for i in range(1, 7)] + [("exam-bank", "M1", 2)]


@pytest.fixture
def lettered(setup):
    """An exam whose fixed paper is the six single choices (key B) and a multiple choice (A, C),
    options shuffled: the chance that every question shows the bank's order is 1 in 24^7."""
    s = setup(blueprint=None)
    services.change_paper(s.staff, s.exam, lambda e: services.set_fixed_paper(e, SINGLES))
    db.session.commit()
    return s


def test_options_are_lettered_in_the_order_shown(lettered, client, api_token):
    attempt = start_attempt(client, api_token(lettered.trainee), lettered.exam.id)
    items = {i.revision_id: i for i in db.session.scalars(select(AttemptItem).where(
        AttemptItem.attempt_id == attempt["id"]))}
    texts = {"A": "甲", "B": "乙", "C": "丙", "D": "丁"}  # the bank's keys and texts
    for question in attempt["questions"]:
        assert [o["key"] for o in question["options"]] == ["A", "B", "C", "D"]
        shown = [texts[key] for key in items[question["id"]].option_order]
        assert [o["text"] for o in question["options"]] == shown
    assert any(i.option_order != ["A", "B", "C", "D"] for i in items.values())  # shuffled, yet A, B, C, D


def test_the_letter_shown_is_graded_as_the_option_it_names(lettered, client, api_token):
    headers = api_token(lettered.trainee)
    attempt = start_attempt(client, headers, lettered.exam.id)
    for seq, question in enumerate(attempt["questions"], 1):
        assert put_answer(client, headers, attempt, question, right(question), seq).status_code == 200
    result = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()
    assert result["score"] == result["max_score"] == 8 and result["passed"] is True


def test_saved_answers_come_back_in_letters_and_are_kept_in_the_banks_keys(lettered, client, api_token):
    headers = api_token(lettered.trainee)
    attempt = start_attempt(client, headers, lettered.exam.id)
    single, multiple = of_type(attempt, "single"), of_type(attempt, "multiple")
    put_answer(client, headers, attempt, single, letter(single, "乙"))
    put_answer(client, headers, attempt, multiple, [letter(multiple, "丙"), letter(multiple, "甲")])
    again = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()
    assert again["answers"][str(single["id"])]["response"] == letter(single, "乙")
    assert again["answers"][str(multiple["id"])]["response"] == sorted([letter(multiple, "甲"),
                                                                         letter(multiple, "丙")])
    stored = dict(db.session.execute(select(AttemptItem.revision_id, AttemptItem.response).where(
        AttemptItem.attempt_id == attempt["id"])).all())
    assert stored[single["id"]] == "B" and stored[multiple["id"]] == ["A", "C"]


def test_the_review_letters_options_as_the_trainee_saw_them(lettered, client, api_token, login):
    from datetime import timedelta

    from lms.core.time import utcnow

    headers = api_token(lettered.trainee)
    attempt = start_attempt(client, headers, lettered.exam.id)
    for seq, question in enumerate(attempt["questions"], 1):
        put_answer(client, headers, attempt, question, right(question), seq)
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
    db.session.execute(update(services.Exam).where(services.Exam.id == lettered.exam.id).values(
        opens_at=utcnow() - timedelta(hours=5), closes_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    html = login(lettered.trainee).get(f"/my/attempts/{attempt['id']}/result").get_data(as_text=True)
    review = html[html.index('id="review"'):]
    for question in attempt["questions"]:
        stem = review.index(f"</strong> {question['stem']}</p>")
        block = review[stem:review.index("</div>", stem)]
        lines = [block.index(f"<li>{o['key']}. {o['text']}</li>") for o in question["options"]]
        assert lines == sorted(lines)  # A, B, C… as shown, each with the text the trainee saw
        expected = right(question)
        expected = "、".join(expected) if isinstance(expected, list) else expected
        assert f"您的答案：{expected}" in block and f"正确答案：{expected}" in block


def test_the_item_analysis_counts_the_banks_options(lettered, client, api_token, make_user, enroll):
    trainees = [lettered.trainee] + [make_user("trainee") for _ in range(3)]
    for trainee in trainees[1:]:
        enroll(lettered.cohort, trainee)
    for trainee in trainees:  # everyone picks 乙 (the bank's B), each under the letter they see
        headers = api_token(trainee)
        attempt = start_attempt(client, headers, lettered.exam.id)
        for seq, question in enumerate(attempt["questions"], 1):
            put_answer(client, headers, attempt, question, right(question), seq)
        client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
    stats = analyse(db.session.get(services.Exam, lettered.exam.id))
    by_id = {i.external_id: i for i in stats.items}
    assert all(by_id[f"S{i}"].options == {"B": 4} for i in range(1, 7))
    assert by_id["M1"].options == {"A": 4, "C": 4} and by_id["S1"].facility == 1.0


def test_an_attempt_open_when_letters_came_in_keeps_the_banks_keys_until_it_closes(lettered, client, api_token):
    """Its page (and the answers queued in its browser) speak the bank's keys: they keep working."""
    headers = api_token(lettered.trainee)
    attempt = start_attempt(client, headers, lettered.exam.id)
    db.session.execute(update(Attempt).where(Attempt.id == attempt["id"]).values(bank_letters=True))
    db.session.commit()
    legacy = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()
    items = {i.revision_id: i for i in db.session.scalars(select(AttemptItem).where(
        AttemptItem.attempt_id == attempt["id"]))}
    single = of_type(legacy, "single")
    assert [o["key"] for o in single["options"]] == items[single["id"]].option_order
    assert put_answer(client, headers, legacy, single, "B").status_code == 200  # the bank's B: right
    closed = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()
    assert closed["answers"][str(single["id"])]["response"] == letter(of_type(closed, "single"), "乙")
    assert [o["key"] for o in of_type(closed, "single")["options"]] == ["A", "B", "C", "D"]


@pytest.mark.parametrize("kind, response", [
    ("single", {}), ("single", ["A"]), ("single", "E"), ("single", True), ("multiple", "A"), ("multiple", ["A", "A"]),
    ("multiple", ["E"]), ("multiple", [{}]), ("truefalse", "true"), ("truefalse", {}), ("fill", "text"),
    ("fill", [1, 2]), ("essay", {}), ("essay", ["text"])])
def test_a_response_of_the_wrong_shape_is_refused_naming_the_field(setup, client, api_token, kind, response):
    s = setup()
    headers = api_token(s.trainee)
    attempt = start_attempt(client, headers, s.exam.id)
    answer = put_answer(client, headers, attempt, of_type(attempt, kind), response)
    assert answer.status_code == 422 and "response" in answer.get_json()["error"]["fields"]
    stored = db.session.scalars(select(AttemptItem.seq).where(AttemptItem.attempt_id == attempt["id"])).all()
    assert set(stored) == {0}  # nothing was saved


@pytest.mark.parametrize("kind, response", [("single", None), ("multiple", []), ("truefalse", None),
                                            ("fill", ["", ""]), ("essay", "")])
def test_clearing_an_answer_is_still_accepted(setup, client, api_token, kind, response):
    s = setup()
    headers = api_token(s.trainee)
    attempt = start_attempt(client, headers, s.exam.id)
    assert put_answer(client, headers, attempt, of_type(attempt, kind), response).status_code == 200
