"""The statistics on a desktop (1366x768) and a phone (375x812): the targets' charts are drawn
(the drawing that fits the screen), and a number leads to the list of what it counts."""
import re

import pytest

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def screen(browser):
    contexts = []

    def open_page(viewport):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def _follow_a_number(page, link):
    expected = _number(link.inner_text())
    link.click()
    page.wait_for_load_state("domcontentloaded")
    assert "/reports/list" in page.url
    assert _number(page.locator("#list-total").inner_text()) == expected
    assert page.locator("#list tbody tr").count() == min(max(expected, 1), 50)
    return expected


def _chart_drawn(page, which: str, targets: int):
    charts = page.locator(f"#targets svg.{which}")
    assert charts.count() == targets
    first = charts.first
    assert first.is_visible()
    box = first.bounding_box()
    assert box["width"] > 250 and box["height"] > 150
    points = first.locator("polyline.actual").get_attribute("points").split()
    assert len(points) > 10
    assert first.locator("line.target").count() == 1


def test_the_dashboard_on_a_desktop(screen, log_in, live_server):
    page = log_in(screen(DESKTOP), "admin")
    page.goto(f"{live_server}/reports")
    _chart_drawn(page, "chart-wide", 3)  # the three targets of the seeds
    assert not page.locator("#targets svg.chart-narrow").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    cards = page.locator("article.target")
    assert cards.count() >= 3
    statuses = [cards.nth(i).locator("[data-status]").get_attribute("data-status") for i in range(cards.count())]
    assert set(statuses) <= {"reached", "missed"}  # every seeded deadline has passed
    # the Shanghai row of the yearly table: certified people of a district
    link = page.locator("#by-year tbody tr").last.locator("a.num").nth(3)
    _follow_a_number(page, link)


def test_the_dashboard_on_a_phone(screen, log_in, live_server):
    page = log_in(screen(PHONE), "citybureau")
    first_panel = page.locator(".panel").first
    assert first_panel.get_attribute("data-domain") == "reports"
    tiles = first_panel.locator("a.num")
    assert tiles.count() == 5
    _follow_a_number(page, tiles.first)
    page.goto(f"{live_server}/reports")
    _chart_drawn(page, "chart-narrow", 1)  # Liaoning's, which Shenyang contributes to
    assert not page.locator("#targets svg.chart-wide").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    label = page.locator("#targets svg.chart-narrow text.tick").first
    assert label.bounding_box()["height"] >= 8  # the lettering stays readable at this width
