"""Enterprise HR invites an employee by mobile number; the person opens the link, reads the
privacy notice, signs up with consent and lands in the enterprise; HR sees them. On a phone
(375 x 812) and a laptop (1366 x 768)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

SIZES = {"phone": (375, 812), "laptop": (1366, 768)}


def _context(browser, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _no_sideways_scroll(page, size):
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]


def _open_nav(page, size, label):
    if size == "phone":
        page.click(".menu summary")
    page.click(f".menu nav a:text-is('{label}')")
    page.wait_for_load_state("domcontentloaded")


@pytest.mark.parametrize("size", list(SIZES))
def test_hr_invites_the_person_signs_up_with_consent_and_hr_sees_them(browser, live_server, log_in, size):
    phone, username = ("13712340001", "invited-phone") if size == "phone" else ("13712340002", "invited-laptop")
    hr_context, hr = _context(browser, size)
    log_in(hr, "enterprise")
    _open_nav(hr, size, "员工")
    assert hr.locator("h1").inner_text() == "员工"
    hr.fill("#phone", "1371234")  # a wrong number first: the field says what is wrong
    hr.click("#invite button[type=submit]")
    assert "请填写11位中国大陆手机号码" in hr.locator("#phone-error").inner_text()
    hr.fill("#phone", phone)
    hr.fill("#name", "孙受邀")
    hr.click("#invite button[type=submit]")
    assert "邀请已生成" in hr.locator("#invitation-link").inner_text()
    expect(hr.locator("button[data-copy]")).to_be_visible()  # copy.js shows it (waits for the script)
    link = hr.locator("#invitation-url").input_value()
    assert "/invite/" in link
    _no_sideways_scroll(hr, size)

    person_context, person = _context(browser, size)
    person.goto(live_server + urlsplit(link).path)
    assert person.locator("h1").inner_text() == "接受企业邀请"
    assert "邀请您注册" in person.locator("[data-testid=invited-by]").inner_text()
    assert person.locator("#phone").input_value() == phone
    assert person.locator("#phone").get_attribute("readonly") is not None
    assert person.locator("#phone").get_attribute("inputmode") == "tel"
    assert "保存期限" in person.locator("#privacy-notice").inner_text()
    # everything wrong at once: weak password, mismatch, no consent
    person.fill("#username", username)
    person.fill("#name", "孙受邀")
    person.fill("#password", "short")
    person.fill("#confirm", "other")
    person.click("main button[type=submit]")
    assert "密码至少8位" in person.locator("#password-error").inner_text()
    assert "密码须同时包含字母和数字" in person.locator("#password-error").inner_text()
    assert "两次输入的密码不一致" in person.locator("#confirm-error").inner_text()
    assert "请阅读并同意个人信息处理规则" in person.locator("#consent-error").inner_text()
    _no_sideways_scroll(person, size)
    person.fill("#password", "Invite2026ok")
    person.fill("#confirm", "Invite2026ok")
    person.check("#consent")
    person.click("main button[type=submit]")
    person.wait_for_url(f"{live_server}/my/profile")
    assert "您已加入" in person.locator(".flash-success").inner_text()
    assert person.locator("#enterprise_uscc").input_value() != ""  # the enterprise is filled in
    # the link worked once
    person.goto(live_server + urlsplit(link).path)
    assert person.locator("h1").inner_text() == "邀请链接无效"
    person_context.close()

    hr.goto(f"{live_server}/enterprise/people")
    card = hr.locator(f"article.person[data-user='{username}']")
    assert "孙受邀" in card.inner_text() and "已注册，尚未填写个人资料" in card.inner_text()
    assert "已注册" in hr.locator("table.invitations").inner_text()
    _no_sideways_scroll(hr, size)
    hr_context.close()
