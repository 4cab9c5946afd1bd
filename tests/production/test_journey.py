"""The production shape, end to end over HTTP: gunicorn with two workers, PostgreSQL, Redis for
rate limits and the job queue, and a real RQ worker. One journey through it: an applicant
applies and is admitted, a trainee checks in with the session's QR code, sits the formal exam
(start, save, submit), the institution issues a cohort's certificates through the RQ worker
and downloads them, and an employer checks one. Everything started here is stopped at the end.
Runs in CI's PostgreSQL pass."""
from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request
import zipfile

import pytest

from tests.production.harness import (BIN, PG_BIN, ROOT, AppServer, Http, PrivatePostgres, PrivateRedis,
                                      an_answer, app_env, sign_in, start_formal_attempt)

pytestmark = [
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                       reason="the production-shaped journey runs in CI's PostgreSQL pass (TEST_DATABASE_URL is not set)"),
    pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL server binaries not found under /usr/lib/postgresql"),
]


class Browser:
    """A staff member in a web browser: cookies, CSRF tokens from the forms."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.read().decode()

    def sign_in(self, username: str) -> None:
        page = self.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'name="csrf_token" value="([^"]+)"', page)
        data = urllib.parse.urlencode({"csrf_token": token.group(1), "username": username,
                                       "password": "Demo@2026"}).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=20) as response:
            assert "/login" not in response.url, "staff sign-in failed"


def test_apply_admit_check_in_sit_the_exam_issue_through_rq_and_verify(tmp_path):
    postgres = PrivatePostgres().init()
    postgres.start()
    redis = PrivateRedis()
    redis.start()
    instance = tmp_path / "instance"
    instance.mkdir()
    server = AppServer(app_env(instance, postgres.url, REDIS_URL=redis.url, CERT_RENDER_PROCESSES="1",
                               LOGIN_RATE_LIMIT="30 per minute"))
    worker = None
    try:
        server.flask("db", "upgrade")
        server.flask("lms", "seed-demo")
        server.start()
        worker_log = open(instance / "worker.log", "wb")  # noqa: SIM115 - the worker process owns it
        worker = subprocess.Popen([str(BIN / "rq"), "worker", "--url", redis.url, "lms"],
                                  cwd=ROOT, env=server.env, stdout=worker_log, stderr=worker_log)
        worker_log.close()

        # an applicant applies; the institution admits
        applicant = sign_in(server.base, "applicant")
        status, application, _h = applicant.call("POST", "/api/v1/cohorts/SH-DIR-OPEN/applications", {})
        assert status == 201 and application["eligibility"]["result"] in ("eligible", "review"), application
        staff = sign_in(server.base, "institution")
        status, decided, _h = staff.call("POST", f"/api/v1/applications/{application['id']}/decision",
                                         {"decision": "approve", "note": ""})
        assert status == 200 and decided["status"] == "approved", decided

        # the institution projects today's check-in code; the trainee scans it
        browser = Browser(server.base)
        browser.sign_in("institution")
        cohort_page = browser.get("/staff/cohorts/SH-DIR-RUN")
        session_ids = re.findall(r"/staff/sessions/(\d+)/qr", cohort_page)
        assert session_ids, "no check-in link on the cohort page"
        code = None
        for session_id in session_ids:
            candidate = json.loads(browser.get(f"/staff/sessions/{session_id}/qr.json"))
            if candidate["open"]:
                code = (session_id, candidate["url"])
        assert code, "no session of the running cohort takes check-ins now"
        session_id, url = code
        token = url.rstrip("/").rsplit("/", 1)[-1]
        trainee = sign_in(server.base, "trainee")
        status, checked, _h = trainee.call("POST", f"/api/v1/sessions/{session_id}/checkin", {"token": token})
        assert status in (200, 201), checked

        # the formal exam: start, save every question, submit
        attempt = start_formal_attempt(trainee)
        for n, question in enumerate(attempt["questions"], start=1):
            status, saved, _h = trainee.call("PUT", f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
                                             {"response": an_answer(question, n), "seq": 1})
            assert status == 200, saved
        status, submitted, _h = trainee.call("POST", f"/api/v1/attempts/{attempt['id']}/submit")
        assert status == 200 and submitted["status"] in ("submitted", "graded"), submitted

        # batch issuance through the RQ worker, then the ZIP
        status, job, _h = staff.call("POST", "/api/v1/cohorts/SH-DIR-DONE/certificates")
        assert status == 202, job
        deadline = time.monotonic() + 120
        while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.5)
            status, job, _h = staff.call("GET", f"/api/v1/jobs/{job['id']}")
        assert job["status"] == "done", (job, (instance / "worker.log").read_text()[-3000:])
        request = urllib.request.Request(server.base + urllib.parse.urlparse(job["result_url"]).path,
                                         headers={"Authorization": f"Bearer {staff.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            archive = zipfile.ZipFile(io.BytesIO(response.read()))
        names = [name for name in archive.namelist() if name.endswith(".pdf")]
        assert names, "the ZIP holds no certificate"

        # an employer checks a certificate: the API and the page the QR opens
        cert_no = re.match(r"([A-Z]{2}-\d{4}-\d{6}-[0-9A-Z]+-[0-9A-Z*])-", names[0]).group(1)  # <no>-<holder>.pdf
        status, verdict, _h = Http(server.base).call("GET", f"/api/v1/certificates/{cert_no}")
        assert status == 200 and verdict["status"] == "valid", verdict
        with urllib.request.urlopen(f"{server.base}/verify/{cert_no}", timeout=20) as page:
            assert page.status == 200 and cert_no in page.read().decode()
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.stop()
        redis.stop()
        postgres.remove()
