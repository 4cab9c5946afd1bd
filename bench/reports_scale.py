"""The statistics at scale on PostgreSQL (not part of the test suite).

    .venv/bin/python -m bench.reports_scale --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/lms_reports_bench \
        --json /tmp/reports-bench.json

Set-up: the database given is dropped and recreated, the demo data loaded (seed-demo, with its
history), then, generated inside PostgreSQL (generate_series), at `--scale` 1.0:
3,000 enterprises in the cities and districts of the three provinces, 120,000 people, 2,000
cohorts of 10 sessions (2021 to now), 120,000 applications (90 % admitted), about 1,000,000
attendance rows, 100,000 certificates (1 % revoked), 50,000 appointments (10 % ended), 20,000
accepted filings in the talent pool, 400 CE activities with about 200,000 credits. ANALYZE.

Then, in the same run, with the app in-process (Flask test client, signed in as `admin`):

1. the province dashboard `GET /reports?region=210000` (targets with charts, the year's figures
   per city, six years, by post, industry and ownership): `--runs` times, after one warm-up;
2. the admin home page (the figures panel first);
3. the yearly workbook `GET /reports/summary.xlsx?region=210000&year=<last year>`;
4. `GET /api/v1/reports/summary?region=210000`;
5. the bare aggregate queries (hand-written SQL, one number each: distinct certified people,
   admitted enrollments with an attended session, people in post today, filed people) on the
   same database, as the floor the dashboard is made of.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from bench.loadkit import machine, recreate_pg

GENERATE = """
CREATE TEMP TABLE bench_ids AS
SELECT (SELECT array_agg(id ORDER BY id) FROM regions WHERE parent_id IS NOT NULL) AS regions,
       (SELECT array_agg(id ORDER BY id) FROM programs) AS programs,
       (SELECT array_agg(id ORDER BY id) FROM institutions) AS institutions,
       (SELECT array_agg(id ORDER BY id) FROM posts) AS posts;

INSERT INTO enterprises (uscc, name, region_id, industry, status, created_at, industry_section, ownership)
SELECT 'B' || lpad(g::text, 17, '0'), '压测企业' || g, b.regions[1 + g % array_length(b.regions, 1)], '',
       'verified', now(), (ARRAY['C','I','G','E','F','M'])[1 + g % 6],
       (ARRAY['state','private','foreign','other'])[1 + g % 4]
FROM generate_series(1, :enterprises) g, bench_ids b;

INSERT INTO users (username, password_hash, name, active, created_at)
SELECT 'bench' || g, '!', '压测' || g, true, now() FROM generate_series(1, :people) g;

INSERT INTO cohorts (code, title, program_id, institution_id, region_id, starts_on, ends_on, capacity, seats_taken,
                     applications_open_on, applications_close_on, place, created_at)
SELECT 'BENCH-' || g, '压测班' || g, b.programs[1 + g % array_length(b.programs, 1)],
       b.institutions[1 + g % array_length(b.institutions, 1)], b.regions[1 + (g * 7) % array_length(b.regions, 1)],
       DATE '2021-01-04' + (g * 37) % 2150, DATE '2021-01-08' + (g * 37) % 2150, 60, 54,
       DATE '2020-11-01' + (g * 37) % 2150, DATE '2020-12-25' + (g * 37) % 2150, '', now()
FROM generate_series(1, :cohorts) g, bench_ids b;

INSERT INTO cohort_sessions (cohort_id, module_id, starts_at, ends_at, hours, place)
SELECT c.id, (SELECT min(id) FROM program_modules m WHERE m.program_id = c.program_id),
       c.starts_on + make_interval(hours => 1 + k), c.starts_on + make_interval(hours => 4 + k), 3, ''
FROM cohorts c, generate_series(1, 10) k WHERE c.code LIKE 'BENCH-%';

INSERT INTO applications (cohort_id, user_id, enterprise_id, status, submitted_at, decision_note)
SELECT c.id, u.id, e.id, CASE WHEN k % 10 = 0 THEN 'rejected' ELSE 'approved' END, now(), ''
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM cohorts WHERE code LIKE 'BENCH-%') c
CROSS JOIN generate_series(1, 60) k
JOIN users u ON u.username = 'bench' || ((c.n - 1) * 60 + k)
JOIN enterprises e ON e.uscc = 'B' || lpad((1 + ((c.n - 1) * 60 + k) % :enterprises)::text, 17, '0');

INSERT INTO attendance (session_id, application_id, status, method, recorded_at)
SELECT s.id, a.id, 'present', 'staff', s.starts_at
FROM applications a JOIN cohort_sessions s ON s.cohort_id = a.cohort_id
JOIN cohorts c ON c.id = a.cohort_id
WHERE c.code LIKE 'BENCH-%' AND a.status = 'approved' AND (a.id * 31 + s.id) % 100 < 93;

INSERT INTO certificates (cert_no, version, status, application_id, cohort_id, user_id, program_id, institution_id,
                          holder_name, holder_gender, holder_id_number, program_code, program_title,
                          institution_code, institution_name, hours, modules, issued_on, valid_until, issued_at,
                          template, token, pdf_path, pdf_sha256, pdf_size, revoked_reason, reissue_reason,
                          holder_enterprise_id, holder_region_id)
SELECT 'BENCH-' || a.id, 1, CASE WHEN a.id % 100 = 0 THEN 'revoked' ELSE 'valid' END, a.id, c.id, a.user_id,
       c.program_id, c.institution_id, '', 'male', '', '', '', '', '', 40, '[]', c.ends_on + 25,
       c.ends_on + 25 + 1095, now(), 'director', '', '', '', 0, '', '', a.enterprise_id, e.region_id
FROM (SELECT * FROM applications WHERE status = 'approved' ORDER BY id LIMIT :certificates) a
JOIN cohorts c ON c.id = a.cohort_id JOIN enterprises e ON e.id = a.enterprise_id
WHERE c.code LIKE 'BENCH-%';

INSERT INTO appointments (user_id, enterprise_id, post_id, status, starts_on, full_time, document_no, letter_name,
                          letter_type, end_note, created_at, ended_on, end_reason)
SELECT x.user_id, x.holder_enterprise_id, b.posts[1 + x.id % array_length(b.posts, 1)],
       CASE WHEN x.id % 10 = 0 THEN 'ended' ELSE 'active' END, x.issued_on + 20, true, '', '', '', '', now(),
       CASE WHEN x.id % 10 = 0 THEN x.issued_on + 400 END, CASE WHEN x.id % 10 = 0 THEN 'left' END
FROM (SELECT * FROM certificates WHERE status = 'valid' AND cert_no LIKE 'BENCH-%' ORDER BY id LIMIT :appointments) x,
     bench_ids b;

INSERT INTO filings (user_id, appointment_id, enterprise_id, certificate_id, status, form, created_at, updated_at,
                     return_reason, filing_no, accepted_at)
SELECT p.user_id, p.id, p.enterprise_id, (SELECT min(id) FROM certificates c WHERE c.user_id = p.user_id), 'accepted',
       '{}', now(), now(), '', 'BENCH-' || p.id, now()
FROM (SELECT * FROM appointments WHERE status = 'active' ORDER BY id LIMIT :filings) p;

INSERT INTO talent_entries (filing_id, user_id, enterprise_id, post_id, certificate_id, accepted_on, achievements_text)
SELECT f.id, f.user_id, f.enterprise_id, p.post_id, f.certificate_id, p.starts_on + 40, ''
FROM filings f JOIN appointments p ON p.id = f.appointment_id WHERE f.filing_no LIKE 'BENCH-%';

INSERT INTO ce_activities (title, kind, category, starts_at, ends_at, place, description, hours, capacity, seats_taken,
                           region_id, published_at, created_at)
SELECT '压测活动' || g, 'lecture', 'professional', TIMESTAMPTZ '2022-01-10' + make_interval(days => (g * 13) % 1780),
       TIMESTAMPTZ '2022-01-10' + make_interval(days => (g * 13) % 1780, hours => 4), '', '', 6, 10000, 0,
       b.regions[1 + g % array_length(b.regions, 1)], now(), now()
FROM generate_series(1, :activities) g, bench_ids b;

INSERT INTO ce_credits (user_id, year, earned_on, hours, category, source, source_id, title, credited_at)
SELECT c.user_id, extract(year FROM a.starts_at)::int, a.starts_at::date, 6, 'professional', 'activity', a.id, '', now()
FROM certificates c CROSS JOIN generate_series(1, 2) k
JOIN (SELECT id, starts_at, row_number() OVER (ORDER BY id) AS n FROM ce_activities WHERE title LIKE '压测活动%') a
  ON a.n = 1 + (c.id * 3 + k * 101) % :activities
WHERE c.cert_no LIKE 'BENCH-%'
ON CONFLICT DO NOTHING;
"""

BARE = {
    "certified people (distinct, not revoked)":
        "SELECT count(DISTINCT user_id) FROM certificates WHERE status <> 'revoked' AND issued_on <= CURRENT_DATE",
    "trained enrollments (admitted, attended)":
        "SELECT count(*) FROM applications a WHERE a.status = 'approved' "
        "AND EXISTS (SELECT 1 FROM attendance t WHERE t.application_id = a.id AND t.status IN ('present', 'late'))",
    "people in post today":
        "SELECT count(DISTINCT user_id) FROM appointments WHERE starts_on <= CURRENT_DATE "
        "AND (ended_on IS NULL OR ended_on > CURRENT_DATE)",
    "filed people": "SELECT count(DISTINCT user_id) FROM talent_entries WHERE accepted_on <= CURRENT_DATE",
}
SCALED = ("enterprises", "people", "cohorts", "certificates", "appointments", "filings", "activities")
FULL = {"enterprises": 3000, "people": 120_000, "cohorts": 2000, "certificates": 100_000, "appointments": 50_000,
        "filings": 20_000, "activities": 400}


def prepare(url: str, scale: float, instance: str) -> dict:
    from sqlalchemy import text

    from lms.demo import seed_demo
    from lms.extensions import db

    app = _app(url, instance)
    sizes = {k: max(1, int(v * scale)) for k, v in FULL.items()}
    timings = {}
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_demo()
        db.session.commit()
        for statement in GENERATE.split(";\n"):
            if statement.strip():
                started = time.perf_counter()
                db.session.execute(text(statement), {k: sizes[k] for k in SCALED if f":{k}" in statement})
                timings[statement.strip().split("\n")[0][:60]] = round(time.perf_counter() - started, 1)
        db.session.commit()
        timings["flask lms report rebuild (the stored facts)"] = _rebuild_facts()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
        counts = _counts()
    return {"app": app, "sizes": sizes, "counts": counts, "generate_seconds": timings}


def _rebuild_facts() -> float:
    """The generator writes with plain SQL, which marks nobody stale: rewrite the reports' facts."""
    from lms.extensions import db
    from lms.reports import facts

    started = time.perf_counter()
    facts.rebuild()
    db.session.commit()
    return round(time.perf_counter() - started, 1)


def _app(url: str, instance: str, cache: int = 0):
    os.environ["LMS_INSTANCE_PATH"] = instance
    from lms import create_app

    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024,
                       "LOGIN_RATE_LIMIT": "1000 per minute", "WTF_CSRF_ENABLED": False,
                       "REPORTS_CACHE_SECONDS": cache})


def _counts() -> dict:
    from sqlalchemy import text

    from lms.extensions import db

    return {table: db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608 - fixed names
            for table in ("users", "enterprises", "cohorts", "applications", "attendance", "certificates",
                          "appointments", "talent_entries", "ce_credits", "report_facts")}


def reuse(url: str, instance: str, cache: int = 0) -> dict:
    from sqlalchemy import select, text

    from lms.extensions import db
    from lms.reports.models import ReportFact

    app = _app(url, instance, cache)
    with app.app_context():
        db.create_all()  # tables added since the database was generated
        timings = {}
        if db.session.scalar(select(ReportFact.id).limit(1)) is None:
            timings["flask lms report rebuild (the stored facts)"] = _rebuild_facts()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
        return {"app": app, "counts": _counts(), "generate_seconds": timings or "reused"}


def _time(call, runs: int) -> dict:
    call()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "min_ms": round(min(samples), 1),
            "max_ms": round(max(samples), 1), "runs": runs}


def measure(app, runs: int) -> dict:
    from sqlalchemy import text

    from lms.extensions import db
    from lms.reports.services import today

    year = today().year - 1
    client = app.test_client()
    response = client.post("/login", data={"username": "admin", "password": "Demo@2026"})
    assert response.status_code == 302, response.status_code

    def get(path):
        def call():
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
        return call

    results = {
        "dashboard /reports?region=210000": _time(get("/reports?region=210000"), runs),
        "admin home page": _time(get("/home/admin"), runs),
        f"workbook /reports/summary.xlsx?region=210000&year={year}":
            _time(get(f"/reports/summary.xlsx?region=210000&year={year}"), max(3, runs // 3)),
        "API /api/v1/reports/summary?region=210000": _time(get("/api/v1/reports/summary?region=210000"), runs),
    }
    bare = {}
    with app.app_context():
        for name, sql in BARE.items():
            def call(sql=sql):
                db.session.execute(text(sql)).scalar()
            bare[name] = _time(call, runs)
        bare["all four, total median ms"] = round(sum(v["median_ms"] for v in bare.values()), 1)
    return {"pages": results, "bare_queries": bare}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/lms_reports_bench")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 100,000 certificates, ~1,000,000 attendance rows")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--instance", default="/tmp/lms-reports-bench")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cache", type=int, default=0, help="REPORTS_CACHE_SECONDS for the measured app (--reuse)")
    parser.add_argument("--reuse", action="store_true", help="measure the database a previous run generated")
    parser.add_argument("--generate-only", action="store_true", help="generate, do not measure")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.reuse:
        prepared = reuse(args.pg_url, args.instance, args.cache)
    else:
        recreate_pg(args.pg_url)
        prepared = prepare(args.pg_url, args.scale, args.instance)
    setup = round(time.perf_counter() - started, 1)
    if args.generate_only:
        print(json.dumps({"setup_seconds": setup, "rows": prepared["counts"],
                          "generate_seconds": prepared["generate_seconds"]}, ensure_ascii=False, indent=2))
        return
    load_before = os.getloadavg()
    figures = measure(prepared["app"], args.runs)
    report = {"machine": machine(args.pg_url), "load_average_before": [round(x, 2) for x in load_before],
              "load_average_after": [round(x, 2) for x in os.getloadavg()], "setup_seconds": setup,
              "rows": prepared["counts"], "generate_seconds": prepared["generate_seconds"], **figures}
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
