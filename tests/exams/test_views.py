"""The web pages: trainee exam list, exam page shell, result; staff exam pages; grading."""
from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from lms.exams import services
from lms.exams.models import Attempt, AttemptItem
from lms.extensions import db
from tests.exams.conftest import OBJECTIVE_BLUEPRINT, shown


def test_trainee_starts_from_the_list_and_gets_the_page_shell(setup, client, login):
    s = setup()
    login(s.trainee)
    listing = client.get("/my/exams").get_data(as_text=True)
    assert "结业考试" in listing and "开始考试" in listing and f"/my/exams/{s.exam.id}/notice" in listing
    notice = client.get(f"/my/exams/{s.exam.id}/notice").get_data(as_text=True)
    assert "考前须知" in notice and "我已阅读" in notice and "自动交卷" in notice
    unread = client.post(f"/my/exams/{s.exam.id}/start")  # a formal sitting starts only from the notice
    assert unread.headers["Location"].endswith(f"/my/exams/{s.exam.id}/notice")
    assert db.session.scalar(select(Attempt).where(Attempt.exam_id == s.exam.id)) is None
    started = client.post(f"/my/exams/{s.exam.id}/start", data={"read_notice": "1"})
    assert started.status_code == 302
    page = client.get(started.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="countdown"' in html and "js/exam.js" in html
    assert 'name="csrf-token"' in html and "/api/v1/attempts/" in html
    for secret in ("SECRET", "单选题1", "explanation"):
        assert secret not in html  # the shell carries no questions, let alone answers
    assert "继续作答" in client.get("/my/exams").get_data(as_text=True)


def test_result_page_shows_the_released_score_by_category(setup, client, login):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    attempt, _ = services.start(s.trainee, s.exam.id)
    db.session.flush()
    for seq, item in enumerate(attempt.items, 1):
        services.save_answer(s.trainee, attempt.id, item.revision_id,
                             shown(item, "B") if item.revision.type == "single" else True, seq)
    services.submit(s.trainee, attempt.id)
    db.session.commit()
    login(s.trainee)
    html = client.get(f"/my/attempts/{attempt.id}/result").get_data(as_text=True)
    assert 'id="score">5<' in html and "合格" in html and "法律法规" in html
    assert "SECRET" not in html  # review waits for the window to close
    assert client.get(f"/my/attempts/{attempt.id}").status_code == 302


def test_other_trainee_gets_404_on_pages(setup, client, login, make_user):
    s = setup()
    attempt, _ = services.start(s.trainee, s.exam.id)
    db.session.commit()
    login(make_user("trainee"))
    assert client.get(f"/my/attempts/{attempt.id}").status_code == 404
    assert client.get(f"/my/attempts/{attempt.id}/result").status_code == 404


def test_staff_create_exam_and_see_the_short_cell(setup, client, login):
    s = setup()
    login(s.staff)
    assert "结业考试" in client.get("/staff/exams").get_data(as_text=True)
    created = client.post(f"/staff/exams/new?cohort={s.cohort.code}", data={
        "title": "补充测验", "opens_at": "2030-01-01T09:00", "closes_at": "2030-01-01T12:00", "duration_minutes": 60,
        "attempts_allowed": 2, "pass_mark": 60, "release_policy": "immediate", "review_policy": "never",
        "shuffle_questions": "y"})
    assert created.status_code == 302, created.get_data(as_text=True)
    exam_url = created.headers["Location"]
    ancient = client.post(exam_url + "/edit", data={
        "title": "补充测验", "opens_at": "0001-01-01T00:00", "closes_at": "2030-01-01T12:00", "duration_minutes": 60,
        "attempts_allowed": 2, "pass_mark": 60, "release_policy": "immediate", "review_policy": "never"})
    assert ancient.status_code == 200 and "2000–2999" in ancient.get_data(as_text=True)
    short = client.post(exam_url + "/paper", data={"mode": "blueprint", "lines": "exam-bank B essay 4 3 10"})
    assert short.status_code == 422 and "缺 2 题" in short.get_data(as_text=True)
    saved = client.post(exam_url + "/paper", data={"mode": "blueprint", "lines": "exam-bank A single 2 5 2"})
    assert saved.status_code == 302
    assert "5 题，共 10 分" in client.get(exam_url).get_data(as_text=True)
    fixed = client.post(exam_url + "/paper", data={"mode": "fixed", "lines": "exam-bank S1 5\nexam-bank T1 5"})
    assert fixed.status_code == 302 and "2 题，共 10 分" in client.get(exam_url).get_data(as_text=True)


def test_results_table_export_analysis_and_integrity(setup, client, login, api_token):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT, max_tab_switches=1)
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    for _ in range(2):
        warned = client.post(f"/api/v1/attempts/{attempt['id']}/events", json={"kind": "tab_switch"},
                             headers=headers).get_json()
    assert warned["tab_switches"] == 2 and "超过" in warned["warning"]
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
    login(s.staff)
    table = client.get(f"/staff/exams/{s.exam.id}/results").get_data(as_text=True)
    assert "王学员" in table and "integrity-alert" in table
    export = client.get(f"/staff/exams/{s.exam.id}/results?format=xlsx")
    sheet = load_workbook(BytesIO(export.data)).active
    assert sheet["B3"].value == "王学员" and sheet["I3"].value == "不合格" and sheet["J3"].value == 2
    detail = client.get(f"/staff/attempts/{attempt['id']}").get_data(as_text=True)
    assert "切换标签页" in detail
    assert "区分度" in client.get(f"/staff/exams/{s.exam.id}/analysis").get_data(as_text=True)
    assert client.post(f"/staff/exams/{s.exam.id}/analysis").status_code == 302
    notes = client.get("/notifications").get_data(as_text=True)
    assert "切换页面 2 次" in notes


def test_grader_grades_anonymously(setup, client, login, api_token):
    s = setup(anonymous_grading=True)
    headers = api_token(s.trainee)
    attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    essay = next(q for q in attempt["questions"] if q["type"] == "essay")
    client.put(f"/api/v1/attempts/{attempt['id']}/answers/{essay['id']}", json={"response": "我的论述", "seq": 1},
               headers=headers)
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
    login(s.grader)
    queue = client.get("/grading").get_data(as_text=True)
    assert "王学员" not in queue
    item = db.session.scalar(select(AttemptItem).where(AttemptItem.needs_manual.is_(True)))
    page = client.get(f"/grading/items/{item.id}").get_data(as_text=True)
    assert "我的论述" in page and "SECRET-RUBRIC" in page and "王学员" not in page
    too_much = client.post(f"/grading/items/{item.id}", data={"score": "12", "comment": ""})
    assert too_much.status_code == 200 and "应为 0–10" in too_much.get_data(as_text=True)
    assert client.post(f"/grading/items/{item.id}", data={"score": "8.5", "comment": "好"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Attempt, attempt["id"]).status == "graded"


def test_staff_of_another_institution_gets_404(setup, client, login, make_user, make_institution):
    s = setup()
    login(make_user("institution", scope=make_institution()))
    assert client.get(f"/staff/exams/{s.exam.id}").status_code == 404
    assert client.get(f"/staff/exams/{s.exam.id}/results").status_code == 404


def _sit_and_close(s, review_policy):
    from datetime import timedelta

    from lms.core.time import utcnow

    attempt, _ = services.start(s.trainee, s.exam.id)
    db.session.flush()
    for seq, item in enumerate(attempt.items, 1):
        services.save_answer(s.trainee, attempt.id, item.revision_id,
                             shown(item, "B") if item.revision.type == "single" else True, seq)
    services.submit(s.trainee, attempt.id)
    exam = db.session.get(services.Exam, s.exam.id)
    exam.opens_at, exam.closes_at = utcnow() - timedelta(hours=5), utcnow() - timedelta(minutes=1)
    exam.review_policy = review_policy
    db.session.commit()
    return attempt.id


def test_answers_are_shown_after_the_window_closes(setup, client, login):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    attempt_id = _sit_and_close(s, "after_close")
    login(s.trainee)
    html = client.get(f"/my/attempts/{attempt_id}/result").get_data(as_text=True)
    single = next(i for i in db.session.get(Attempt, attempt_id).items if i.revision.type == "single")
    assert "答案与解析" in html and "SECRET-EXPLANATION" in html and "正确答案：正确" in html
    assert f"正确答案：{shown(single, 'B')}" in html  # in the letters the trainee saw


def test_answers_never_shown_when_the_exam_says_so(setup, client, login):
    s = setup(blueprint=OBJECTIVE_BLUEPRINT)
    attempt_id = _sit_and_close(s, "never")
    login(s.trainee)
    html = client.get(f"/my/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "SECRET" not in html and "答案与解析" not in html and 'id="score">5<' in html


def test_staff_give_a_trainee_extra_time(setup, client, login):
    s = setup()
    login(s.staff)
    response = client.post(f"/staff/exams/{s.exam.id}/extensions",
                           data={"username": s.trainee.username, "minutes": "20", "reason": "视力障碍"})
    assert response.status_code == 302
    page = client.get(f"/staff/exams/{s.exam.id}").get_data(as_text=True)
    assert "+20" in page and "视力障碍" in page
    attempt, _ = services.start(s.trainee, s.exam.id)
    assert (attempt.deadline - attempt.started_at).total_seconds() == 80 * 60
    unknown = client.post(f"/staff/exams/{s.exam.id}/extensions", data={"username": "nobody", "minutes": "5"},
                          follow_redirects=True)
    assert "不在本班次" in unknown.get_data(as_text=True)



def test_english_counts_are_plural_aware(setup, client, login, api_token, make_user, enroll):
    """'%(num)s 道主观题待批阅' reads '1 essay to grade', then '2 essays to grade', in English."""
    s = setup()
    second = make_user("trainee")
    enroll(s.cohort, second)
    login(s.grader)
    client.post("/lang/en")
    for trainee, expected in ((s.trainee, "1 essay to grade"), (second, "2 essays to grade")):
        headers = api_token(trainee)
        attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
        essay = next(q for q in attempt["questions"] if q["type"] == "essay")
        client.put(f"/api/v1/attempts/{attempt['id']}/answers/{essay['id']}", json={"response": "论述", "seq": 1},
                   headers=headers)
        client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
        assert expected in client.get("/home/grader").get_data(as_text=True)


def test_the_partial_credit_rule_is_fixed_on_the_form_once_a_trainee_started(setup, client, login, api_token):
    s = setup(multiple_partial=True)
    client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=api_token(s.trainee))
    login(s.staff)
    form = client.get(f"/staff/exams/{s.exam.id}/edit").get_data(as_text=True)
    assert "已有考生开始作答，不能再更改" in form
    refused = client.post(f"/staff/exams/{s.exam.id}/edit", data={  # the box unticked
        "title": "结业考试", "opens_at": "2030-01-01T09:00", "closes_at": "2030-01-01T12:00", "duration_minutes": 60,
        "attempts_allowed": 2, "pass_mark": 60, "release_policy": "immediate", "review_policy": "never"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="multiple_partial-error"' in page
    assert "不能再更改多选题计分方式" in page
    db.session.expire_all()
    assert db.session.get(type(s.exam), s.exam.id).multiple_partial is True
