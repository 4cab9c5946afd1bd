"""Practice quizzes that show their answers right after handing in, and the 错题本 they fill;
the 考前须知 and the result page's plain verdict and retake offer."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.core.errors import ValidationFailed
from lms.exams import services
from lms.exams.mistakes import mistakes
from lms.exams.models import Attempt
from lms.extensions import db
from tests.exams.conftest import OBJECTIVE_BLUEPRINT, shown

WRONG = "A"  # the bank's right answer of every single choice is B (乙)


def _sit(s, wrong_singles: bool):
    """Start, answer (single choices wrong or right, true/false right) and hand in."""
    attempt, _ = services.start(s.trainee, s.exam.id)
    db.session.flush()
    for seq, item in enumerate(attempt.items, 1):
        response = shown(item, WRONG if wrong_singles else "B") if item.revision.type == "single" else True
        services.save_answer(s.trainee, attempt.id, item.revision_id, response, seq)
    services.submit(s.trainee, attempt.id)
    db.session.commit()
    return attempt


def test_a_practice_quiz_shows_its_answers_at_once_and_fills_the_mistake_book(setup, client, login):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT, purpose="practice", answers_on_submit=True, review_policy="never",
              attempts_allowed=5)
    attempt = _sit(s, wrong_singles=True)
    html = login(s.trainee).get(f"/my/attempts/{attempt.id}/result").get_data(as_text=True)
    assert 'id="review"' in html and html.count("正确答案：") == 5  # the window is still open
    assert html.count("✗ 答错") == 3 and html.count("✓ 答对") == 2
    assert "不合格" in html and "再练一次" in html  # 2 of 5, attempts left

    book = mistakes(s.trainee)
    assert len(book) == 3 and {m.type for m in book} == {"single"}
    first = book[0]
    letters = dict((text, key) for key, text in first.options)
    assert first.last_response == letters["甲"] and first.answer == letters["乙"]  # as this page letters them
    page = client.get("/my/mistakes").get_data(as_text=True)
    assert page.count('class="card mistake"') == 3 and "答错 1 次" in page

    still = client.post(f"/my/mistakes/{first.question_id}", data={"answer": letters["丙"]}).get_data(as_text=True)
    assert "还不对" in still and f"正确答案：{letters['乙']}" in still
    assert len(mistakes(s.trainee)) == 3
    cleared = client.post(f"/my/mistakes/{first.question_id}", data={"answer": letters["乙"]}, follow_redirects=True)
    assert "已移出错题本" in cleared.get_data(as_text=True)
    assert first.question_id not in {m.question_id for m in mistakes(s.trainee)}
    assert client.post("/my/mistakes/987654", data={"answer": "A"}).status_code == 404  # not in the book

    again = _sit(s, wrong_singles=True)  # wrong again in a later quiz: back in the book, counted twice
    assert again.number == 2
    drawn = {item.question_id for item in again.items if item.revision.type == "single"}
    back = {m.question_id: m for m in mistakes(s.trainee)}
    assert drawn <= set(back)  # every single choice missed again is in the book
    assert (first.question_id in back) == (first.question_id in drawn)  # the cleared one only if missed again
    assert all(back[q].times == 2 for q in drawn if q != first.question_id and q in {m.question_id for m in book})


def test_answers_stay_hidden_until_the_close_without_the_setting_and_formal_exams_cannot_have_it(setup, client,
                                                                                                   login):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT, purpose="practice", review_policy="never")
    attempt = _sit(s, wrong_singles=True)
    html = login(s.trainee).get(f"/my/attempts/{attempt.id}/result").get_data(as_text=True)
    assert 'id="review"' not in html and "正确答案" not in html
    assert mistakes(s.trainee) == []  # nothing to practise from a quiz whose answers are not shown
    with pytest.raises(ValidationFailed) as refused:
        setup(purpose="formal", answers_on_submit=True)
    assert "answers_on_submit" in refused.value.fields


def test_after_a_pass_no_page_offers_another_attempt(setup, client, login):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT, attempts_allowed=3)
    attempt = _sit(s, wrong_singles=False)
    assert db.session.scalar(select(Attempt.passed).where(Attempt.id == attempt.id)) is True
    login(s.trainee)
    result = client.get(f"/my/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "合格" in result and 'id="retake"' not in result and "无需补考" in result
    listing = client.get("/my/exams").get_data(as_text=True)
    assert f"/my/exams/{s.exam.id}/notice" not in listing and "开始考试" not in listing and "补考" not in listing
    assert f'id="outcome-{s.exam.id}"><strong>合格</strong> · 得分 5 / 5' in listing  # the released score, plainly
    notice = client.get(f"/my/exams/{s.exam.id}/notice").get_data(as_text=True)
    assert "您已通过本考试" in notice and 'id="start-exam"' not in notice
    assert client.post(f"/my/exams/{s.exam.id}/start", data={"read_notice": "1"}).status_code == 302
    assert db.session.scalar(select(Attempt.id).where(Attempt.exam_id == s.exam.id, Attempt.number == 2)) is None


def test_a_failed_formal_exam_offers_the_retake_through_the_notice(setup, client, login):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT, attempts_allowed=2)
    attempt = _sit(s, wrong_singles=True)
    login(s.trainee)
    result = client.get(f"/my/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "不合格" in result and f'id="retake" href="/my/exams/{s.exam.id}/notice"' in result
    notice = client.get(f"/my/exams/{s.exam.id}/notice").get_data(as_text=True)
    assert "最后一次作答机会" in notice and "还剩 1 次（共 2 次）" in notice


def test_no_attendance_refusal_before_the_first_session(setup, client, login):
    from datetime import timedelta

    from lms.core.time import utcnow
    from lms.enrollment.models import CohortSession

    s = setup(requires_attendance=True)
    login(s.trainee)
    listing = client.get("/my/exams").get_data(as_text=True)
    assert "第一次课开始后统计出勤" in listing and "出勤未达到" not in listing
    begun = utcnow() - timedelta(hours=5)
    db.session.add(CohortSession(cohort=s.cohort, module=s.cohort.program.modules[0], starts_at=begun,
                                 ends_at=begun + timedelta(hours=4), hours=4, place="101"))
    db.session.commit()
    listing = client.get("/my/exams").get_data(as_text=True)
    assert "出勤未达到本考试要求的比例" in listing and "第一次课开始后统计出勤" not in listing
