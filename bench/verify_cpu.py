"""CPU time per request of the verification page, in-process (the WSGI apps called directly:
no server, no network), against the bare endpoint of bench/verify_bare.py on the same
database, and where the page's time goes. A quick way to compare variants of the page
while developing without loading a shared machine the way bench/verify_load.py does; the
load benchmark stays the measure of the target.

    python bench/verify_cpu.py [--certificates 2000] [--requests 3000] [--database-url URL]

Same set-up as verify_load.py (fresh database, 10% unknown numbers, rate limit raised so it
is counted, not hit). Prints CPU milliseconds per request (time.process_time).
"""
from __future__ import annotations

import argparse
import importlib
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fixtures import make_app  # noqa: E402
from verify_load import seed_certificates  # noqa: E402

AGENT = {"User-Agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0"}


def cpu_ms(work, count: int) -> float:
    work()  # warm-up
    started = time.process_time()
    work()
    return (time.process_time() - started) / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    app, _folder, url = make_app(args.database_url, VERIFY_RATE_LIMIT="100000000 per minute")
    from werkzeug.test import EnvironBuilder

    from lms.verify import services
    from lms.extensions import db
    from lms.verify import checklog, fast, views
    from lms.verify.labels import words_for

    with app.app_context():
        pairs = seed_certificates(args.certificates)
        db.session.remove()
    os.environ["DATABASE_URL"] = url
    bare = importlib.import_module("verify_bare").app
    rng = random.Random(7)
    picks = [rng.choice(pairs) for _ in range(args.requests)]
    picks = [(n[:-3] + "ZZZ" if rng.random() < 0.1 else n, t) for n, t in picks]
    n = len(picks)

    def environs(path_of):
        return [EnvironBuilder(path=path_of(number, token), headers=AGENT).get_environ() for number, token in picks]

    def serve(wsgi, prepared):
        def work():
            for environ in prepared:
                b"".join(wsgi(dict(environ), lambda status, headers, exc_info=None: None))
        return work

    page = app.wsgi_app
    results = {
        "bare endpoint": cpu_ms(serve(bare, environs(lambda no, t: f"/bare/{no}")), n),
        "/healthz (main app)": cpu_ms(serve(app, environs(lambda no, t: "/healthz")), n),
        "verification page": cpu_ms(serve(app, environs(lambda no, t: f"/verify/{no}?t={t}")), n),
        "JSON API": cpu_ms(serve(app, environs(lambda no, t: f"/api/v1/certificates/{no}?t={t}")), n),
    }
    engine = page.engine()
    with engine.connect() as connection:
        rows = [row for row in (services.lookup(no, connection) for no, _t in picks) if row is not None]

    def lookups():
        for number, _t in picks:
            with engine.connect() as connection:
                services.lookup(number, connection)

    public = [services.public_view(row, row.token) for row in rows]
    words, urls = words_for(app, None), fast._urls(app, "")
    log = checklog.for_app(app)
    parts = {
        "rate limit (memory)": cpu_ms(lambda: [page.hit_rate_limit("127.0.0.1") for _ in picks], n),
        "lookup (connect, query)": cpu_ms(lookups, n),
        "public view (masking)": cpu_ms(lambda: [services.public_view(row, row.token) for row in rows], len(rows)),
        "template": cpu_ms(lambda: [views.render(app, words, "verify/page.html", url_for=urls, v=view, token="t")
                                    for view in public], len(rows)),
        "queue the check": cpu_ms(lambda: [services.log_check(row, "page", ip="203.0.113.7", user_agent=AGENT[
            "User-Agent"], check_log=log) for row in rows], len(rows)),
    }
    written = checklog.flush_all()
    for name, ms in results.items():
        print(f"{name:24} {ms:.3f} ms CPU per request ({ms / results['bare endpoint']:.2f} x bare)")
    print("parts of the page (each alone, per call):")
    for name, ms in parts.items():
        print(f"  {name:22} {ms:.3f} ms")
    print(f"(check log: {written} rows written at the end)")


if __name__ == "__main__":
    main()
