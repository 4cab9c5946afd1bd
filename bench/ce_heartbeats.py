"""Learning heartbeats under load, against gunicorn on loopback (not part of the test suite).

    .venv/bin/python -m bench.ce_heartbeats --db sqlite --json /tmp/ce-sqlite.json
    .venv/bin/python -m bench.ce_heartbeats --db postgresql \
        --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/lms_ce_bench --json /tmp/ce-pg.json

Set-up: a fresh database (SQLite file, or the PostgreSQL database given, dropped and recreated)
with the demo data, `--learners` learners with API tokens, and a bench course whose one video
lesson every learner has started (a play each). Then, in one run:

1. **heartbeats**: every learner sends `POST /api/v1/ce/lessons/{id}/heartbeat` every 15 s, at a
   random phase, for `--steady` seconds (open loop: a slow server does not slow the arrivals);
   the position advances with the wall clock, so after the first beat each interval counts;
2. **baseline**: the same schedule against a bare Flask endpoint doing one comparable write
   (bench/baseline_app.py: one guarded UPDATE of one row) under the same gunicorn settings on
   the same database, one row per learner;
3. **throughput**: `--concurrency` clients send heartbeats as fast as they can for `--burst` s,
   then the same against the bare endpoint; the ratio is reported.

Then it checks the database: no learner was counted more time than passed between their first
and last accepted heartbeat, and every learner was counted (every interval of 15 s counts).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import threading
import time
from datetime import datetime, UTC
from pathlib import Path

from bench.loadkit import (Http, Recorder, bench_app, closed_loop, fresh_database, gunicorn, machine, run_schedule,
                           seed_with_people)

BEAT = 15.0


def prepare(url: str, learners: int, instance: str) -> dict:
    from sqlalchemy import insert, select

    from lms.ce.course_models import CePlayer, Course, Lesson, LessonProgress
    from lms.ce.enums import Category, LessonKind
    from lms.extensions import db
    from lms.orgs.models import Institution

    with bench_app(url, instance).app_context():
        ids, tokens = seed_with_people("ce", learners)
        institution = db.session.scalar(select(Institution).where(Institution.code == "SH-STC"))
        course = Course(title="压测课程", category=Category.PUBLIC, hours=1, institution_id=institution.id,
                        region_id=institution.region_id, published=True)
        db.session.add(course)
        db.session.flush()
        lesson = Lesson(course_id=course.id, position=1, title="压测课时", kind=LessonKind.VIDEO, min_seconds=36000,
                        path="lessons/bench.video", content_type="video/webm", size=1, received=1, ready=True)
        db.session.add(lesson)
        db.session.flush()
        plays = [secrets.token_hex(12) for _ in ids]
        now = datetime.now(UTC)
        db.session.execute(insert(LessonProgress), [{"user_id": u, "lesson_id": lesson.id, "started_at": now,
                                                     "beat_at": now, "position": 0.0, "counting": False,
                                                     "seconds": 0.0} for u in ids])
        db.session.execute(insert(CePlayer), [{"user_id": u, "play_id": p, "lesson_id": lesson.id, "started_at": now}
                                              for u, p in zip(ids, plays, strict=True)])
        db.session.commit()
        info = {"lesson_id": lesson.id, "tokens": tokens, "plays": plays, "user_ids": ids,
                "started": now.timestamp()}
        db.engine.dispose()
    return info


def verify(url: str, instance: str, user_ids: list[int], spans: dict[int, float]) -> dict:
    from sqlalchemy import select

    from lms.ce.course_models import LessonProgress
    from lms.extensions import db

    with bench_app(url, instance).app_context():
        counted = dict(db.session.execute(select(LessonProgress.user_id, LessonProgress.seconds)).all())
        db.engine.dispose()
    over = [u for u in user_ids if counted.get(u, 0) > spans.get(u, 0) + 1]
    uncounted = [u for u in user_ids if spans.get(u, 0) >= 2 * BEAT and counted.get(u, 0) <= 0]
    total = sum(counted.get(u, 0) for u in user_ids)
    return {"learners": len(user_ids), "counted_more_than_elapsed": len(over), "counted_nothing": len(uncounted),
            "seconds_counted": round(total), "seconds_between_first_and_last_beats": round(sum(spans.values())),
            "ok": not over and not uncounted}


def warm_up(port: int, path: str) -> None:
    """gunicorn accepts connections before its workers have built the app: wait until every
    worker answers quickly, so the measurement does not start with the workers' start-up."""
    client = Http(port)
    fast = 0
    for n in range(2000):
        status, _data, latency = client.call("GET", path, key=("warm", n % 8))
        fast = fast + 1 if status < 500 and latency < 0.05 else 0
        if fast >= 50:
            return
        time.sleep(0.02)


def drive(args, info: dict, url: str, instance: str) -> dict:
    warm_up(args.port, "/healthz")
    warm_up(args.port + 1, "/bench/rows/1")
    recorder = Recorder()
    app_client, base_client = Http(args.port), Http(args.port + 1)
    lesson, tokens, plays, ids = info["lesson_id"], info["tokens"], info["plays"], info["user_ids"]
    beat_path = f"/api/v1/ce/lessons/{lesson}/heartbeat"
    accepted: dict[int, list[float]] = {}
    lock = threading.Lock()
    seqs = [0] * len(ids)
    rng = random.Random(13)

    def warm_beat(n):
        at = time.time()
        status, _data, _latency = app_client.call("POST", beat_path, {
            "play": plays[n], "position": round(at - info["started"], 2), "playing": True, "visible": True},
            tokens[n], key=n)
        if status == 200:
            with lock:
                accepted.setdefault(n, []).append(at)

    # the heartbeat's own statements, in every worker thread: 64 learners beat once first
    warm = [threading.Thread(target=warm_beat, args=(n,)) for n in range(64)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()

    def heartbeat(n, phase):
        def go():
            at = time.time()
            body = {"play": plays[n], "position": round(at - info["started"], 2), "playing": True, "visible": True}
            status, _data, latency = app_client.call("POST", beat_path, body, tokens[n], key=n)
            recorder.add(phase, latency, status, time.time() - t0)
            if status == 200:
                with lock:
                    accepted.setdefault(n, []).append(at)
        return go

    def bare(n, phase):
        def go():
            seqs[n] += 1
            status, _data, latency = base_client.call("PUT", f"/bench/rows/{n + 1}", {"response": "beat", "seq": seqs[n]},
                                                      None, key=("base", n))
            recorder.add(phase, latency, status, time.time() - t0)
        return go

    beats = int(args.steady // BEAT)
    phases = [rng.uniform(0, BEAT) for _ in ids]
    print(f"heartbeats: {len(ids)} learners every {BEAT:.0f} s for {args.steady:.0f} s", flush=True)
    t0 = time.time()
    run_schedule([(phases[n] + BEAT * k, heartbeat(n, "heartbeat")) for n in range(len(ids)) for k in range(beats)],
                 t0, args.client_threads)
    print("baseline: the same schedule against the bare write endpoint", flush=True)
    t0 = time.time()
    run_schedule([(phases[n] + BEAT * k, bare(n, "baseline")) for n in range(len(ids)) for k in range(beats)],
                 t0, args.client_threads)

    spans = {ids[n]: max(times) - min(times) for n, times in accepted.items()}
    checks = verify(url, instance, ids, spans)  # before the throughput runs add their own beats
    print(f"throughput: {args.concurrency} clients, {args.burst:.0f} s each", flush=True)
    t0 = time.time()

    def ours(n, k):
        m = n + args.concurrency * (k % (len(ids) // args.concurrency))  # each client has its own learners
        return "POST", beat_path, {"play": plays[m], "position": round(time.time() - info["started"], 2),
                                   "playing": True, "visible": True}, tokens[m]

    def base(n, k):
        m = n * 10 + k % 10
        seqs[m] += 1
        return "PUT", f"/bench/rows/{m + 1}", {"response": "x", "seq": seqs[m]}, None

    ours_rps = closed_loop(args.port, ours, args.concurrency, args.burst, recorder, "throughput_heartbeat")
    bare_rps = closed_loop(args.port + 1, base, args.concurrency, args.burst, recorder, "throughput_bare")
    results = {phase: recorder.summary(phase) for phase in ("heartbeat", "baseline", "throughput_heartbeat",
                                                            "throughput_bare")}
    results["throughput"] = {"heartbeat_rps": round(ours_rps, 1), "bare_flask_write_rps": round(bare_rps, 1),
                             "ratio": round(ours_rps / bare_rps, 3) if bare_rps else None}
    results["checks"] = checks
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/lms_ce_bench")
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--steady", type=float, default=90, help="seconds of heartbeats (one per learner every 15 s)")
    parser.add_argument("--burst", type=float, default=10, help="seconds of each closed-loop throughput run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--client-threads", type=int, default=200)
    parser.add_argument("--port", type=int, default=18865)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    instance = f"/tmp/lms_ce_bench_{args.db}"
    url = fresh_database(args.db, args.pg_url, instance)
    print(f"preparing {args.learners} learners on {args.db} ...", flush=True)
    info = prepare(url, args.learners, instance)
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "LMS_INSTANCE_PATH": instance, "BENCH_DATABASE_URL": url}
    from bench.baseline_app import create_table

    create_table(url, max(args.learners, args.concurrency * 10))
    app_server = gunicorn("wsgi:app", args.port, env, args.workers, args.threads)
    base_server = gunicorn("bench.baseline_app:app", args.port + 1, env, args.workers, args.threads)
    load_before = os.getloadavg()
    try:
        results = drive(args, info, url, instance)
    finally:
        for process in (app_server, base_server):
            process.terminate()
            process.wait(timeout=30)
    results["machine"] = machine(url)
    results["machine"]["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    results["settings"] = {k: getattr(args, k) for k in ("db", "learners", "steady", "burst", "concurrency",
                                                         "workers", "threads")}
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
