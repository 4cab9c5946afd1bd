"""The load generator's plumbing: per-trainee HTTP connections, latency records, an open-loop
scheduler, a closed-loop driver and starting gunicorn."""
from __future__ import annotations

import http.client
import itertools
import json
import os
import platform
import queue
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


# ---- HTTP --------------------------------------------------------------------------------

class Http:
    """One keep-alive connection per key, like one phone per trainee: connections are opened as
    trainees arrive, so gunicorn's workers share them out (a few long-lived connections opened at
    once would all land on one worker). A key is never used by two threads at the same time; an
    idle connection the server dropped is reopened once."""

    def __init__(self, port: int):
        self.port = port
        self.connections: dict[object, http.client.HTTPConnection] = {}

    def call(self, method: str, path: str, body=None, token: str | None = None, key: object = None,
             only: str | None = None, extra: dict | None = None):
        """(status, the JSON reply, seconds). `only`: the name of one top-level string field to pick out
        of the reply instead of parsing it (a submit's reply is the whole paper, ~25 kB: parsing it
        cost the load generator, which shares the server's cores, ~0.2 ms a request); the reply is
        then {only: value}."""
        key = key if key is not None else threading.get_ident()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        headers.update(extra or {})
        payload = json.dumps(body).encode() if body is not None else None
        for attempt in (1, 2):
            connection = self.connections.get(key)
            if connection is None:
                connection = self.connections[key] = http.client.HTTPConnection(HOST, self.port, timeout=60)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                self.connections.pop(key, None)
                if attempt == 2:
                    return 599, None, time.perf_counter() - started
                continue
            elapsed = time.perf_counter() - started
            if only is not None:
                found = re.search(b'"' + only.encode() + b'":"([^"]*)"', data or b"")
                return response.status, {only: found[1].decode() if found else None}, elapsed
            try:
                parsed = json.loads(data) if data else None
            except ValueError:
                parsed = None
            return response.status, parsed, elapsed
        raise AssertionError("unreachable")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.rows: dict[str, list[tuple[float, int, float]]] = {}

    def add(self, phase: str, latency: float, status: int, at: float) -> None:
        """`latency` of one request answered at `at`. A request of run_schedule() counts from when it
        was due, not from when a client thread was free to send it: an open-loop arrival that waited
        for the load generator waited all the same (no coordinated omission)."""
        due = getattr(_due, "at", None)
        if due is not None:
            latency = max(latency, time.time() - due)
        with self.lock:
            self.rows.setdefault(phase, []).append((latency, status, at))

    def summary(self, phase: str) -> dict:
        rows = self.rows.get(phase, [])
        if not rows:
            return {"requests": 0}
        latencies = sorted(r[0] for r in rows)

        def pct(p):
            return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 1)

        statuses = Counter(r[1] for r in rows)
        return {"requests": len(rows), "statuses": dict(statuses),
                "errors": sum(n for s, n in statuses.items() if s >= 500 or s in (0, 599)),
                "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": round(latencies[-1] * 1000, 1),
                "last_done_s": round(max(r[2] for r in rows), 2)}

    def timeline(self, phase: str, step: float = 0.5) -> list[list]:
        """Per `step` seconds of arrivals: [from s, requests, median ms, slowest ms] (where a queue builds)."""
        buckets: dict[int, list[float]] = {}
        for latency, _status, done in self.rows.get(phase, []):
            buckets.setdefault(int((done - latency) // step), []).append(latency)
        return [[round(k * step, 2), len(v), round(sorted(v)[len(v) // 2] * 1000, 1), round(max(v) * 1000, 1)]
                for k, v in sorted(buckets.items())]


_due = threading.local()  # when the request a run_schedule() thread is sending was due (Recorder.add)


def run_schedule(events: list[tuple[float, object]], t0: float, threads: int) -> None:
    """Run each callable at its time (seconds after t0) on a pool of worker threads."""
    work: queue.Queue = queue.Queue()

    def worker():
        while True:
            item = work.get()
            if item is None:
                return
            _due.at, fn = item
            try:
                fn()
            finally:
                _due.at = None

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for at, fn in sorted(events, key=lambda e: e[0]):
        delay = t0 + at - time.time()
        if delay > 0:
            time.sleep(delay)
        work.put((t0 + at, fn))
    for _ in pool:
        work.put(None)
    for t in pool:
        t.join()


# ---- where the CPU went ------------------------------------------------------------------

def cpu_snapshot() -> dict[str, float]:
    """CPU seconds (user + system) used so far by this machine's processes, grouped: this process
    (the load generator), gunicorn, postgres, and everything (from /proc/stat) including processes
    that come and go (the sweepers). Linux only; {} elsewhere."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        groups = {"all": (sum(fields) - fields[3] - fields[4]) / ticks}  # minus idle and iowait
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    raw = f.read()
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    command = f.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            after = raw.rsplit(")", 1)[1].split()
            used = (int(after[11]) + int(after[12])) / ticks
            group = ("load generator" if int(pid) == os.getpid() else "gunicorn" if "gunicorn" in command
                     else "postgres" if command.startswith("postgres") else None)
            if group:
                groups[group] = groups.get(group, 0.0) + used
        return groups
    except OSError:
        return {}


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds per group between two snapshots (a group's processes that exited are in "all")."""
    used = {k: round(after.get(k, 0.0) - before.get(k, 0.0), 2) for k in after}
    used["other"] = round(used.get("all", 0.0) - sum(v for k, v in used.items() if k != "all"), 2)
    return used


# ---- servers -----------------------------------------------------------------------------

def gunicorn(target: str, port: int, env: dict, workers: int, threads: int,
             connections: int | None = None) -> subprocess.Popen:
    """gunicorn on loopback. `connections`: each worker's cap on open connections (gthread's
    --worker-connections, 1,000 by default): a load that keeps more phones' connections open than
    the workers together may hold leaves the rest waiting to be accepted, which nginx in front of
    the app (deploy/nginx) would hold instead."""
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-k", "gthread", "--threads", str(threads),
               "--keep-alive", "75", "-b", f"{HOST}:{port}", "--log-level", "warning", target]
    if connections:
        command[1:1] = ["--worker-connections", str(connections)]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn {target} exited (is port {port} taken?)")
        try:
            http.client.HTTPConnection(HOST, port, timeout=1).connect()
            time.sleep(0.5)
            if process.poll() is not None:
                raise SystemExit(f"gunicorn {target} exited (is port {port} taken?)")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn {target} did not start")


def closed_loop(port: int, make_request, concurrency: int, seconds: float, recorder: Recorder, phase: str) -> float:
    client = Http(port)
    stop = time.time() + seconds
    t0 = time.time()

    def loop(n):
        for k in itertools.count():
            if time.time() >= stop:
                return
            method, path, body, token = make_request(n, k)
            status, _data, latency = client.call(method, path, body, token, key=(n, k % 16))
            recorder.add(phase, latency, status, time.time() - t0)

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(recorder.rows.get(phase, [])) / (time.time() - t0)


# ---- databases and the machine ---------------------------------------------------------------

def fresh_database(kind: str, pg_url: str, instance: str) -> str:
    """An empty database for a run: a new SQLite file in `instance`, or `pg_url` dropped and
    recreated. Returns its URL."""
    os.makedirs(instance, exist_ok=True)
    if kind == "sqlite":
        path = Path(instance) / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    recreate_pg(pg_url)
    return pg_url


def bench_app(url: str, instance: str):
    """The app on `url` (instance folder `instance`) as the benches prepare and check a run, with
    cheap password hashing: set-up signs nobody in."""
    os.environ["LMS_INSTANCE_PATH"] = instance
    from lms import create_app

    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024})


def seed_with_people(prefix: str, count: int) -> tuple[list[int], list[str]]:
    """In an app context: a fresh schema, the demo data, and `count` trainees named `prefix`00000…
    (the demo trainee's password) with 8-hour API tokens. Returns their ids and tokens, in order."""
    import secrets
    from datetime import datetime, timedelta, UTC

    from sqlalchemy import insert, select

    from lms.accounts.models import RoleGrant, User
    from lms.auth.models import ApiToken, digest
    from lms.demo import seed_demo
    from lms.extensions import db

    db.drop_all()
    db.create_all()
    seed_demo()
    password = db.session.scalar(select(User.password_hash).where(User.username == "trainee"))
    db.session.execute(insert(User), [{"username": f"{prefix}{i:05d}", "name": f"学员{i}", "password_hash": password,
                                       "phone": "13900000000"} for i in range(count)])
    ids = db.session.scalars(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.username)).all()
    db.session.execute(insert(RoleGrant), [{"user_id": u, "role": "trainee"} for u in ids])
    tokens = [secrets.token_urlsafe(24) for _ in ids]
    expires = datetime.now(UTC) + timedelta(hours=8)
    db.session.execute(insert(ApiToken), [{"user_id": u, "token_hash": digest(t), "expires_at": expires}
                                          for u, t in zip(ids, tokens, strict=True)])
    return list(ids), tokens


def recreate_pg(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def machine(url: str) -> dict:
    import sqlite3

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    info = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform(),
            "sqlite": sqlite3.sqlite_version}
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    return info
