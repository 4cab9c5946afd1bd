"""On a phone-sized screen, the way into the talent pool: Liaoning HR appoints the certified
`ln-graduate`, he fills in and submits the filing form, HR endorses it, the Shenyang city
bureau accepts it and downloads the summary table (汇总表) with his row in it."""
import io

from openpyxl import load_workbook


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def _sign_out(page):
    page.click("details.menu summary")
    page.click("form[action='/logout'] button")
    page.wait_for_load_state("domcontentloaded")


def test_appoint_file_endorse_accept_and_download_the_summary(page, log_in, live_server):
    log_in(page, "ln-enterprise")
    page.goto(f"{live_server}/enterprise/appointments")
    page.select_option("#person_id", label="陈磊（工艺技术部主管）")
    page.select_option("#post_code", label="标准化专员")
    page.fill("#starts_on", "2026-09-01")
    page.select_option("#full_time", "0")
    page.fill("#document_no", "北装司〔2026〕60号")
    page.click("#appoint button[type=submit]")
    assert "已记录聘任" in page.locator(".flash-success").inner_text()
    assert "陈磊 · 标准化专员" in page.locator("h1").inner_text()
    _no_sideways_scroll(page)
    _sign_out(page)

    log_in(page, "ln-graduate")
    page.goto(f"{live_server}/my/filings")
    page.locator("section.card", has_text="标准化专员").locator("button", has_text="填写信息备案表").click()
    page.wait_for_load_state("domcontentloaded")
    assert "已按系统记录填好" in page.content()
    page.fill("#ethnicity", "汉族")
    page.select_option("#political_status", "masses")
    page.fill("#email", "chenlei@example.cn")
    page.fill("#title_name", "工程师")
    page.fill("#school", "沈阳工业大学")
    page.fill("#work_history-0-start", "2009-07")
    page.fill("#work_history-0-end", "2030-01")  # a month still to come: refused on its row
    page.fill("#work_history-0-employer", "沈阳北方装备集团有限公司（演示）")
    page.fill("#work_history-0-job", "工艺技术部主管")
    page.select_option("#achievements-0-kind", "standard")
    page.fill("#achievements-0-title", "数控机床主轴装配工艺规范")
    page.fill("#achievements-0-number", "Q/BZJ 020-2026")
    page.fill("#achievements-0-role", "主要起草人")
    page.click("button[value=submit]")
    assert "结束年月不能晚于本月" in page.locator("#work-1 .error").inner_text()
    _no_sideways_scroll(page)
    page.fill("#work_history-0-end", "")
    page.click("button[value=submit]")
    assert "备案表已提交，等待企业确认" in page.locator(".flash-success").inner_text()
    assert page.locator("[data-status]").get_attribute("data-status") == "submitted"
    filing_url = page.url
    _sign_out(page)

    log_in(page, "ln-enterprise")
    page.locator("section", has_text="待确认的备案表").locator("a", has_text="陈磊").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url == filing_url
    page.click("button[data-action=endorse]")
    assert "已确认" in page.locator(".flash-success").inner_text()
    _sign_out(page)

    log_in(page, "citybureau")
    page.goto(f"{live_server}/talent")
    page.locator("#awaiting a", has_text="陈磊").click()
    page.wait_for_load_state("domcontentloaded")
    page.click("button[data-action=accept]")
    assert "已受理" in page.locator(".flash-success").inner_text()
    filing_no = page.locator("#filing-no").inner_text()
    assert filing_no.startswith("210100-")
    _no_sideways_scroll(page)

    page.goto(f"{live_server}/talent")
    with page.expect_download() as download:
        page.click("#summary button[type=submit]")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = {row[2]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[2]}
    assert rows["陈磊"][10] == "标准化专员" and rows["陈磊"][11] == "兼职"
    assert sheet["A2"].value == "填报单位（盖章）：沈阳市市场监督管理局"
