"""The exam page's hot path with a browser session: N answer saves
(PUT /api/v1/attempts/<id>/answers/<question>) signed in with the session cookie, in-process
(Flask test client, no HTTP server), on a fresh SQLite database with the demo data.

    .venv/bin/python bench/answer_saves.py [N]

Prints the total and the per-save time (wall clock and this process's CPU time, which other
load on the machine disturbs less) and the SQL statements per save. It measures what the app adds per request
(session → user, the attempt, the save), not the network or a server's workers.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from bench.fixtures import make_app  # noqa: E402


def main(count: int = 500) -> None:
    from lms.demo import DEMO_PASSWORD, seed_demo
    from lms.extensions import db

    app, _folder, _url = make_app(None, ARGON2_TIME_COST=1, ARGON2_MEMORY_KIB=1024, WTF_CSRF_ENABLED=True)
    with app.app_context():
        seed_demo()
        db.session.commit()
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": token.group(1), "username": "trainee", "password": DEMO_PASSWORD})
    headers = {"X-CSRFToken": token.group(1)}
    exams = client.get("/api/v1/me/exams").get_json()
    exam = max(exams, key=lambda e: e["duration_minutes"])  # the formal exam: time enough for every save
    attempt = client.post(f"/api/v1/exams/{exam['id']}/attempts", headers=headers).get_json()
    singles = [q for q in attempt["questions"] if q["type"] == "single"]
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, statement, *_a: statements.append(statement))
    started, cpu_started = time.perf_counter(), time.process_time()
    for seq in range(1, count + 1):
        question = singles[seq % len(singles)]
        response = client.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
                              json={"response": "A", "seq": seq}, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"{count} saves with a session cookie: {elapsed:.2f} s, {1000 * elapsed / count:.2f} ms per save "
          f"({1000 * cpu / count:.2f} ms CPU), {len(statements) / count:.2f} SQL statements per save")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
