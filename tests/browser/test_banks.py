"""Question banks in the browser (phone width): edit a question and watch the live preview."""
from playwright.sync_api import expect


def test_institution_staff_edit_a_question_and_see_the_trainee_preview(page, log_in, live_server):
    log_in(page, "institution")
    page.goto(f"{live_server}/banks")
    page.click("text=机构练习题")
    page.fill("input[name=q]", "SH-0009")
    page.click("form.filters button[type=submit]")
    page.click("a.question-link:has-text('SH-0009')")
    preview = page.locator("#preview")
    expect(preview.locator("input.blank")).to_have_count(1)
    assert "科学技术研究成果" not in preview.inner_html()  # the answer is not in the trainee view

    page.fill("#stem", "制定标准应当在____和____的基础上，深入调查论证。")
    expect(preview).to_contain_text("深入调查论证", timeout=5000)
    expect(preview.locator("input.blank")).to_have_count(2)
    expect(page.locator("#preview-problems")).to_contain_text("2 个空")
    page.fill("#answer", "科学技术研究成果；社会实践经验")
    expect(page.locator("#preview-problems li")).to_have_count(0)

    page.select_option("#type", "single")  # options and the answer as fields: a row per option
    expect(page.locator("#option-fields")).to_be_visible()
    expect(page.locator("#options")).to_be_hidden()  # the text notation waits under its disclosure
    page.fill("#option-0", "科学技术研究成果")
    page.fill("#option-1", "领导意见")
    page.fill("#stem", "制定标准应当在什么的基础上深入调查论证？")
    page.check("#correct-0")
    expect(preview.locator("input[type=radio]")).to_have_count(2)
    expect(preview).to_contain_text("领导意见")

    page.click("form#question-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("第 2 版")
    expect(page.locator("#preview input[type=radio]")).to_have_count(2)
    expect(page.locator("#option-1")).to_have_value("领导意见")
    expect(page.locator("#correct-0")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_shared_banks_are_read_only_for_institution_staff(page, log_in, live_server):
    log_in(page, "institution")
    page.goto(f"{live_server}/banks")
    expect(page.locator("table")).to_contain_text("std-law")
    page.click("text=企业标准化总监与首席标准官制度")
    expect(page.locator("text=新增试题")).to_have_count(0)
    page.click("a.question-link >> nth=0")
    expect(page.locator("#question-form button[type=submit]")).to_have_count(0)
    expect(page.locator("#preview fieldset.question")).to_have_count(1)


def test_question_list_and_import_page_fit_a_phone(page, log_in, live_server):
    log_in(page, "admin")
    page.goto(f"{live_server}/banks")
    page.click("text=企业标准化总监与首席标准官制度")
    expect(page.locator(".question-list li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(f"{live_server}/banks/import")
    expect(page.locator("h1")).to_have_text("导入试题")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
