"""Batch issuance throughput and PDF size: the real job (lms.certificates.batch) on a cohort.

    python bench/issue_batch.py [--count 1000] [--processes 2] [--database-url URL] [--no-render]

Runs the batch job synchronously (as `flask lms issue-certificates` does) on a fresh
database: requirement checks, number allocation, Ed25519 token, PDF with embedded font
subset and QR, file written with fsync, row inserted, progress committed every 25, ZIP at
the end. Reported: wall time, certificates per second, PDF size; first with one process
(everything in the job's thread: the per-core figure), then with `--processes` renderers.

--no-render is a DIAGNOSTIC, not the target figure: one process, the render step replaced by
a fixed 1 KB PDF, so the job thread's CPU per certificate is the non-rendering work alone
(checks, number, token, file + fsync, row, commits, progress, ZIP).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fixtures import make_app, pass_every_exam, seed_cohort  # noqa: E402


FIXED_PDF = b"%PDF-1.4\n" + b"%" * 1000 + b"\n%%EOF\n"


def run(count: int, processes: int, database_url: str | None, render: bool = True) -> dict:
    from sqlalchemy import func, select

    from lms.certificates import batch, issuing
    from lms.certificates.models import Certificate
    from lms.core import jobs
    from lms.extensions import db

    app, folder, url = make_app(database_url, CERT_RENDER_PROCESSES=processes)
    with app.app_context():
        cohort = seed_cohort(count)
        pass_every_exam()
        job = jobs.create(None, batch.KIND, {"cohort_id": cohort.id, "cohort_code": cohort.code}, count)
        db.session.commit()
        from lms.certificates.signing import KeyStore

        KeyStore.for_app(app).signing_key()  # the key is made once per instance, not part of issuing
        issuing.active_template()  # parsed (with its font, ~0.4 s) once per process, not per batch
        real_render = issuing.render_in_worker
        if not render:
            issuing.render_in_worker = lambda template_name, data: FIXED_PDF
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        try:
            job = jobs.run(job.id)
        finally:
            issuing.render_in_worker = real_render
        wall = time.perf_counter() - wall_before
        cpu = time.process_time() - cpu_before
        assert job.status == "done" and not job.failures, (job.status, job.message, job.failures[:3])
        sizes = db.session.execute(select(func.avg(Certificate.pdf_size), func.max(Certificate.pdf_size),
                                          func.count())).one()
        zip_size = (Path(app.instance_path) / job.result_path).stat().st_size
        db.session.remove()
        db.engine.dispose()
    return {"processes": processes, "count": sizes[2], "wall": wall, "main_cpu": cpu, "avg": sizes[0],
            "max": sizes[1], "zip": zip_size, "db": url.split(":", 1)[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file; or an EMPTY PostgreSQL db")
    parser.add_argument("--no-render", action="store_true",
                        help="diagnostic: one process, a fixed tiny PDF instead of rendering")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    if args.no_render:
        r = run(args.count, 1, args.database_url, render=False)
        print(f"DIAGNOSTIC --no-render (not the target figure) db={r['db']}: {r['count']} certificates, "
              f"job thread CPU {r['main_cpu']:.2f} s = {1000 * r['main_cpu'] / r['count']:.2f} ms per certificate "
              f"excluding rendering; wall {r['wall']:.2f} s")
        return
    for processes in (1, args.processes):
        r = run(args.count, processes, args.database_url)
        print(f"processes={r['processes']} db={r['db']}: {r['count']} certificates in {r['wall']:.2f} s = "
              f"{r['count'] / r['wall']:.0f}/s (job thread CPU {r['main_cpu']:.2f} s); "
              f"PDF avg {r['avg'] / 1024:.1f} KB, max {r['max'] / 1024:.1f} KB; ZIP {r['zip'] / 1024 / 1024:.1f} MB")
    print(f"peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
