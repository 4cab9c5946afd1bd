"""Batch issuance for a cohort: a background job (lms.core.jobs) with progress and a ZIP.

Per chunk of enrollments: draft them in the job's thread (the facts every requirement
looks at, one query per kind for the chunk; a block of numbers; the tokens), render the
chunk in a pool of processes (rendering is pure CPU work, ~10 ms a page), then store the
files, insert the rows in one statement, commit, and report progress. A trainee whose
certificate cannot be issued is listed in job.failures with the reason; the rest go on.
"""
from __future__ import annotations

import multiprocessing
import os
import zipfile
from collections import deque
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.certificates import access, issuing, requirements
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.certificates.signing import KeyStore
from lms.core import audit, jobs
from lms.enrollment.attendance import enrolled_in
from lms.enrollment.models import Application, Cohort, TraineeProfile
from lms.extensions import db
from lms.web import error_text
from lms.programs.models import Program

KIND = "issue_certificates"
CHUNK = 25


def start(actor, cohort: Cohort) -> jobs.Job:
    """Submit the batch job for a cohort (web page and API)."""
    access.require_issue(actor, cohort)
    job = jobs.create(actor, KIND, {"cohort_id": cohort.id, "cohort_code": cohort.code}, len(enrolled_in(cohort.id)))
    audit.record(actor, "certificate.batch", cohort, job_id=job.id)
    db.session.commit()  # the worker must see the job row
    jobs.dispatch(job.id)
    return job


def _processes() -> int:
    configured = current_app.config.get("CERT_RENDER_PROCESSES") or 0
    return configured or (os.cpu_count() or 1)


def _pool(processes: int) -> Executor | None:
    if processes <= 1:
        return None
    # forkserver: never fork a process that runs threads (the web server, the job pool)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["lms.certificates.render"])
    return ProcessPoolExecutor(max_workers=processes, mp_context=context)


def _slices(items: list, count: int) -> list[list]:
    """`items` in at most `count` consecutive slices of (nearly) equal length."""
    step = max(1, -(-len(items) // count))
    return [items[i:i + step] for i in range(0, len(items), step)]


@jobs.job_kind(KIND)
def issue_for_cohort(job: jobs.Job, progress: jobs.ProgressCallback) -> None:
    cohort_id = job.params["cohort_id"]
    cohort = db.session.get(Cohort, cohort_id)
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    application_ids = [a.id for a in enrolled_in(cohort_id)]
    names = dict(db.session.execute(
        select(Application.id, TraineeProfile.name).join(TraineeProfile, TraineeProfile.user_id == Application.user_id)
        .where(Application.id.in_(application_ids))).all())
    job.total, job.done = len(application_ids), 0
    db.session.commit()
    template = issuing.active_template()
    key = KeyStore.for_app(current_app).signing_key()
    processes = min(_processes(), max(1, len(application_ids) // CHUNK))
    pool = _pool(processes)
    issued = 0

    def fail(application_id: int, reason) -> None:
        # kept as text in the job (the server's language when the job ran)
        job.add_failure(gettext("%(name)s（报名 %(id)s）", name=names.get(application_id, ""), id=application_id),
                        str(reason))

    def drafts_of(chunk: list[int]) -> list[issuing.Draft]:
        # Loaded per chunk, the cohort with everything the checks and the snapshot read in one
        # query: the previous chunk's commit expired what the session held.
        db.session.scalars(select(Cohort).where(Cohort.id == cohort_id).options(
            joinedload(Cohort.program).selectinload(Program.modules), joinedload(Cohort.institution),
            joinedload(Cohort.region))).one()
        applications = db.session.scalars(select(Application).where(Application.id.in_(chunk))
                                          .order_by(Application.id)).all()
        existing = issuing.current_certificates(chunk)
        refused: dict[int, str] = {}
        todo = []
        for application in applications:
            certificate = existing.get(application.id)
            if certificate is None:
                todo.append(application)
            elif certificate.status == CertificateStatus.REVOKED:
                refused[application.id] = gettext("合格证 %(no)s 已被撤销，不再颁发", no=certificate.cert_no)
            # else issued before: the same certificate, counted as done
        drafts, not_met = issuing.draft_many(actor, todo, template=template, private_key=key)
        refused.update({application_id: error_text(error) if isinstance(error, requirements.RequirementsUnmet)
                        else str(error.message) for application_id, error in not_met.items()})
        for application_id in sorted(refused):
            fail(application_id, refused[application_id])
        return drafts

    def finish(size: int, drafts: list[issuing.Draft], parts: list) -> None:
        nonlocal issued
        rendered: list[bytes | str] = []
        for part, count in parts:
            try:
                rendered.extend(part if isinstance(part, list) else part.result())
            except Exception as error:  # noqa: BLE001 - the pool failed: reported per trainee, the batch goes on
                rendered.extend([f"{type(error).__name__}: {error}"] * count)
        made, pdfs = [], []
        for new, pdf in zip(drafts, rendered, strict=True):
            if isinstance(pdf, str):
                fail(new.application.id, pdf)
            else:
                made.append(new)
                pdfs.append(pdf)
        for new, result in zip(made, issuing.complete_many(made, pdfs), strict=True):
            if isinstance(result, Exception):
                fail(new.application.id, f"{type(result).__name__}: {result}")
            elif result is new.certificate:
                issued += 1
        job.done += size
        db.session.commit()
        progress(job)

    # With a pool, chunk k renders in the pool while chunk k+1 is drafted here; each process
    # gets a slice of the chunk in one task (one round trip, not one per certificate).
    waiting: deque = deque()
    try:
        for start_at in range(0, len(application_ids), CHUNK):
            chunk = application_ids[start_at:start_at + CHUNK]
            drafts = drafts_of(chunk)
            data = [d.data for d in drafts]
            if pool is None:
                finish(len(chunk), drafts, [(issuing.render_each(template.name, data), len(data))])
                continue
            waiting.append((len(chunk), drafts, [(pool.submit(issuing.render_each, template.name, part), len(part))
                                                 for part in _slices(data, processes)]))
            if len(waiting) > 1:
                finish(*waiting.popleft())
        while waiting:
            finish(*waiting.popleft())
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    job.result_path = write_zip(job.id, cohort)
    audit.record(actor, "certificate.batch_done", cohort, job_id=job.id, issued=issued,
                 failures=len(job.failures or []))


def write_zip(job_id: int, cohort: Cohort) -> str:
    """Every current, valid certificate of the cohort, as stored, in one ZIP (relative path)."""
    relative = f"jobs/{job_id}/{cohort.code}-certificates.zip"
    path = Path(current_app.instance_path) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    storage = issuing.storage_dir()
    rows = db.session.execute(select(Certificate.cert_no, Certificate.holder_name, Certificate.pdf_path).where(
        Certificate.cohort_id == cohort.id, Certificate.status == CertificateStatus.VALID).order_by(Certificate.cert_no))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for cert_no, holder_name, pdf_path in rows:
            archive.write(storage / pdf_path, f"{cert_no}-{holder_name}.pdf")
    return relative
