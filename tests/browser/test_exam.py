"""A trainee sits exams on a 375 px phone: reads the 考前须知, answers, reloads (and comes back to
the question they were on), loses the connection and gets it back, finds questions on the answer
sheet, submits, and sees the result; the practice quiz submits itself when time runs out, says
so, shows the answers, and the wrong ones wait in the 错题本."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def answer_visible(page) -> tuple[str, str]:
    """Answer the question on screen; returns (question id, what to look for after a reload)."""
    box = page.locator(".question:visible").first
    qid = box.get_attribute("data-qid")
    choices = box.locator(".answer input[type=radio], .answer input[type=checkbox]")
    if choices.count():
        choices.first.check()
        return qid, "checked"
    texts = box.locator(".answer input[type=text]")
    if texts.count():
        for i in range(texts.count()):
            texts.nth(i).fill("标准化")
        texts.last.blur()
        return qid, "标准化"
    box.locator("textarea").fill("企业标准化总监负责统筹企业标准化工作。")
    box.locator("textarea").blur()
    return qid, "企业标准化总监负责统筹企业标准化工作。"


def assert_answer_kept(page, qid: str, expected: str) -> None:
    box = page.locator(f"#q-{qid}")
    if expected == "checked":
        expect(box.locator(".answer input").first).to_be_checked()
    elif box.locator("textarea").count():
        expect(box.locator("textarea")).to_have_value(expected)
    else:
        expect(box.locator(".answer input").first).to_have_value(expected)


def open_question(page, qid: str) -> None:
    """Through the answer sheet (答题卡), a bottom sheet opened from the bottom bar."""
    index = page.locator(".question").evaluate_all(
        f"(boxes) => boxes.findIndex(b => b.dataset.qid === '{qid}')")
    page.click("#sheet-open")
    expect(page.locator("#sheet")).to_be_visible()
    page.locator("#navigator .nav-item").nth(index).click()
    expect(page.locator("#sheet")).to_be_hidden()
    expect(page.locator(f"#q-{qid}")).to_be_visible()


def in_view(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "(e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }")


def saved(page, qid: str) -> None:
    expect(page.locator(f"#q-{qid} .saved-mark")).to_have_text(re.compile("已保存"), timeout=10_000)


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]")


def test_the_notice_comes_before_a_formal_sitting(page, log_in, live_server):
    """考前须知 on a phone and on a laptop; read here, not started (the next test starts)."""
    log_in(page, "trainee")
    for width, height in ((375, 812), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server}/my/exams")
        page.locator(".exam-card", has_text="结业考试（正式）").locator("a.start-link").click()
        notice = page.locator("#notice")
        expect(notice.locator("#notice-duration")).to_contain_text("90 分钟")
        expect(notice.locator("#notice-attempts")).to_have_text("还剩 2 次（共 2 次）")
        expect(notice.locator("#notice-attempt")).to_contain_text("补考重新抽题")
        expect(notice.locator("#notice-tabs")).to_contain_text("超过 5 次将通知监考老师")
        expect(notice.locator("#notice-auto")).to_contain_text("时间到时系统自动交卷")
        expect(page.locator("#start-exam")).to_be_disabled()
        page.check("#read-notice")
        expect(page.locator("#start-exam")).to_be_enabled()
        page.uncheck("#read-notice")
        expect(page.locator("#start-exam")).to_be_disabled()
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_exam_page_speaks_the_readers_language(page, log_in, live_server):
    """exam.js fills the page: its words come with the page, in English here; only the questions
    (data) stay Chinese. Starts the sitting from the notice and answers nothing: the next test
    resumes the same sitting."""
    log_in(page, "trainee")
    with page.expect_navigation():  # the switch posts and redirects; wait for it before going on
        page.locator('button[lang="en"]').dispatch_event("click")  # it sits in the phone's closed menu
    try:
        page.goto(f"{live_server}/my/exams")
        page.locator(".exam-card", has_text="结业考试（正式）").locator("a.start-link").click()
        notice = page.locator("#notice").inner_text()
        assert "90 minutes" in notice and "handed in automatically" in notice and not CJK.search(
            notice.replace("结业考试（正式）", ""))
        page.check("#read-notice")
        page.click("#start-exam")
        page.click("#mode-all")
        expect(page.locator(".question").first).to_be_visible()
        expect(page.locator("#save-state")).to_have_text("All answers saved")
        expect(page.locator(".q-number").first).to_have_text("Question 1")
        title = page.locator(".exam-title").inner_text()
        expect(page.locator(".q-group-title").first).to_have_text(re.compile(r"^Part 1: "))
        words = page.locator(".q-number, .q-meta, .flag, .blank, .exam-bar, .exam-foot, .mode, .q-group-title"
                             ).all_inner_texts()
        truefalse = page.locator(".question").filter(has=page.locator("input[value=true]")).first
        words += truefalse.locator(".answer label").all_inner_texts()
        assert words and [w for w in words if CJK.search(w.replace(title, ""))] == []
        page.click("#submit")
        expect(page.locator("#confirm-unanswered")).to_have_text(
            re.compile(r"^47 questions are unanswered: questions 1, 2, "))
        page.click("#confirm-no")
    finally:  # the choice is kept on the account: back to Chinese for the other tests
        page.goto(f"{live_server}/my/exams")
        with page.expect_navigation():
            page.locator('button[lang="zh-CN"]').dispatch_event("click")


def test_sit_the_formal_exam_on_a_phone(page, log_in, live_server):
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, "trainee")
    page.goto(f"{live_server}/my/exams")  # the sitting the first test started: resumed, no notice again
    page.locator(".exam-card", has_text="结业考试（正式）").locator("button[type=submit]").click()
    expect(page.locator(".question:visible")).to_have_count(1)
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^1:(29|30):\d\d$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # no grid of 47 buttons above the question: the answer sheet waits in the bottom bar
    expect(page.locator("#navigator")).to_be_hidden()
    expect(page.locator(".q-group-title:visible")).to_have_text(re.compile(r"^一、单选题（共 \d+ 题"))
    for control in ("#prev", "#sheet-open", "#next", "#submit"):
        assert in_view(page, control), control  # the sticky bottom bar is on screen
    expect(page.locator("#prev")).to_be_disabled()
    expect(page.locator("#answered-count")).to_have_text("0/47")

    first = answer_visible(page)
    saved(page, first[0])
    expect(page.locator("#answered-count")).to_have_text("1/47")
    page.click("#next")
    second = answer_visible(page)
    saved(page, second[0])
    page.locator(f"#q-{second[0]} .flag-box").check()

    page.reload()  # everything comes back: answers, flag, the same clock, the question on screen
    expect(page.locator(".question:visible")).to_have_count(1)
    expect(page.locator(f"#q-{second[0]}")).to_be_visible()
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^1:(29|30):\d\d$"))
    expect(page.locator("#answered-count")).to_have_text("2/47")
    for qid, expected in (first, second):
        open_question(page, qid)
        assert_answer_kept(page, qid, expected)
    expect(page.locator(".nav-item.answered")).to_have_count(2)
    expect(page.locator(".nav-item.flagged")).to_have_count(1)

    page.context.set_offline(True)  # the connection drops
    page.click("#sheet-open")
    page.locator("#navigator .nav-item").nth(2).click()
    third = answer_visible(page)
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator(f"#q-{third[0]} .saved-mark")).to_have_text("待提交")
    page.context.set_offline(False)  # ... and comes back: the queued answer is sent
    saved(page, third[0])
    expect(page.locator("#offline-banner")).to_be_hidden()
    page.reload()
    expect(page.locator(".question:visible")).to_have_count(1)
    open_question(page, third[0])
    assert_answer_kept(page, third[0], third[1])

    page.click("#sheet-open")  # the sheet: each type's questions under its name, and a submit button
    expect(page.locator("#navigator .nav-group").first).to_have_text("单选题")
    expect(page.locator("#navigator .nav-item.current")).to_have_count(1)
    page.click("#sheet-submit")
    expect(page.locator("#confirm")).to_be_visible()
    expect(page.locator("#confirm-unanswered")).to_have_text(re.compile(r"还有 44 题未作答"))
    with page.expect_response(re.compile(r"/submit$")) as submitted:
        page.click("#confirm-yes")
    # the page goes on to the result page: it asks for the attempt without its paper
    assert submitted.value.status == 200 and submitted.value.headers.get("preference-applied") == "return=minimal"
    page.wait_for_url(re.compile(r"/result$"))
    expect(page.locator("#auto-submitted")).to_have_count(0)  # handed in by the trainee
    # 已评分 when the essay was left blank (it scores 0 by itself), else 已交卷 until it is graded
    expect(page.locator("#attempt-status")).to_have_text(re.compile("已交卷|已评分"))
    expect(page.locator("#pending")).to_be_visible()  # released after the window closes
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_practice_quiz_submits_itself_at_zero(page, log_in, live_server):
    """On a laptop (1366 × 768); the 错题本 is then read on the phone too."""
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, "trainee")
    page.goto(f"{live_server}/my/exams")
    page.locator(".exam-card", has_text="练习测验").locator("button[type=submit]").click()  # no notice for practice
    page.click("#mode-all")
    expect(page.locator(".question:visible")).to_have_count(5)
    for box in page.locator(".question").all():
        box.locator(".answer input").first.check()
    expect(page.locator(".saved-mark.ok")).to_have_count(5)
    # no click on submit: the countdown reaches zero and the page hands the paper in
    page.wait_for_url(re.compile(r"/result$"), timeout=75_000)
    expect(page.locator("#auto-submitted")).to_contain_text("系统已自动交卷")
    expect(page.locator("#score")).to_be_visible()
    expect(page.locator("#verdict")).to_have_text(re.compile("^(合格|不合格)$"))
    # the quiz shows its answers right after handing in
    expect(page.locator("#review .review-item")).to_have_count(5)
    expect(page.locator("#review .correct")).to_have_count(5)
    wrong = page.locator("#review .review-item.is-wrong").count()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server}/my/mistakes")
    expect(page.locator(".mistake")).to_have_count(wrong)  # the wrong ones wait in the 错题本
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if wrong:
        card = page.locator(".mistake").first
        qid = card.get_attribute("data-qid")
        card.locator("summary").click()  # peek at the answer, then give it
        answer = card.locator(".peek .correct").inner_text().split("：", 1)[1]
        for choice in card.locator(".answer input").all():
            value = choice.get_attribute("value")
            if value in answer.split("、") or {"true": "正确", "false": "错误"}.get(value) == answer:
                choice.check()
        card.locator("button[type=submit]").click()
        expect(page.locator(".flash-success")).to_contain_text("已移出错题本")
        expect(page.locator(f"#mistake-{qid}")).to_have_count(0)
