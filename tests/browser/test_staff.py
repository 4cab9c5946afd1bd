"""Institution staff in Chromium, on a 1366 × 768 laptop (and a phone for check-in): the home page
leads with the work to do, bulk approval, destructive actions that ask first, class progress
whose deciding columns fit, the blueprint table, the rule builder, grading per criterion and the
check-in QR's projector mode. Set SCREENSHOTS_DIR to keep a screenshot of each page."""
from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

DESK = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}


def _shot(page, name: str) -> None:
    if folder := os.environ.get("SCREENSHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _staff(browser, log_in, viewport=DESK, username="institution"):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, username)
    return context, page


def _fits(page, locator, width: int) -> None:
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


def test_the_home_page_leads_with_work_and_bulk_approval_admits(browser, page, log_in, live_server):
    log_in(page, "applicant")  # one application to review
    page.goto(f"{live_server}/cohorts")
    page.locator("section.cohort", has_text="报名中").locator("button", has_text="报名").click()
    page.wait_for_load_state("domcontentloaded")

    context, staff = _staff(browser, log_in)
    todos = staff.locator("section.todos")
    expect(todos).to_be_visible()
    assert todos.bounding_box()["y"] < DESK["height"] / 2  # first thing on the page
    applications = todos.locator("[data-todo=applications] a")
    count = int(applications.locator(".todo-count").inner_text())
    assert count >= 1 and "份报名待审核" in applications.inner_text()
    expect(todos.locator("[data-todo=essays]")).to_be_visible()
    _shot(staff, "staff-home-1366")
    applications.click()
    expect(staff.locator("h1")).to_have_text("待审核报名")

    staff.goto(f"{live_server}/staff/cohorts/SH-DIR-OPEN/applications")
    expect(staff.locator("nav.filters .filter-count").first).to_be_visible()
    boxes = staff.locator("input[name=application]")
    assert boxes.count() >= 1
    boxes.first.check()
    _shot(staff, "staff-review-queue-1366")
    staff.click("#bulk-approve")
    expect(staff.locator(".flash-success")).to_contain_text("已录取 1 人")
    context.close()


def test_deleting_a_session_states_the_consequence_and_cancel_keeps_it(browser, log_in, live_server):
    context, staff = _staff(browser, log_in)
    staff.goto(f"{live_server}/staff/cohorts/SH-DIR-OPEN")
    sessions = staff.locator("ul.session-list > li")
    before = sessions.count()
    first = sessions.first
    first.locator("details.inline-confirm summary").click()
    expect(first.locator("details.inline-confirm")).to_contain_text("删除后将通知已录取的学员课次取消")
    # the page's own step is the confirmation; a post without it (a stray request) asks again
    staff.goto(f"{live_server}/staff/cohorts/SH-DIR-OPEN")
    action = staff.locator("ul.session-list form").first.get_attribute("action")
    staff.evaluate("""action => { const f = document.createElement('form'); f.method = 'post'; f.action = action;
        const t = document.querySelector('input[name=csrf_token]').cloneNode(); f.appendChild(t);
        document.body.appendChild(f); f.submit(); }""", action)
    staff.wait_for_load_state("domcontentloaded")
    expect(staff.locator("h1")).to_have_text("删除课次？")
    expect(staff.locator(".consequences")).to_contain_text("不能恢复")
    _shot(staff, "staff-confirm-delete-session-1366")
    staff.click("text=取消，返回")
    expect(staff.locator("ul.session-list > li")).to_have_count(before)
    context.close()


def test_class_progress_deciding_columns_fit_a_laptop(browser, log_in, live_server):
    context, staff = _staff(browser, log_in)
    staff.goto(f"{live_server}/staff/cohorts/SH-DIR-RUN/progress")
    table = staff.locator("table.progress-table")
    head = table.locator("thead th")
    for name in ("合计", "出勤率", "考试资格"):
        _fits(staff, head.filter(has_text=name).first, DESK["width"])
    badge = table.locator("tbody .badge").first
    expect(badge).to_be_visible()
    assert badge.bounding_box()["height"] < 30  # one line, not wrapped
    expect(staff.locator("nav.filters")).to_contain_text("达到考试出勤要求")
    with staff.expect_download() as download:
        staff.click("text=导出名单与进度（Excel）")
    assert download.value.suggested_filename == "roster-SH-DIR-RUN.xlsx"
    _shot(staff, "staff-class-progress-1366")
    # the name stays in view while the wide table scrolls sideways
    wrap = staff.locator(".table-wrap").first
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    name = table.locator("tbody th").first
    assert name.bounding_box()["x"] >= wrap.bounding_box()["x"] - 1
    context.close()


def test_the_blueprint_table_totals_follow_the_counts(browser, log_in, live_server):
    context, staff = _staff(browser, log_in)
    staff.goto(f"{live_server}/staff/exams")
    staff.locator("a", has_text="结业考试").first.click()
    staff.click("text=用表格编辑组卷规则")
    expect(staff.locator("h1")).to_have_text("组卷规则")
    total = staff.locator("#total-questions")
    expect(total).to_be_visible()
    _fits(staff, total, DESK["width"])
    before = int(total.inner_text())
    cell = staff.locator("td.cell input:not([disabled])").first
    if cell.count():
        value = int(cell.input_value() or 0)
        cell.fill(str(value + 1))
        row_points = staff.locator("tr[data-row] input[name^='p-']").first
        if not row_points.input_value():
            row_points.fill("1")
        expect(total).to_have_text(str(before + 1))
    assert "可用" in staff.locator("td.cell").first.inner_text() or staff.locator("td.cell .avail").count()
    _shot(staff, "staff-blueprint-table-1366")
    context.close()


def test_the_rule_builder_adds_a_condition_by_name(browser, log_in, live_server):
    context, admin = _staff(browser, log_in, username="admin")
    admin.goto(f"{live_server}/programs")
    admin.locator("main table tr", has_text="SH-DIR").first.locator("a").first.click()
    admin.click("text=编辑规则")
    expect(admin.locator("#rule-builder")).to_be_visible()
    expect(admin.locator("#rule-builder")).not_to_contain_text('"field"')
    members = admin.locator("#rule-builder li.rule-member")
    before = members.count()
    admin.locator("#rule-builder button", has_text="＋ 条件").first.click()
    expect(members).to_have_count(before + 1)
    new = admin.locator("select.rule-field").last
    new.select_option("title_level")  # redraws with the title's values, by name
    expect(admin.locator("select[name^=value-]").last.locator("option", has_text="中级")).to_have_count(1)
    _shot(admin, "staff-rule-builder-1366")
    context.close()


def test_grading_per_criterion_shows_the_running_total(browser, log_in, live_server):
    context, grader = _staff(browser, log_in, username="grader")
    grader.goto(f"{live_server}/grading?show=graded")
    expect(grader.locator("h1")).to_have_text("已评分")
    grader.goto(f"{live_server}/grading")
    cards = grader.locator("a.link-card")
    if cards.count():
        cards.first.click()
        inputs = grader.locator("input[name^=criterion-]")
        if inputs.count():
            inputs.first.fill("1")
            expect(grader.locator("#rubric-total")).to_have_text("1")
        _shot(grader, "staff-grade-essay-1366")
    context.close()


def test_the_check_in_qr_projector_mode_fills_the_screen(browser, log_in, live_server):
    context, staff = _staff(browser, log_in)
    staff.goto(f"{live_server}/staff/cohorts/SH-DIR-RUN")
    staff.locator("a", has_text="签到二维码").first.click()
    staff.click("#projector-link")
    expect(staff.locator(".topbar")).to_be_hidden()
    qr = staff.locator("#qr-code")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["height"] >= 0.6 * DESK["height"] and box["y"] + box["height"] <= DESK["height"]  # large, no scroll
    expect(staff.locator("#qr-count")).to_have_text(re.compile(r"^\d+$"))
    _shot(staff, "staff-qr-projector-1366")
    context.close()

    phone_context, phone = _staff(browser, log_in, viewport=PHONE)
    phone.goto(f"{live_server}/staff/cohorts/SH-DIR-RUN")
    session = phone.locator("ul.session-list > li").first
    attendance = session.locator("a", has_text="考勤").get_attribute("href")
    qr_page = session.locator("a", has_text="签到二维码").get_attribute("href")
    phone.goto(f"{live_server}{attendance}")
    expect(phone.locator("#all-present")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "staff-attendance-375")
    phone.goto(f"{live_server}{qr_page}")
    qr = phone.locator("#qr-code")  # (its svg is replaced as the code turns)
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] <= PHONE["width"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "staff-qr-375")
    phone_context.close()
