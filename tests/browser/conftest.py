"""Browser tests: Playwright (Python) driving Debian's Chromium against a live server.

The server runs the app in a thread on 127.0.0.1 with CSRF on and the demo data loaded.
A failing test leaves a screenshot in tests/browser/artifacts/.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lms.extensions import db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
PHONE = {"width": 375, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} "
                                                        "(apt-get install -y chromium; .ci/run does this)"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash.setdefault("failed", False)
        item.stash["failed"] = report.failed


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from lms.demo import seed_demo
    from tests.conftest import _wipe, build_app

    app = build_app(tmp_path_factory, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        _wipe()
        seed_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        _wipe()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if request.node.stash.get("failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def log_in(live_server):
    def do(page, username: str, password: str = "Demo@2026"):
        page.goto(f"{live_server}/login")
        page.fill("#username", username)
        page.fill("#password", password)
        with page.expect_navigation():  # the form posts: wait for its answer, not the login page's own load state
            page.click("main button[type=submit]")
        return page

    return do
