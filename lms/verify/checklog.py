"""The check log written behind the response: each public check (page, JSON API, PDF check)
is queued in process memory, and a background thread writes the queue every
VERIFY_LOG_INTERVAL seconds in one transaction (one executemany INSERT), so a check costs
the page an append instead of an INSERT and a commit. With VERIFY_LOG_INTERVAL 0 the check
is written within the request instead (lms.verify.services.log_check).

What a crash can lose: the checks of the last interval not yet written (process killed,
host down, or the database refusing the batch, which is logged). A normal exit writes them
(atexit). The log is a record of interest in a certificate, not of anything that changes it.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections import deque

from flask import Flask
from sqlalchemy import insert

from lms.certificates.models import VerificationEvent
from lms.extensions import db

log = logging.getLogger(__name__)
_INSERT = insert(VerificationEvent)
_writers: weakref.WeakSet[CheckLog] = weakref.WeakSet()
_start_lock = threading.Lock()


class CheckLog:
    """One app's queue of check-log rows and the thread writing it (started by the first
    row in each process: a forked worker starts its own and drops its copy of the parent's
    queue, which the parent writes)."""

    def __init__(self, app: Flask, interval: int):
        self.app, self.interval = app, interval
        self._rows: deque[dict] = deque()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._engine = None

    def add(self, row: dict) -> None:
        if self._pid != os.getpid():
            self._start()
        self._rows.append(row)  # deque.append and popleft are atomic: no lock on the hot path

    def _start(self) -> None:
        with _start_lock:
            if self._pid == os.getpid():
                return
            self._rows.clear()
            self._lock = threading.Lock()  # a lock copied by fork may be held by a thread that is not there
            threading.Thread(target=self._run, name="verification-log", daemon=True).start()
            self._pid = os.getpid()
            _writers.add(self)

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            self.flush()

    def flush(self) -> int:
        """Write what is queued now; returns how many rows. Errors are logged, not raised:
        the rows of a refused batch are lost (see the module's note)."""
        if self._pid != os.getpid():
            return 0  # nothing queued in this process (a forked copy of the parent's queue is not ours)
        with self._lock:
            rows = []
            while self._rows:
                rows.append(self._rows.popleft())
            if not rows:
                return 0
            try:
                with self.engine().begin() as connection:
                    connection.execute(_INSERT, rows)
            except Exception:
                log.exception("verification log: %d checks could not be written", len(rows))
                return 0
            return len(rows)

    def engine(self):
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        return self._engine


def init_app(app: Flask) -> None:
    app.extensions["lms.check_log"] = CheckLog(app, app.config["VERIFY_LOG_INTERVAL"])


def for_app(app: Flask) -> CheckLog:
    return app.extensions["lms.check_log"]


def flush_all() -> int:
    """Write every app's queued checks now (tests, tools, and at exit); returns how many."""
    return sum(writer.flush() for writer in list(_writers))


atexit.register(flush_all)
