"""The autosave hot path stays a handful of statements, whatever the paper's size (no N+1)."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from lms.extensions import db
from tests.exams.conftest import of_type


@contextmanager
def counted(app):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_autosave_and_start_use_few_statements(app, setup, client, api_token):
    s = setup()
    headers = api_token(s.trainee)
    with counted(app) as statements:
        attempt = client.post(f"/api/v1/exams/{s.exam.id}/attempts", headers=headers).get_json()
    start_count = len(statements)
    qid = of_type(attempt)["id"]
    with counted(app) as statements:
        response = client.put(f"/api/v1/attempts/{attempt['id']}/answers/{qid}", json={"response": "B", "seq": 1},
                              headers=headers)
    assert response.status_code == 200
    writes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 1, statements  # the answer and its score, if the attempt is open
    assert len(statements) == 2, statements  # the attempt with the token's user, then the UPDATE
    assert start_count <= 20, start_count
