"""Continuing education in Chromium: the institution uploads a short video lesson (3 s minimum)
and watches the upload progress; on a phone, the graduate plays it to completion, is told the
course's hours were credited, and finds them in their yearly hours."""
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import PHONE

SAMPLE = Path(__file__).resolve().parents[2] / "lms" / "ce" / "sample" / "lesson.webm"
TITLE = "浏览器测试课程：三秒课时"


def test_a_phone_watches_a_short_lesson_to_completion_and_sees_the_hours(page, browser, log_in, live_server):
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    staff = desk.new_page()
    staff.set_default_timeout(15_000)
    log_in(staff, "institution")
    staff.goto(f"{live_server}/ce/courses/new")
    staff.fill("#title", TITLE)
    staff.select_option("#category", "public")
    staff.fill("#hours", "1.5")
    staff.click("main form button[type=submit]")
    expect(staff.locator("h1")).to_have_text(TITLE)
    staff.fill("#lesson-upload #title", "三秒示例视频")
    staff.select_option("#lesson-upload #kind", "video")
    staff.fill("#lesson-upload #min_seconds", "3")
    staff.set_input_files("#lesson-upload #file", str(SAMPLE))
    staff.click("#lesson-upload button[type=submit]")
    expect(staff.locator("li.lesson", has_text="三秒示例视频").locator(".badge")).to_have_text("已上传")
    staff.click("a:has-text('编辑课程')")
    staff.check("input[name=published]")
    staff.click("main form button[type=submit]")
    expect(staff.locator(".badge").first).to_have_text("已发布")
    desk.close()

    log_in(page, "graduate")
    page.goto(f"{live_server}/ce/courses")
    page.click(f"a:has-text('{TITLE}')")
    page.click("a:has-text('三秒示例视频')")
    video = page.locator("#lesson-video")
    expect(video).to_be_visible()
    video.evaluate("v => { v.muted = true; return v.play(); }")
    state = page.locator("#lesson-state")
    expect(state).to_have_text("课程已完成，已记入 1.5 学时", timeout=30_000)
    assert float(page.locator("#lesson-seconds").inner_text()) >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server}/ce")
    expect(page.locator(".credit", has_text=TITLE)).to_contain_text("1.5 学时")
