"""Regenerate the screenshots of the main pages in docs/screens/ (README links them).

    .venv/bin/python scripts/screens.py            # or: make screens
    .venv/bin/python scripts/screens.py --only hr-people register

Starts the app with the demo data on a throw-away SQLite database (a temporary instance folder,
nothing of instance/ is touched) on a free local port, drives Debian's Chromium through
Playwright (CHROMIUM_PATH, default /usr/bin/chromium; never `playwright install`) and writes one
PNG per page and screen size: a phone (375 x 812) and a laptop (1366 x 768). Each shot is the
first screen of the page as a user sees it (a few pages whole, up to 2,400 px), saved as a 256-colour PNG to keep the repository small.
A development tool, like bench/: not part of the app, and not run by the test suite.
"""
from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {"phone": {"width": 375, "height": 812}, "laptop": {"width": 1366, "height": 768}}


def _invite(page, base):
    """HR creates an invitation, so its page shows the link to send."""
    page.fill("#phone", "13712345678")
    page.fill("#name", "孙晓华")
    page.click("#invite button[type=submit]")
    page.wait_for_selector("#invitation-url")


def _verify_path(page, base):
    page.goto(f"{base}/me/certificates")
    href = page.locator("a[href*='/verify/']").first.get_attribute("href")
    return urlsplit(href).path  # the share link is built from PUBLIC_BASE_URL


# name, account (None: signed out), path (or a function of the signed-in page giving it), what to do
# first, and whether to take the whole page (up to MAX_HEIGHT) rather than the first screen
PAGES = [
    ("landing", None, "/", None, False),
    ("register", None, "/register", None, True),
    ("trainee-home", "trainee", "/", None, False),
    ("trainee-exams", "trainee", "/my/exams", None, False),
    ("graduate-certificates", "graduate", "/me/certificates", None, False),
    ("verify", "graduate", _verify_path, None, False),
    ("hr-people", "enterprise", "/enterprise/people", _invite, True),
    ("institution-home", "institution", "/", None, False),
]
MAX_HEIGHT = 2400


def use_vendored_cjk_font(folder: Path) -> None:
    """Chromium finds fonts through fontconfig: add the CJK font the certificates ship
    (certificate_templates/fonts, WenQuanYi Micro Hei) so Chinese renders on a machine without one."""
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{ROOT / "certificate_templates" / "fonts"}</dir>
  <cachedir>{folder / "fontcache"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(conf)


def start_server(instance: Path):
    os.environ["LMS_INSTANCE_PATH"] = str(instance)
    from werkzeug.serving import make_server

    from lms import create_app
    from lms.demo import seed_demo
    from lms.extensions import db

    app = create_app({"SECRET_KEY": "screens", "DATABASE_URL": f"sqlite:///{instance / 'screens.sqlite3'}",
                      "REDIS_URL": "", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024,
                      "LOGIN_RATE_LIMIT": "1000 per minute"})
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def save_small(png: bytes, path: Path) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path.stat().st_size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    parser.add_argument("--only", nargs="*", help="page names (default: all)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = [p for p in PAGES if not args.only or p[0] in args.only]

    from playwright.sync_api import sync_playwright

    from lms.demo import DEMO_PASSWORD

    with tempfile.TemporaryDirectory(prefix="lms-screens-") as tmp:
        use_vendored_cjk_font(Path(tmp))
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        logging.getLogger("lms.accounts.invitations").setLevel(logging.ERROR)
        server, base = start_server(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=[
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--no-first-run", "--hide-scrollbars"])
                for size_name, viewport in SIZES.items():
                    for name, account, path, before, full in pages:
                        context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
                        page = context.new_page()
                        page.set_default_timeout(15_000)
                        if account:
                            page.goto(f"{base}/login")
                            page.fill("#username", account)
                            page.fill("#password", DEMO_PASSWORD)
                            page.click("main button[type=submit]")
                            page.wait_for_load_state("domcontentloaded")
                        target = path(page, base) if callable(path) else path
                        page.goto(f"{base}{target}")
                        if before:
                            before(page, base)
                        page.wait_for_load_state("networkidle")
                        file = out / f"{name}-{size_name}.png"
                        if full:
                            height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
                            shot = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": viewport["width"],
                                                                         "height": height})
                        else:
                            shot = page.screenshot()
                        size = save_small(shot, file)
                        print(f"{file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}  {size // 1024} KiB")
                        context.close()
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
