"""The public verification page under load, against a bare Flask endpoint doing the same
indexed lookup, in the same run, both under gunicorn on 127.0.0.1.

    python bench/verify_load.py [--certificates 5000] [--requests 3000] [--clients 8]
                                [--workers 2] [--threads 1] [--rounds 3] [--database-url URL]

Set-up: a fresh database (a new SQLite file, or the EMPTY PostgreSQL database given) with
`--certificates` certificate rows. Each round sends `--requests` GETs with `--clients`
concurrent client processes, first to the bare endpoint, then to `/verify/<no>?t=<token>`
(what a phone opens after a scan: rate limit check, one indexed lookup, masking, template,
the check queued for the log's batch writer), alternating which goes first. Numbers are drawn at random (10% unknown).
The rate limit is raised for the run (VERIFY_RATE_LIMIT) so that it is measured, not hit.
The load generator runs on the same machine and takes CPU from both servers alike.
"""
from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from fixtures import make_app, seed_cohort  # noqa: E402


def seed_certificates(count: int) -> list[tuple[str, str]]:
    """Certificate rows (files are not needed by the page); returns (number, token) pairs."""
    from lms.certificates.models import Certificate
    from lms.certificates.numbers import new_cert_no
    from lms.enrollment.models import Application
    from lms.extensions import db
    from sqlalchemy import select

    cohort = seed_cohort(min(count, 200))
    applications = db.session.scalars(select(Application)).all()
    program, institution = cohort.program, cohort.institution
    pairs, rows = [], []
    for n in range(count):
        application = applications[n % len(applications)]
        number = new_cert_no("SH", 2026, n + 1)
        token = f"eyJhbGciOiJFZERTQSJ9.{n:08d}.sig"
        rows.append(dict(cert_no=number, version=1, status="valid" if n < len(applications) else "superseded",
                         application_id=application.id, cohort_id=cohort.id, user_id=application.user_id,
                         program_id=program.id, institution_id=institution.id, holder_name="张三明",
                         holder_gender="male", holder_id_number="110105199001011234", program_code=program.code,
                         program_title=program.title, institution_code=institution.code,
                         institution_name=institution.name, hours=40.0, modules=[], issued_on=date(2026, 3, 5),
                         valid_until=date(2029, 3, 4), template="director", token=token,
                         pdf_path=f"2026/{number}.pdf", pdf_sha256=f"{n:064x}", pdf_size=43000,
                         revoked_reason="", reissue_reason=""))
        pairs.append((number, token))
    db.session.execute(Certificate.__table__.insert(), rows)
    db.session.commit()
    return pairs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app_spec: str, port: int, workers: int, env: dict, chdir: Path, threads: int = 1
                   ) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}",
                                "--chdir", str(chdir), "--log-level", "warning", app_spec], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn {app_spec} did not start")


def _client(job: tuple[int, list[str]]) -> tuple[int, dict[int, int], float]:
    port, paths = job
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for path in paths:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"User-Agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0"})
        response = connection.getresponse()
        response.read()
        statuses[response.status] = statuses.get(response.status, 0) + 1
        connection.close()
    return len(paths), statuses, time.perf_counter() - started


def load(pool: Pool, port: int, paths: list[str], clients: int) -> tuple[float, dict[int, int]]:
    shares = [(port, paths[i::clients]) for i in range(clients)]
    started = time.perf_counter()
    results = pool.map(_client, shares)
    elapsed = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for _n, got, _t in results:
        for status, n in got.items():
            statuses[status] = statuses.get(status, 0) + n
    return len(paths) / elapsed, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn --threads (gthread workers when > 1)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    app, folder, url = make_app(args.database_url)
    from lms.extensions import db

    with app.app_context():
        pairs = seed_certificates(args.certificates)
        db.session.remove()
        db.engine.dispose()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench", LMS_INSTANCE_PATH=str(folder / "instance"),
               VERIFY_RATE_LIMIT="100000000 per minute", REDIS_URL="", PYTHONPATH=str(ROOT))
    bare_port, full_port = free_port(), free_port()
    servers = [start_gunicorn("verify_bare:app", bare_port, args.workers, env, HERE, args.threads),
               start_gunicorn("wsgi:app", full_port, args.workers, env, ROOT, args.threads)]
    rng = random.Random(7)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"database {url.split(':', 1)[0]}, {args.certificates} certificates, gunicorn -w {args.workers} "
          f"--threads {args.threads}, "
          f"{args.clients} clients, load average {os.getloadavg()[0]:.2f}")
    answered = 0
    try:
        with Pool(args.clients) as pool:
            load(pool, bare_port, [f"/bare/{pairs[0][0]}"] * 50, args.clients)  # warm-up
            load(pool, full_port, [f"/verify/{pairs[0][0]}"] * 50, args.clients)
            ratios = []
            for round_no in range(1, args.rounds + 1):
                picks = []
                for _ in range(args.requests):
                    number, token = rng.choice(pairs)
                    if rng.random() < 0.1:
                        number = number[:-3] + "ZZZ"  # unknown
                    picks.append((number, token))
                bare_paths = [f"/bare/{n}" for n, _t in picks]
                full_paths = [f"/verify/{n}?t={t}" for n, t in picks]
                if round_no % 2:  # alternate which goes first, so drift in the machine's load evens out
                    bare_rate, bare_status = load(pool, bare_port, bare_paths, args.clients)
                    full_rate, full_status = load(pool, full_port, full_paths, args.clients)
                else:
                    full_rate, full_status = load(pool, full_port, full_paths, args.clients)
                    bare_rate, bare_status = load(pool, bare_port, bare_paths, args.clients)
                ratios.append(full_rate / bare_rate)
                answered += full_status.get(200, 0)
                print(f"round {round_no}: bare {bare_rate:.0f} req/s {bare_status}; verification page "
                      f"{full_rate:.0f} req/s {full_status}; page/bare = {full_rate / bare_rate:.0%}")
            print(f"page/bare over {args.rounds} rounds: {min(ratios):.0%} – {max(ratios):.0%}, "
                  f"median {statistics.median(ratios):.0%}; load average after {os.getloadavg()[0]:.2f}")
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    with app.app_context():  # the workers wrote their last queued checks as they exited
        from lms.certificates.models import VerificationEvent
        from sqlalchemy import func, select

        logged = db.session.scalar(select(func.count()).select_from(VerificationEvent))
        db.engine.dispose()
    print(f"check log: {logged} rows for {answered + 50} page answers (warm-up included)")


if __name__ == "__main__":
    main()
