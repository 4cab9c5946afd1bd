"""CPU time per request of the verification page, in-process (Flask test client, no server,
no network), against the bare endpoint of bench/verify_bare.py on the same database. A quick
way to compare variants of the page while developing, without loading the machine the way
bench/verify_load.py does; the load benchmark stays the measure of the target.

    python bench/verify_cpu.py [--certificates 2000] [--requests 3000] [--database-url URL]

Same set-up as verify_load.py (fresh database, 10% unknown numbers, rate limit raised so it
is counted, not hit). Prints CPU milliseconds per request (time.process_time) per endpoint.
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


def per_request(client, paths: list[str], headers: dict) -> float:
    for path in paths[:100]:  # warm-up
        client.get(path, headers=headers)
    started = time.process_time()
    for path in paths:
        client.get(path, headers=headers)
    return (time.process_time() - started) / len(paths) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    app, _folder, url = make_app(args.database_url, VERIFY_RATE_LIMIT="100000000 per minute")
    from lms.extensions import db
    from lms.verify import checklog

    with app.app_context():
        pairs = seed_certificates(args.certificates)
        db.session.remove()
    os.environ["DATABASE_URL"] = url
    bare = importlib.import_module("verify_bare").app
    rng = random.Random(7)
    picks = [rng.choice(pairs) for _ in range(args.requests)]
    picks = [(n[:-3] + "ZZZ" if rng.random() < 0.1 else n, t) for n, t in picks]
    headers = {"User-Agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0"}
    results = {
        "bare endpoint": per_request(bare.test_client(), [f"/bare/{n}" for n, _t in picks], headers),
        "/healthz (main app)": per_request(app.test_client(), ["/healthz"] * len(picks), headers),
        "verification page": per_request(app.test_client(), [f"/verify/{n}?t={t}" for n, t in picks], headers),
        "JSON API": per_request(app.test_client(), [f"/api/v1/certificates/{n}?t={t}" for n, t in picks], headers),
    }
    checklog.flush_all()
    for name, ms in results.items():
        print(f"{name:22} {ms:.3f} ms CPU per request ({ms / results['bare endpoint']:.2f} x bare)")


if __name__ == "__main__":
    main()
