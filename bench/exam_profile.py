"""Where an exam API request's time goes, in-process (no HTTP server): the app's WSGI callable
driven by the Flask test client with bearer tokens, on a fresh database with the demo data and
`--trainees` enrolled trainees (bench.exam_load.prepare).

    .venv/bin/python -m bench.exam_profile [--db sqlite|postgresql] [--pg-url ...] [--saves 2000] [--profile]

Prints, per request kind (autosave, submit, start) and for the bare write endpoint
(bench/baseline_app.py) on the same database, and the test client's own cost (a request to a
no-op WSGI app, included in every other figure): CPU ms per request (this process's CPU time, which
other load on the machine disturbs less than the wall clock), wall ms, and SQL statements per
request; with --profile the top functions of a cProfile of the saves and of the submits.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time

from sqlalchemy import event
from werkzeug.test import Client

from bench.loadkit import cpu_snapshot, fresh_database


def timed(label, count, fn, statements=None):
    before = len(statements) if statements is not None else 0
    server = cpu_snapshot().get("postgres", 0.0)  # the database server's processes, on PostgreSQL
    started, cpu = time.perf_counter(), time.process_time()
    for k in range(count):
        fn(k)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    server = cpu_snapshot().get("postgres", 0.0) - server
    per = f"{(len(statements) - before) / count:.2f} statements" if statements is not None else ""
    db_cpu = f"  {1000 * server / count:7.3f} ms PostgreSQL CPU" if server else ""
    print(f"{label:<34} {1000 * cpu / count:7.3f} ms CPU  {1000 * wall / count:7.3f} ms wall  {per}{db_cpu}", flush=True)
    return cpu / count


PROFILE_TOP = int(os.environ.get("PROFILE_TOP", 25))


def profile(label, count, fn, top=PROFILE_TOP):
    profiler = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
    profiler.enable()
    for k in range(count):
        fn(k)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    if os.environ.get("PROFILE_CALLERS"):
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_callers(os.environ["PROFILE_CALLERS"])
    print(f"---- profile: {label} ({count} requests) ----")
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/perf_bench")
    parser.add_argument("--trainees", type=int, default=300)
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    instance = f"/tmp/lms_exam_profile_{args.db}"
    url = fresh_database(args.db, args.pg_url, instance)
    from bench.exam_load import answer_for, prepare

    info = prepare(url, args.trainees, instance, close_in=3600)
    os.environ["BENCH_DATABASE_URL"] = url
    from bench import baseline_app
    from lms import create_app
    from lms.extensions import db

    baseline_app.create_table(url, 160)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    client, bare = app.test_client(), baseline_app.app.test_client()
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, s, *_a: statements.append(s))
    tokens, exam_id = info["tokens"], info["exam_id"]

    def auth(n):
        return {"Authorization": f"Bearer {tokens[n]}"}

    papers = {}
    half = len(tokens) // 2

    def start(n):
        data = client.post(f"/api/v1/exams/{exam_id}/attempts", headers=auth(n)).get_json()
        papers[n] = data

    import random

    rng = random.Random(1)
    seq = iter(range(1, 10 ** 9))

    def save(k):
        n = k % half
        paper = papers[n]
        question = paper["questions"][k % len(paper["questions"])]
        response = client.put(f"/api/v1/attempts/{paper['id']}/answers/{question['id']}",
                              json={"response": answer_for(question, rng), "seq": next(seq)}, headers=auth(n))
        assert response.status_code == 200, response.get_data(as_text=True)

    def bare_write(k):
        response = bare.put(f"/bench/rows/{k % 160 + 1}", json={"response": f"r{k}", "seq": next(seq)})
        assert response.status_code == 200

    submitted = iter(range(len(tokens)))

    def submit(_k, prefer=None):
        n = next(submitted)
        response = client.post(f"/api/v1/attempts/{papers[n]['id']}/submit",
                               headers={**auth(n), **({"Prefer": prefer} if prefer else {})})
        assert response.status_code == 200, response.get_data(as_text=True)

    def submit_minimal(k):  # as the exam page asks (lms/static/js/exam.js)
        submit(k, "return=minimal")

    noop = Client(lambda environ, start_response: start_response("200 OK", []) and [b""])
    timed("test client alone (no-op WSGI app)", args.saves,
          lambda k: noop.post(f"/api/v1/attempts/{k}/submit", headers=auth(0)))
    timed("start (first sittings)", len(tokens), start, statements)
    import gc

    gc.collect()
    gc.freeze()  # the load generator's own objects (every paper) out of the collector's way
    for _ in range(2):
        bare_cpu = timed("bare write (baseline_app)", args.saves, bare_write)
        save_cpu = timed("autosave (bearer token)", args.saves, save, statements)
        print(f"{'':34} autosave/bare CPU: {save_cpu / bare_cpu:.2f}×")
    if args.profile:
        profile("autosave", args.saves // 2, save)
        profile("submit", half // 2, submit_minimal)
    left = len(tokens) - next(submitted) - 1
    timed("submit, minimal reply (exam page)", left // 2, submit_minimal, statements)
    timed("submit, whole reply (the paper)", left - left // 2, submit, statements)
    done = left  # every one of these trainees has handed in

    def late_save(k):  # racing a submit that won: the 409 a trainee's last save gets at the deadline
        n = len(tokens) - 1 - k % done
        question = papers[n]["questions"][0]
        response = client.put(f"/api/v1/attempts/{papers[n]['id']}/answers/{question['id']}",
                              json={"response": answer_for(question, rng), "seq": next(seq)}, headers=auth(n))
        assert response.status_code == 409, response.get_data(as_text=True)

    timed("autosave after the submit (409)", done, late_save, statements)
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
