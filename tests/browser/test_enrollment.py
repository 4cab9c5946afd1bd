"""On a phone-sized screen: a new trainee fills the profile, applies and sees the eligibility
tree; the institution approves; an enrolled trainee checks in through the session QR URL."""
import itertools

from playwright.sync_api import expect
from sqlalchemy import select

from lms.core.ids import id_check_char
from lms.demo import demo_uscc
from lms.enrollment.checkin import is_open
from lms.enrollment.models import Cohort
from lms.extensions import db

_n = itertools.count(1)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_trainee_applies_and_the_institution_approves(page, browser, log_in, live_server):
    n = next(_n)
    page.goto(f"{live_server}/register")
    page.fill("#username", f"newbie{n}")
    page.fill("#name", "周新学")
    page.fill("#phone", "13700000001")
    page.fill("#password", "Str0ng!Pass")
    page.fill("#confirm", "Str0ng!Pass")
    page.check("#consent")  # the privacy notice, agreed to
    page.click("main button[type=submit]")
    page.wait_for_load_state("domcontentloaded")

    page.goto(f"{live_server}/my/profile")
    first17 = f"31010519880808{n:03d}"
    page.fill("#name", "周新学")
    page.select_option("#gender", "male")
    right = id_check_char(first17)
    page.fill("#id_number", first17 + ("1" if right != "1" else "2"))  # a wrong check character first
    page.fill("#phone", "13700000001")
    page.fill("#enterprise_uscc", demo_uscc("310105", 101))
    page.fill("#position", "标准化工程师")
    page.select_option("#position_level", "staff")
    page.select_option("#education", "bachelor")
    page.fill("#major", "自动化")
    page.select_option("#title_level", "junior")
    page.fill("#standardization_years", "4")
    page.select_option("#appointment_status", "prospective")
    page.click("form[novalidate] button[type=submit]")
    assert "校验位不正确" in page.locator(".has-error").first.inner_text()
    page.fill("#id_number", first17 + right)
    page.click("form[novalidate] button[type=submit]")
    assert "个人资料已保存" in page.locator(".flash-success").inner_text()
    _no_sideways_scroll(page)

    page.goto(f"{live_server}/cohorts")
    card = page.locator("section.cohort", has_text="报名中")
    card.locator("button", has_text="报名").click()
    page.wait_for_load_state("domcontentloaded")
    verdict = page.locator(".verdict").inner_text()  # the programme's rule tree, each condition marked
    assert "需人工审核" in verdict
    assert "需人工判断的条件：具有与所从事行业相关的学历背景" in verdict
    assert "✓ 满足 标准化工作年限3年以上（当前：4年）" in verdict
    assert "上传能证明的材料" in page.locator("#next-step").inner_text()
    _no_sideways_scroll(page)

    staff = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN").new_page()
    log_in(staff, "institution")
    staff.goto(f"{live_server}/staff/cohorts/SH-DIR-OPEN/applications")
    staff.click("text=周新学")
    staff.fill("#note", "经审核学历与行业相关")
    staff.click("button[value=approve]")
    staff.wait_for_load_state("domcontentloaded")
    assert "已处理：已录取" in staff.locator(".flash-success").inner_text()
    staff.context.close()

    page.reload()
    assert "已录取" in page.locator(".status-approved").first.inner_text()
    page.click("summary")  # the phone menu
    assert page.locator(".unread-count").inner_text() == "1"
    page.click("nav >> text=通知")
    assert "恭喜，您已被录取" in page.locator(".notification").first.inner_text()


def test_enrolled_trainee_checks_in_through_the_qr_url(page, browser, log_in, live_server, app):
    with app.app_context():
        running = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-RUN"))
        session_id = next(s.id for s in running.sessions if is_open(s))
        db.session.remove()

    projector = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    log_in(projector, "institution")
    projector.goto(f"{live_server}/staff/sessions/{session_id}/qr")
    assert projector.locator("#qr-code svg").count() == 1
    expect(projector.locator("#qr-count")).not_to_have_text("—")  # the JS refresh ran
    checkin_url = projector.locator("#qr-link").get_attribute("href")
    assert f"/checkin/{session_id}/" in checkin_url

    log_in(page, "trainee")
    page.goto(checkin_url)
    assert "签到成功" in page.locator(".flash-success").inner_text()
    _no_sideways_scroll(page)
    page.goto(checkin_url)
    assert "您已签到" in page.locator(".flash-info").inner_text()
    page.goto(checkin_url.rsplit("/", 1)[0] + "/ffffffffffffffffffffffff")
    assert "不是本课次的签到码" in page.locator(".flash-error").inner_text()

    expect(projector.locator("#qr-count")).to_have_text("1", timeout=15_000)
    projector.context.close()


def test_wide_screens_show_the_navigation(browser, log_in, live_server):
    wide = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    log_in(wide, "institution")
    assert wide.locator("nav a", has_text="班次").is_visible()  # no menu button to press on a desktop
    wide.context.close()
