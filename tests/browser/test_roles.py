"""Each demo account logs in on a phone-sized screen and lands on its role's home page."""
import pytest

from lms.demo import ACCOUNTS

HOME_TITLES = {"admin": "管理工作台", "bureau": "区局工作台", "institution": "机构工作台",
               "grader": "阅卷工作台", "enterprise": "企业工作台", "trainee": "学员首页"}


@pytest.mark.parametrize("username, role", [(a[0], a[2]) for a in ACCOUNTS])
def test_demo_account_sees_its_home_page(page, log_in, username, role):
    log_in(page, username)
    assert page.locator("h1").first.inner_text() == HOME_TITLES[role]
    # nothing wider than the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_wrong_password_shows_the_chinese_message(page, log_in):
    log_in(page, "trainee", "not-the-password1")
    assert "用户名或密码不正确" in page.locator(".flash-error").inner_text()


def test_menu_opens_on_a_phone_and_logs_out(page, log_in, live_server):
    log_in(page, "admin")
    page.click("summary")
    page.click("text=退出")
    page.wait_for_url(f"{live_server}/login")
    assert "您已退出登录" in page.content()
