"""Which SQL statements one reports request runs, how many and how long (not part of the test suite).

    .venv/bin/python -m bench.reports_profile --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/lms_reports_bench \
        [--path '/reports?region=210000'] [--explain 3]

Uses a database that bench/reports_scale.py generated. Times every statement of one request (after a
warm-up request) with SQLAlchemy's cursor events, prints them slowest first with the caller in
the innermost caller in lms/, and with --explain N runs EXPLAIN ANALYZE on the N slowest.
"""
from __future__ import annotations

import argparse
import time
import traceback

from sqlalchemy import event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/lms_reports_bench")
    parser.add_argument("--path", default="/reports?region=210000")
    parser.add_argument("--instance", default="/tmp/lms-reports-bench")
    parser.add_argument("--explain", type=int, default=0)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    from bench.reports_scale import _app
    from lms.extensions import db

    app = _app(args.pg_url, args.instance)
    client = app.test_client()
    assert client.post("/login", data={"username": "admin", "password": "Demo@2026"}).status_code == 302
    client.get(args.path)  # warm-up
    log = []
    with app.app_context():
        engine = db.engine

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("started", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        took = (time.perf_counter() - conn.info["started"].pop()) * 1000
        where = next((f"{f.filename.split('/lms/')[-1]}:{f.lineno} {f.name}"
                      for f in reversed(traceback.extract_stack())
                      if "/lms/" in f.filename and "site-packages" not in f.filename), "?")
        log.append((took, where, statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    started = time.perf_counter()
    status = client.get(args.path).status_code
    total = (time.perf_counter() - started) * 1000
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    sql = sum(t for t, *_ in log)
    print(f"{args.path}: HTTP {status}, {total:.0f} ms, {len(log)} statements, {sql:.0f} ms in SQL")
    by_caller: dict[str, list[float]] = {}
    for took, where, *_ in log:
        by_caller.setdefault(where, []).append(took)
    print("\nby caller (count, total ms):")
    for where, times in sorted(by_caller.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {len(times):4d} {sum(times):9.1f}  {where}")
    ranked = sorted(log, key=lambda row: -row[0])
    print("\nslowest statements:")
    for took, where, statement, _p in ranked[:args.top]:
        print(f"  {took:8.1f} ms  {where}  {' '.join(statement.split())[:160]}")
    with app.app_context():
        for took, where, statement, parameters in ranked[:args.explain]:
            plan = db.session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print(f"\n---- {took:.0f} ms {where}\n{statement}\n" + "\n".join(r[0] for r in plan))


if __name__ == "__main__":
    main()
