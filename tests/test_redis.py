"""With REDIS_URL set, rate limits live in Redis, shared by every app process."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set (CI sets it)")

# Two separate app instances (as on two hosts) against one Redis: the per-IP login limit
# of 3 per minute is shared, so the fourth request overall is refused.
SCRIPT = r"""
import sys
from lms import create_app
from lms.extensions import db, limiter
url, redis_url = sys.argv[1], sys.argv[2]
settings = dict(SECRET_KEY="x", DATABASE_URL=url, REDIS_URL=redis_url, LOGIN_RATE_LIMIT="3 per minute",
                WTF_CSRF_ENABLED=False, ARGON2_TIME_COST=1, ARGON2_MEMORY_KIB=1024)
first = create_app(settings)
with first.app_context():
    db.create_all()
limiter.reset()
statuses = [first.test_client().post("/login", data={"username": "a", "password": "b"}).status_code for _ in range(2)]
second = create_app(settings)
statuses += [second.test_client().post("/login", data={"username": "a", "password": "b"}).status_code for _ in range(2)]
print(type(limiter.storage).__name__, statuses)
limiter.reset()
for app in (first, second):
    with app.app_context():
        db.engine.dispose()
"""


def run_two_apps(script: str, tmp_path) -> str:
    """Run `script` (two app instances sharing Redis) in a fresh interpreter; its output."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'redis.sqlite3'}"
    result = subprocess.run([sys.executable, "-c", script, url, REDIS_URL], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1], timeout=120,
                            env={**os.environ, "LMS_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_login_rate_limit_is_shared_through_redis(tmp_path):
    assert run_two_apps(SCRIPT, tmp_path) == "RedisStorage [200, 200, 200, 429]"


# The login page on one host and the API token on another (two app instances, as two gunicorn
# workers or hosts) spend one per-address budget in Redis.
SHARED_BUDGET_SCRIPT = r"""
import sys
from lms import create_app
from lms.extensions import db, limiter
url, redis_url = sys.argv[1], sys.argv[2]
settings = dict(SECRET_KEY="x", DATABASE_URL=url, REDIS_URL=redis_url, LOGIN_RATE_LIMIT="3 per minute",
                WTF_CSRF_ENABLED=False, ARGON2_TIME_COST=1, ARGON2_MEMORY_KIB=1024)
page_host, api_host = create_app(settings), create_app(settings)
with page_host.app_context():
    db.create_all()
limiter.reset()
page, api = page_host.test_client(), api_host.test_client()
statuses = [page.post("/login", data={"username": "a", "password": "b"}).status_code,
            api.post("/api/v1/auth/token", json={"username": "a", "password": "b"}).status_code,
            page.post("/login", data={"username": "a", "password": "b"}).status_code,
            api.post("/api/v1/auth/token", json={"username": "a", "password": "b"}).status_code,
            page.post("/login", data={"username": "a", "password": "b"}).status_code]
print(type(limiter.storage).__name__, statuses)
limiter.reset()
for app in (page_host, api_host):
    with app.app_context():
        db.engine.dispose()
"""


def test_login_page_and_token_share_one_budget_through_redis(tmp_path):
    assert run_two_apps(SHARED_BUDGET_SCRIPT, tmp_path) == "RedisStorage [200, 401, 200, 429, 429]"


# With REDIS_URL set, a batch issuance started through the API goes to the RQ queue, and an
# RQ worker (here a burst SimpleWorker; in production `rq worker -u $REDIS_URL lms`) runs it.
RQ_SCRIPT = r"""
import os, sys
from redis import Redis
from rq import Queue, SimpleWorker
from lms import create_app
from lms.demo import seed_demo
from lms.extensions import db, limiter
app = create_app({"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024, "CERT_RENDER_PROCESSES": 1})
with app.app_context():
    db.create_all()
    seed_demo()
    db.session.commit()
limiter.reset()
client = app.test_client()
token = client.post("/api/v1/auth/token", json={"username": "institution", "password": "Demo@2026"}).get_json()
headers = {"Authorization": "Bearer " + token["access_token"]}
job = client.post("/api/v1/cohorts/SH-DIR-DONE/certificates", headers=headers).get_json()
before = client.get(f"/api/v1/jobs/{job['id']}", headers=headers).get_json()["status"]
redis = Redis.from_url(os.environ["REDIS_URL"])
SimpleWorker([Queue("lms", connection=redis)], connection=redis).work(burst=True)
after = client.get(f"/api/v1/jobs/{job['id']}", headers=headers).get_json()
print(before, after["status"], after["done"], after["total"])
with app.app_context():
    db.engine.dispose()
"""


def test_batch_issuance_runs_on_an_rq_worker(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'rq.sqlite3'}"
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url, "REDIS_URL": REDIS_URL,
           "SECRET_KEY": "rq-test"}
    result = subprocess.run([sys.executable, "-c", RQ_SCRIPT], capture_output=True, text=True, env=env,
                            cwd=Path(__file__).resolve().parents[1], timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "queued done 1 1"


# The verification page (served by lms.verify.fast, outside Flask-Limiter's hooks), its JSON
# twin and the PDF check spend one per-IP budget in Redis, across app instances. The limit
# is spent before the look-up, so unknown numbers (404) count too.
VERIFY_SCRIPT = r"""
import io, sys
from lms import create_app
from lms.extensions import db, limiter
url, redis_url = sys.argv[1], sys.argv[2]
settings = dict(SECRET_KEY="x", DATABASE_URL=url, REDIS_URL=redis_url, VERIFY_RATE_LIMIT="4 per minute")
first, second = create_app(settings), create_app(settings)
with first.app_context():
    db.create_all()
limiter.reset()
one, two = first.test_client(), second.test_client()
statuses = [one.get("/verify/SH-2026-000001-AAAAAAAAA-A").status_code,
            two.get("/api/v1/certificates/SH-2026-000001-AAAAAAAAA-A").status_code,
            one.post("/api/v1/certificates/SH-2026-000001-AAAAAAAAA-A/check-pdf",
                     data={"file": (io.BytesIO(b"%PDF"), "a.pdf")}).status_code,
            two.get("/verify/SH-2026-000001-AAAAAAAAA-A").status_code,
            one.get("/verify/SH-2026-000001-AAAAAAAAA-A").status_code,
            two.get("/api/v1/certificates/SH-2026-000001-AAAAAAAAA-A").status_code]
print(type(limiter.storage).__name__, statuses)
limiter.reset()
for app in (first, second):
    with app.app_context():
        db.engine.dispose()
"""


def test_verification_budget_is_shared_through_redis(tmp_path):
    assert run_two_apps(VERIFY_SCRIPT, tmp_path) == "RedisStorage [404, 404, 404, 404, 429, 429]"
