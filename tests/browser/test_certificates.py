"""On a phone-sized screen: the institution batch-issues the finished cohort and watches the
progress bar reach 100%; the graduate downloads the PDF; the verification page fits the phone."""
import pymupdf
from playwright.sync_api import expect

from tests.browser.conftest import PHONE


def test_batch_issue_download_and_verify(page, browser, log_in, live_server, tmp_path):
    log_in(page, "institution")
    page.goto(f"{live_server}/staff/cohorts/SH-DIR-DONE/certificates")
    expect(page.locator("td", has_text="李静怡")).to_be_visible()
    page.click("#batch-issue")
    expect(page.locator("#job-bar")).to_have_attribute("value", "100", timeout=30_000)
    expect(page.locator("#job-percent")).to_have_text("100")
    expect(page.locator("#job-zip")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    graduate = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    phone = graduate.new_page()
    log_in(phone, "graduate")
    phone.goto(f"{live_server}/me/certificates")
    card = phone.locator("section.certificate").first
    expect(card.locator(".badge")).to_have_text("有效")
    with phone.expect_download() as download:
        card.locator("a", has_text="下载 PDF").click()
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    assert "李静怡" in pymupdf.open(saved)[0].get_text()
    share = card.locator("input.share-link").input_value()
    assert "/verify/" in share and "?t=" in share

    viewer = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()  # an employer, not logged in
    viewer.goto(live_server + share[share.index("/verify/"):])
    expect(viewer.locator("#status")).to_have_text("有效")
    expect(viewer.locator("#holder")).to_have_text("李*怡")
    expect(viewer.locator("#token")).to_contain_text("一致")
    assert viewer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    size = viewer.locator("#status").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 32  # the status in large type
    graduate.close()
    viewer.context.close()


def test_a_forged_qr_code_shows_the_suspect_verdict_never_the_green_box(browser, log_in, live_server):
    holder = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN").new_page()
    log_in(holder, "graduate")
    holder.goto(f"{live_server}/me/certificates")
    share = holder.locator("section.certificate input.share-link").first.input_value()
    holder.context.close()
    path = share[share.index("/verify/"):]
    forged = path[:path.index("?t=")] + "?t=" + "eyJhbGciOiJFZERTQSJ9.eyJubyI6IngifQ.AAAA"

    employer = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN").new_page()
    employer.goto(live_server + forged)
    verdict = employer.locator("#verdict")
    expect(verdict).to_have_attribute("data-verdict", "suspect")
    expect(employer.locator("#status")).to_have_text("存疑")
    expect(employer.locator("#suspect-reasons")).to_contain_text("二维码与发证机构的记录不一致")
    expect(employer.locator("#advice")).to_contain_text("联系发证机构")
    assert employer.locator(".v-valid").count() == 0 and employer.get_by_text("有效", exact=True).count() == 0
    colour = verdict.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour != "rgb(233, 247, 238)"  # not the valid box's green
    assert employer.evaluate("document.documentElement.scrollWidth") <= 375
    assert verdict.bounding_box()["y"] < 812  # the verdict is on the first screen

    employer.click("text=English")  # the language switch works for an anonymous visitor, token kept
    expect(employer.locator("#status")).to_have_text("Suspect")
    expect(employer.locator("#verdict")).to_have_attribute("data-verdict", "suspect")
    assert "lang=en" in employer.url and "t=" in employer.url
    employer.context.close()
