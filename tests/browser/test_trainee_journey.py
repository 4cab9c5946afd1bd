"""The trainee's day on a 375 × 812 phone and a 1366 × 768 laptop: the timetable with today's
session first, the 开班须知 and the .ics; an ineligible application drawn as the programme's rule
tree with what failed first and what to do next."""
from __future__ import annotations

import itertools
from pathlib import Path

from playwright.sync_api import expect

from lms.core.ids import id_check_char
from lms.demo import demo_uscc

SIZES = ({"width": 375, "height": 812}, {"width": 1366, "height": 768})
_n = itertools.count(1)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_timetable_today_first_with_the_notice_and_the_calendar(browser, log_in, live_server):
    for size in SIZES:
        page = browser.new_context(viewport=size, locale="zh-CN").new_page()
        log_in(page, "trainee")
        page.goto(f"{live_server}/my/timetable")
        table = page.locator("#timetable-SH-DIR-RUN")
        first = table.locator(".tt-entry").first
        expect(first).to_have_class("tt-entry tt-today")  # today's session before every other
        expect(first.locator(".tt-today-badge")).to_have_text("今天")
        expect(first.locator(".tt-where")).to_contain_text("上海市长宁区示范路100号")
        expect(table.locator(".tt-time").first).to_have_text("00:05–23:55")
        expect(table.locator("#admission-notice-SH-DIR-RUN")).to_contain_text("首次课前 15 分钟")
        expect(table.locator(".tt-past summary")).to_contain_text("已结束的课次")
        _fits(page, size["width"])
        link = table.locator("#ics-SH-DIR-RUN")
        with page.expect_download() as download:
            link.click()
        body = Path(download.value.path()).read_text(encoding="utf-8")
        assert body.startswith("BEGIN:VCALENDAR") and body.count("BEGIN:VEVENT") == table.locator(".tt-entry").count()
        # the enrolled cohort's first session has begun: its attendance rate is judged
        page.goto(f"{live_server}/my/applications")
        page.locator("a", has_text="标准化总监高级研修班（在读）").first.click()
        expect(page.locator("#attendance-requirement")).not_to_contain_text("第一次课开始后统计出勤")
        expect(page.locator("#admission-notice")).to_contain_text("报到")
        _fits(page, size["width"])
        page.context.close()


def _register_with_a_thin_profile(page, live_server) -> None:
    n = next(_n)
    page.goto(f"{live_server}/register")
    page.fill("#username", f"junior{n}")
    page.fill("#name", "孙初级")
    page.fill("#phone", "13700000002")
    page.fill("#password", "Str0ng!Pass")
    page.fill("#confirm", "Str0ng!Pass")
    page.click("main button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    page.goto(f"{live_server}/my/profile")
    first17 = f"31010519950101{n + 500:03d}"
    page.fill("#name", "孙初级")
    page.select_option("#gender", "female")
    page.fill("#id_number", first17 + id_check_char(first17))
    page.fill("#phone", "13700000002")
    page.fill("#enterprise_uscc", demo_uscc("310105", 101))
    page.fill("#position", "技术员")
    page.select_option("#position_level", "staff")
    page.select_option("#education", "bachelor")
    page.fill("#major", "自动化")
    page.select_option("#title_level", "junior")
    page.fill("#standardization_years", "1")
    page.select_option("#appointment_status", "prospective")
    page.click("form[novalidate] button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("个人资料已保存")


def test_an_ineligible_application_shows_the_tree_what_failed_first_and_what_next(browser, live_server):
    page = browser.new_context(viewport=SIZES[0], locale="zh-CN").new_page()
    _register_with_a_thin_profile(page, live_server)
    page.goto(f"{live_server}/cohorts")
    page.locator("section.cohort", has_text="报名中").locator("button", has_text="报名").click()
    page.wait_for_load_state("domcontentloaded")
    verdict = page.locator("#eligibility")
    expect(verdict.locator("strong").first).to_have_text("不符合任职条件")
    expect(page.locator("#first-unmet-text")).to_have_text("首先未满足的条件：标准化工作年限3年以上（当前：1年）")
    first = page.locator(".rule-first-leaf")
    expect(first).to_have_count(1)
    expect(first).to_contain_text("✗ 未满足 标准化工作年限3年以上（当前：1年）")
    # the whole tree the programme page draws: both groups, every condition marked
    expect(verdict.locator(".rule-op")).to_have_count(4)
    expect(verdict.locator(".rule-mark")).to_have_count(9)
    expect(verdict.locator(".rule-mark-review", has_text="待人工审核")).to_have_count(2)
    expect(page.locator("#next-step")).to_contain_text("标准化工作年限")
    expect(page.locator("#next-step a")).to_have_attribute("href", "/my/profile")
    _fits(page, 375)
    url = page.url
    for size in SIZES[1:]:
        page.set_viewport_size(size)
        page.goto(url)
        expect(page.locator(".rule-first-leaf")).to_be_visible()
        _fits(page, size["width"])
    page.context.close()
