"""The yardstick: a bare Flask endpoint doing one database write comparable to an autosave
(one guarded UPDATE of one row), served by gunicorn with the same settings as the system.

    BENCH_DATABASE_URL=sqlite:////tmp/x.sqlite3 gunicorn bench.baseline_app:app
"""
from __future__ import annotations

import os
from datetime import datetime, UTC

from flask import Flask, request
from sqlalchemy import create_engine, event, text

_engine = None


def engine():
    """Created on first use, with the same SQLite pragmas as lms/__init__.py."""
    global _engine
    if _engine is None:
        url = os.environ["BENCH_DATABASE_URL"]
        _engine = create_engine(url)
        if url.startswith("sqlite"):
            @event.listens_for(_engine, "connect")
            def _pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000", "synchronous=NORMAL"):
                    cursor.execute(f"PRAGMA {pragma}")
                cursor.close()
    return _engine


app = Flask(__name__)

UPDATE = text("UPDATE bench_rows SET response = :response, seq = :seq, saved_at = :now WHERE id = :id AND seq < :seq")


@app.put("/bench/rows/<int:row_id>")
def write(row_id: int):
    data = request.get_json()
    with engine().begin() as connection:
        result = connection.execute(UPDATE, {"response": str(data["response"]), "seq": data["seq"],
                                             "now": datetime.now(UTC).replace(tzinfo=None), "id": row_id})
    return {"id": row_id, "applied": result.rowcount == 1}


def create_table(url: str, rows: int) -> None:
    """(Re)create the table the endpoint writes to, with `rows` rows."""
    setup = create_engine(url)
    with setup.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS bench_rows"))
        connection.execute(text("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, response TEXT, seq INTEGER NOT NULL,"
                                " saved_at TIMESTAMP)"))
        connection.execute(text("INSERT INTO bench_rows (id, response, seq) VALUES (:id, '', 0)"),
                           [{"id": i} for i in range(1, rows + 1)])
    setup.dispose()
