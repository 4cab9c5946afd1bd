"""The metrics' facts kept in report_facts, and kept fresh.

Counting the figures from the records (each metric's definition in lms.reports.metrics joins
certificates, cohorts, programmes, a million attendance rows, the CE ledger) costs seconds for a
province; counting stored facts costs milliseconds (docs/benchmarks.md, "Statistics at scale").
The records stay the truth: the facts of a person are always what the definitions select for that
person, rewritten whenever one of their records changes.

- lms.reports.freshness marks a person stale (report_stale) in the same transaction as the change.
- Every count first calls ensure_fresh(): it rewrites the facts of the people marked stale, in the
  reader's transaction, so a figure never misses a committed change. Many stale people at once
  (after an upgrade or a bulk load) rewrite everything instead, which is cheaper.
- `flask lms report rebuild` rewrites everything from the records (after loading data with SQL,
  or to repair).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, literal, select, text

from lms.extensions import db
from lms.reports.metrics import FACT_COLUMNS, METRICS
from lms.reports.models import ReportFact, ReportStale

CHUNK = 1000  # people per rewrite statement
REBUILD_ABOVE = 20_000  # more stale people than this: rewrite everyone in one pass
_TABLE = ReportFact.__table__
_COLUMNS = ["metric", *[("end_day" if c == "end" else c) for c in FACT_COLUMNS]]


def ensure_fresh() -> int:
    """Rewrite the facts of the people marked stale; how many there were. One cheap query when none."""
    if db.session.scalar(select(ReportStale.id).limit(1)) is None:
        return 0
    _serialize()
    people = sorted(set(db.session.scalars(delete(ReportStale).returning(ReportStale.person))))
    if len(people) > REBUILD_ABOVE:
        rebuild()
    else:
        for i in range(0, len(people), CHUNK):
            _rewrite(people[i:i + CHUNK])
    return len(people)


def rebuild() -> int:
    """Rewrite every fact from the records; the number of facts."""
    _serialize()
    db.session.execute(delete(ReportStale))
    db.session.execute(delete(ReportFact))
    _rewrite(None)
    return db.session.scalar(select(db.func.count()).select_from(ReportFact)) or 0


def _serialize() -> None:
    """One rewriter at a time on PostgreSQL (until the transaction ends): two readers rewriting the same
    person would store its facts twice (tests/reports/test_facts.py). Taking every stale mark in one
    DELETE already makes a second reader wait for the first's marks; the lock says so outright and
    covers rebuild(). SQLite has one writer at a time anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7281)"))


def _rewrite(people: list[int] | None) -> None:
    """Delete and insert again the facts of `people` (None: everyone)."""
    where = (lambda column: column.in_(people)) if people is not None else (lambda column: literal(True))
    db.session.execute(delete(ReportFact).where(where(ReportFact.person)))
    for key, m in METRICS.items():
        if m.kind == "year":  # computed in Python, per person
            everyone = people if people is not None else _holders()
            for i in range(0, len(everyone), CHUNK * 5):
                rows = m.facts(everyone[i:i + CHUNK * 5])
                if rows:
                    db.session.execute(insert(_TABLE), [_row(key, fact) for fact in rows])
            continue
        f = m.facts().subquery()
        db.session.execute(insert(_TABLE).from_select(
            _COLUMNS, select(literal(key), *[f.c[c] for c in FACT_COLUMNS]).where(where(f.c.person))))


def _holders() -> list[int]:
    from lms.certificates.models import Certificate

    return list(db.session.scalars(select(Certificate.user_id).distinct().order_by(Certificate.user_id)))


def _row(key: str, fact: dict) -> dict:
    row = {"metric": key, "end_day": fact.get("end"), "year": fact.get("year")}
    row.update({c: fact.get(c) for c in FACT_COLUMNS if c != "end"})
    return row


def mark_stale(people: Iterable[int]) -> None:
    """Mark people stale outside a flush (a command that changed records with plain SQL)."""
    found = sorted({p for p in people if p is not None})
    if found:
        db.session.execute(insert(ReportStale), [{"person": p} for p in found])
