"""Everywhere: every control has a label (read as Chromium computes its accessible name), the
skip link leads to the content, and focus rings stand out at least 3:1 from what is around them."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

ACCOUNTS = ["trainee", "graduate", "enterprise", "institution", "grader", "bureau", "admin", "citybureau"]
PUBLIC = ["/", "/login", "/register", "/privacy", "/password/forgot", "/cohorts"]

# Every <details> opened (the phone menu, confirmations), then the shown controls whose accessible
# name Chromium computes as empty (type=hidden and controls a page keeps hidden are not shown)
UNLABELED = """async () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  await new Promise(requestAnimationFrame);
  return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, [role=button]')]
    .filter(el => el.checkVisibility() && !(el.computedName || '').trim())
    .map(el => el.outerHTML.slice(0, 160));
}"""


@pytest.fixture(scope="module")
def a11y_browser(browser):
    """A second Chromium of the session's Playwright that exposes computed accessible names."""
    chromium = browser.browser_type.launch(executable_path=CHROMIUM,
                                           args=CHROMIUM_ARGS + ["--enable-blink-features=ComputedAccessibilityInfo"])
    yield chromium
    chromium.close()


def _page(browser, width=375, height=812):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "Demo@2026")
    page.click("main button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def _nav_paths(page, base) -> list[str]:
    hrefs = page.eval_on_selector_all(".menu nav a", "links => links.map(a => a.href)")
    return [urlsplit(h).path for h in hrefs if h.startswith(base)]


def test_every_control_of_the_main_pages_has_a_label(a11y_browser, live_server):
    unlabeled = {}
    context, page = _page(a11y_browser)
    for path in PUBLIC:
        page.goto(f"{live_server}{path}")
        if found := page.evaluate(UNLABELED):
            unlabeled[path] = found
    context.close()
    walked = set(PUBLIC)
    for username in ACCOUNTS:
        context, page = _page(a11y_browser)
        _sign_in(page, live_server, username)
        for path in ["/", *_nav_paths(page, live_server), "/account"]:
            page.goto(f"{live_server}{path}")
            walked.add(path)
            if found := page.evaluate(UNLABELED):
                unlabeled[f"{username} {path}"] = found
        context.close()
    assert len(walked) > 30  # the walk reached the roles' pages
    assert unlabeled == {}


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def _contrast(a: str, b: str) -> float:
    def luminance(rgb):
        parts = [c / 255 for c in rgb]
        parts = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]
    hi, lo = sorted((luminance(_rgb(a)), luminance(_rgb(b))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


FOCUS = """el => { const s = getComputedStyle(el); let p = el.parentElement, bg = 'rgba(0, 0, 0, 0)';
  while (p && (bg = getComputedStyle(p).backgroundColor) === 'rgba(0, 0, 0, 0)') p = p.parentElement;
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, around: bg}; }"""


@pytest.mark.parametrize("width, height", [(375, 812), (1366, 768)])
def test_skip_link_and_focus_rings(a11y_browser, live_server, width, height):
    context, page = _page(a11y_browser, width, height)
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement") and skip.inner_text() == "跳到主要内容"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10  # visible once focused
    ring = skip.evaluate(FOCUS)
    assert ring["style"] != "none" and ring["width"] >= 2
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main" and page.url.endswith("#main")

    # a field on the page, and a link on the blue top bar
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "username":
            break
        page.keyboard.press("Tab")
    field = page.locator("#username").evaluate(FOCUS)
    assert field["style"] != "none" and field["width"] >= 2 and _contrast(field["color"], field["around"]) >= 3
    page.focus(".brand")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    brand = page.locator(".brand").evaluate(FOCUS)
    assert brand["style"] != "none" and _contrast(brand["color"], brand["around"]) >= 3
    context.close()
