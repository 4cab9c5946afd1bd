"""What a trainee may see of a question revision, and what grading reads of it, cached per process.

A revision never changes once written (lms.banks.models forbids updates), so its public view
can be kept for the life of the process: starting and resuming an attempt then decode no
question content once the exam's questions have been seen. Entries are keyed by (id, created_at),
so an id reused after a deletion (SQLite reuses the highest rowid) is never confused with the old
revision. Only the public view (through the type registry's `public_view`) and the original
option keys are kept: never answers. Grading keeps its own entries (`grading_revisions`: type,
points, stem and content with the answer), never handed to a page, filled by every read of either
cache: the saves of a paper just drawn then score their answers without decoding question content."""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import bindparam, select

from lms.banks.models import QuestionRevision
from lms.banks.types import question_type
from lms.extensions import db

MAX_ENTRIES = 50_000


@dataclass(frozen=True)
class PublicRevision:
    type: str
    keys: tuple[str, ...]  # option keys in the bank's order
    view: dict  # public_view(); copy before changing


_cache: dict[tuple, PublicRevision] = {}
_lock = threading.Lock()


def _through(cache: dict, keys, executor, build) -> dict:
    """`cache`'s entries by revision id for (revision id, created_at) keys; misses are read on
    `executor` (the session by default, or a fast path's connection) and made by `build(revision)`."""
    wanted = {revision_id: created_at for revision_id, created_at in keys}
    found = {r: cache.get((r, c)) for r, c in wanted.items()}
    missing = [r for r, hit in found.items() if hit is None]
    if missing:
        loaded = {}
        for revision in _read(executor, missing):
            loaded[(revision.id, revision.created_at)] = found[revision.id] = build(revision)
        _keep(cache, loaded)
    return found


def _keep(cache: dict, entries: dict) -> None:
    with _lock:
        if len(cache) + len(entries) > MAX_ENTRIES:
            cache.clear()
        cache.update(entries)


def _public(revision) -> PublicRevision:
    view = question_type(revision.type).public_view(revision, random.Random(0))  # noqa: S311 - a reproducible order, not a secret
    return PublicRevision(revision.type, tuple(o["key"] for o in revision.options), view)


def public_revisions(keys, executor=None) -> dict[int, PublicRevision]:
    """Public views by revision id, for (revision id, created_at) keys."""
    return _through(_cache, keys, executor, _public)


@dataclass(frozen=True)
class GradingRevision:
    """What the question types' grade() read of a revision (lms.banks.types): never shown to anyone."""

    id: int
    type: str
    points: float
    stem: str
    data: Any  # read-only view of the revision's content, answer included
    created_at: Any = None

    @property
    def options(self) -> list[dict[str, str]]:
        return list(self.data.get("options") or [])


_grading: dict[tuple, GradingRevision] = {}


def grading_revisions(keys, executor=None) -> dict[int, GradingRevision]:
    """Grading views by revision id, for (revision id, created_at) keys (a miss's read keeps them: _read)."""
    return _through(_grading, keys, executor, lambda revision: revision)


_revisions = QuestionRevision.__table__
_READ = select(_revisions.c.id, _revisions.c.type, _revisions.c.points, _revisions.c.stem, _revisions.c.data,
               _revisions.c.created_at).where(_revisions.c.id.in_(bindparam("p_ids", expanding=True)))


def _read(executor, ids: list[int]) -> list[GradingRevision]:
    """The revisions as plain values (what public_view and grade read of one), loading no ORM objects.
    What is read for one cache fills the grading cache too: the paper drawn at a start is what that
    attempt's saves then score (lms.exams.grading.UNANSWERED)."""
    rows = (executor or db.session).execute(_READ, {"p_ids": ids})
    read = [GradingRevision(row.id, row.type, row.points, row.stem, MappingProxyType(dict(row.data or {})),
                            row.created_at) for row in rows]
    _keep(_grading, {(revision.id, revision.created_at): revision for revision in read})
    return read
