"""Background jobs with progress: a `Job` row other processes can read, and its runner.

A job kind is a function registered with @job_kind("name"); it receives the Job and a
`progress(job)` callback, does its work in small committed steps, updates `job.done`,
appends to `job.failures` (one failed item never stops the rest) and sets `job.result_path`
(relative to the instance folder). The runner marks the job running, then done, or failed
with the error if the function raised.

Where it runs: with REDIS_URL set, on an RQ queue named `lms` (start workers with
`rq worker -u $REDIS_URL lms`; they build the app from the same environment); otherwise on
a small thread pool inside the web process, each run in its own app context and database
session. The CLI calls run() directly, synchronously.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from threading import Lock
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from redis.exceptions import RedisError
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, select
from sqlalchemy import update as sa_update
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.errors import NotFound, Unavailable
from lms.core.permissions import is_admin
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db

log = logging.getLogger(__name__)

JOB_STATUSES = ("queued", "running", "done", "failed")
ProgressCallback = Callable[["Job"], None]
JOB_KINDS: dict[str, Callable[[Job, ProgressCallback], None]] = {}


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    result_path: Mapped[str | None] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status} {self.done}/{self.total}>"

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def add_failure(self, item: str, reason: str) -> None:
        self.failures = [*(self.failures or []), {"item": item, "reason": reason}]  # new list: JSON change tracked


def job_kind(name: str):
    def register(function):
        JOB_KINDS[name] = function
        return function

    return register


def get_job(actor, job_id: int) -> Job:
    """The actor's own job (admins: any job); others are not found."""
    stmt = select(Job).where(Job.id == job_id)
    if not is_admin(actor):
        stmt = stmt.where(Job.created_by_id == getattr(actor, "id", None))
    job = db.session.scalar(stmt)
    if job is None:
        raise NotFound(_l("未找到该任务"))
    return job


def create(actor, kind: str, params: dict[str, Any], total: int) -> Job:
    if kind not in JOB_KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params, total=total, created_by_id=getattr(actor, "id", None), failures=[])
    db.session.add(job)
    db.session.flush()
    return job


def hand_over(job: Job) -> Job:
    """Commit the new job (with whatever the request recorded beside it) and hand it to a
    worker: the one deliberate early commit of a request, because the worker must see the row."""
    db.session.commit()
    dispatch(job.id)
    return job


def run(job_id: int, progress: ProgressCallback | None = None) -> Job:
    """Run a job to its end in the current app context (worker thread, RQ worker or CLI)."""
    job = db.session.get(Job, job_id)
    job.status, job.started_at = "running", utcnow()
    db.session.commit()
    try:
        JOB_KINDS[job.kind](job, progress or (lambda _job: None))
    except Exception as error:  # the job is marked failed with the error; the worker goes on
        log.exception("job %s failed", job_id)
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.message = "failed", f"{type(error).__name__}: {error}"[:1000]
    else:
        job.status = "done"
    job.finished_at = utcnow()
    db.session.commit()
    return job


# ---- dispatch ------------------------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = Lock()
_futures: dict[int, Future] = {}


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lms-job")
        return _pool


def _run_in_app(app, job_id: int) -> None:
    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()


def dispatch(job_id: int) -> None:
    """Hand a committed job to a worker. When the queue (Redis) cannot be reached, the job is
    marked failed and the caller gets 503 at once, rather than a job that waits forever."""
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        redis = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
        try:
            Queue("lms", connection=redis).enqueue("lms.core.jobs.rq_task", job_id, job_timeout=3600)
        except RedisError as error:
            log.warning("job %s not queued: %s", job_id, error)
            db.session.execute(sa_update(Job).where(Job.id == job_id).values(
                status="failed", finished_at=utcnow(), message=f"queue unavailable: {error}"[:1000]))
            db.session.commit()
            raise Unavailable(_l("后台任务队列暂时不可用，请稍后重试")) from None
    else:
        _futures[job_id] = _thread_pool().submit(_run_in_app, app, job_id)


def rq_task(job_id: int) -> None:
    """Entry point of an RQ worker: the app is built from the worker's environment."""
    from lms import create_app

    _run_in_app(create_app(), job_id)


def wait(job_id: int, timeout: float = 60) -> None:
    """Block until an in-process job ends (tests, and the CLI's --wait)."""
    future = _futures.pop(job_id, None)
    if future is not None:
        future.result(timeout=timeout)
