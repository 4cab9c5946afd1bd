"""The verification page's fast path (lms.verify.fast) and the check log written behind the
response (lms.verify.checklog): what a visitor sees is what the app's own rendering gives,
with the same headers, language, 404, 429 and error pages; the page, the API and the PDF
check spend one budget; every check reaches the log."""
import io
import logging
import os
import queue
import threading
import warnings
from types import SimpleNamespace

import pytest
from flask import url_for
from sqlalchemy import func, select

from lms.certificates import services
from lms.verify import services as verify_services
from lms.certificates.models import VerificationEvent
from lms.core.time import utcnow
from lms.extensions import db
from lms.verify import checklog, views
from lms.verify.labels import labels
from lms.web import SECURITY_HEADERS


@pytest.fixture
def issued(make_graduate, exam_passed, cohort_staff):
    application = make_graduate(name="张三明")
    certificate = services.issue(cohort_staff(application.cohort), application)
    db.session.commit()
    return certificate


def logged() -> list[tuple[str, str, bool | None]]:
    rows = db.session.scalars(select(VerificationEvent).order_by(VerificationEvent.id)).all()
    return [(e.channel, e.network, e.token_matched) for e in rows]


def test_the_page_is_the_one_the_app_renders_with_its_headers(app, client, issued):
    path = f"/verify/{issued.cert_no}?t={issued.token}"
    response = client.get(path)
    with app.test_request_context(path):  # the app's own rendering, url_for and all
        expected = views._render("verify/page.html", v=verify_services.full_view(issued, issued.token),
                                 token=issued.token, here=f"/verify/{issued.cert_no}", query={"t": issued.token})
        assert url_for("verify.page", cert_no=issued.cert_no) == f"/verify/{issued.cert_no}"
    assert response.status_code == 200 and response.get_data(as_text=True) == expected
    assert f'action="/verify/{issued.cert_no}/check-pdf"' in expected and 'href="/static/css/verify.css"' in expected
    for name, value in SECURITY_HEADERS:
        assert response.headers[name] == value
    assert response.headers["Cache-Control"] == "no-store" and response.mimetype == "text/html"
    assert "Set-Cookie" not in response.headers

    head = client.head(path)
    assert head.status_code == 200 and head.data == b""
    assert int(head.headers["Content-Length"]) == len(response.data)


def test_unknown_numbers_get_the_apps_404_page_with_the_same_headers(app, client, issued):
    response = client.get(f"/verify/{issued.cert_no[:-1]}Q/x")
    with app.test_request_context("/verify/x"):
        assert response.get_data(as_text=True) == views._render("verify/unknown.html")
    assert response.status_code == 404 and response.headers["Content-Security-Policy"] == dict(SECURITY_HEADERS)[
        "Content-Security-Policy"]
    assert client.get("/verify/").status_code == 200  # the start page stays with the app


def test_the_visitors_language_choice_is_kept_and_a_forged_cookie_ignored(app, client, issued):
    client.post("/lang/en")
    english = client.get(f"/verify/{issued.cert_no}").get_data(as_text=True)
    assert '<html lang="en">' in english and ">Valid<" in english
    with app.test_request_context("/"):
        from flask import session

        session["lang"] = "en"
        assert labels()["verdict_valid"] == "Valid"

    forged = app.test_client()
    forged.set_cookie(app.config["SESSION_COOKIE_NAME"], "eyJsYW5nIjoiZW4ifQ.forged.signature")
    chinese = forged.get(f"/verify/{issued.cert_no}").get_data(as_text=True)
    assert '<html lang="zh-CN">' in chinese and '<p class="v-label" id="status">有效</p>' in chinese


def test_page_api_and_pdf_check_spend_one_budget_and_the_page_says_429_in_chinese(make_app, issued):
    client = make_app(VERIFY_RATE_LIMIT="4 per minute").test_client()
    pdf = services.stored_pdf(issued)
    statuses = [client.get(f"/api/v1/certificates/{issued.cert_no}").status_code,
                client.get(f"/verify/{issued.cert_no}").status_code,
                client.post(f"/api/v1/certificates/{issued.cert_no}/check-pdf",
                            data={"file": (io.BytesIO(pdf), "c.pdf")}).status_code,
                client.get(f"/verify/{issued.cert_no}").status_code]
    assert statuses == [200, 200, 200, 200]
    refused = client.get(f"/verify/{issued.cert_no}")
    assert refused.status_code == 429 and "请求过于频繁，请稍后再试" in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 60 and refused.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/api/v1/certificates/{issued.cert_no}").status_code == 429
    assert client.get(f"/verify/{issued.cert_no}", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200


def test_behind_a_trusted_proxy_the_client_address_counts(make_app, issued):
    client = make_app(TRUSTED_PROXIES=1, VERIFY_RATE_LIMIT="1 per minute", VERIFY_LOG_INTERVAL=0).test_client()
    first = client.get(f"/verify/{issued.cert_no}", headers={"X-Forwarded-For": "198.51.100.7"})
    second = client.get(f"/verify/{issued.cert_no}", headers={"X-Forwarded-For": "198.51.100.8"})
    again = client.get(f"/verify/{issued.cert_no}", headers={"X-Forwarded-For": "198.51.100.7"})
    assert [first.status_code, second.status_code, again.status_code] == [200, 200, 429]
    assert [network for _c, network, _t in logged()] == ["198.51.100.0/24", "198.51.100.0/24"]


def test_an_error_in_the_fast_path_gets_the_apps_500_page_and_log(make_app, issued, monkeypatch, caplog):
    client = make_app(PROPAGATE_EXCEPTIONS=False).test_client()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(verify_services, "check", broken)
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/verify/{issued.cert_no}")
    assert response.status_code == 500 and "服务器内部错误，请稍后再试" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert any("database gone" in str(record.exc_info) for record in caplog.records)


def test_checks_are_written_in_one_batch_when_flushed(client, issued):
    for _ in range(3):
        client.get(f"/verify/{issued.cert_no}?t={issued.token}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    client.get(f"/api/v1/certificates/{issued.cert_no}")
    assert logged() == []  # behind the response
    assert checklog.flush_all() == 4
    assert logged() == [("page", "203.0.113.0/24", True)] * 3 + [("api", "127.0.0.0/24", None)]
    assert checklog.flush_all() == 0


def test_with_interval_0_the_check_is_written_within_the_request(make_app, issued):
    client = make_app(VERIFY_LOG_INTERVAL=0).test_client()
    client.get(f"/verify/{issued.cert_no}")
    client.get(f"/api/v1/certificates/{issued.cert_no}?t=wrong")
    assert logged() == [("page", "127.0.0.0/24", None), ("api", "127.0.0.0/24", False)]


def test_the_background_thread_writes_the_queue_every_interval(make_app, issued, monkeypatch):
    other = make_app(VERIFY_LOG_INTERVAL=7)
    waits, go_on = queue.Queue(), queue.Queue()
    sleep = checklog.time.sleep

    def pause(seconds):  # this writer's sleep: tell the test, wait for its go (other apps' writers just sleep)
        if seconds != 7:
            return sleep(seconds)
        waits.put((seconds, threading.current_thread().name))
        go_on.get()

    monkeypatch.setattr(checklog, "time", SimpleNamespace(sleep=pause))
    other.test_client().get(f"/verify/{issued.cert_no}")
    assert waits.get(timeout=10) == (7, "verification-log")
    assert logged() == []
    go_on.put(True)  # the interval is over: the thread writes, then waits again
    assert waits.get(timeout=10) == (7, "verification-log")
    assert logged() == [("page", "127.0.0.0/24", None)]
    monkeypatch.undo()
    go_on.put(True)


def test_a_forked_process_writes_only_its_own_checks(client, issued):
    client.get(f"/verify/{issued.cert_no}")  # queued in this process, which writes it
    writer = checklog.for_app(client.application)
    with warnings.catch_warnings():  # Python 3.12+ warns about forking a process that has threads
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child, as a worker forked from a process that had served checks
        code = 1
        try:
            writer.engine().dispose(close=False)  # the parent's connections are not the child's
            writer.add({"certificate_id": issued.id, "at": utcnow(), "network": "", "agent": "other",
                        "channel": "api", "token_matched": None})
            code = 0 if writer.flush() == 1 else 2
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert checklog.flush_all() == 1
    assert sorted(channel for channel, _n, _t in logged()) == ["api", "page"]
    assert db.session.scalar(select(func.count()).select_from(VerificationEvent)) == 2


def test_the_language_switch_works_without_a_cookie_and_keeps_the_token(client, issued):
    chinese = client.get(f"/verify/{issued.cert_no}?t={issued.token}").get_data(as_text=True)
    assert f'href="/verify/{issued.cert_no}?t={issued.token}&amp;lang=en"' in chinese  # the switch keeps t
    response = client.get(f"/verify/{issued.cert_no}?t={issued.token}&lang=en")
    english = response.get_data(as_text=True)
    assert '<html lang="en">' in english and '<p class="v-label" id="status">Valid</p>' in english
    assert "Set-Cookie" not in response.headers
    assert "令牌" not in chinese and "jwks" not in chinese.lower() and 'id="offline-link"' in chinese
    css = client.get("/static/css/verify.css")
    assert "@font-face" not in css.get_data(as_text=True)  # system fonts only
    css.close()
    assert "?lang=en" in english.split('action="/verify/')[1].split('"')[0]  # the PDF check answers in English
    assert client.get(f"/verify/{issued.cert_no}?lang=xx").get_data(as_text=True).count('<html lang="zh-CN">') == 1
    redirect = client.get("/verify/?no=SH-1&lang=en")
    assert redirect.headers["Location"].endswith("/verify/SH-1?lang=en")


def test_the_contact_line_comes_from_the_settings(make_app, issued):
    plain = make_app().test_client().get(f"/verify/{issued.cert_no}?t=x").get_data(as_text=True)
    assert 'id="contact"' not in plain and "如有疑问，请联系发证机构。" in plain
    client = make_app(VERIFY_CONTACT="市市场监管局标准化处 021-12345678").test_client()
    html = client.get(f"/verify/{issued.cert_no}?t=x").get_data(as_text=True)
    assert '<p class="v-contact" id="contact">核验咨询：市市场监管局标准化处 021-12345678</p>' in html
    assert "核验咨询：市市场监管局标准化处 021-12345678</span>" in html.split('id="advice"')[1]  # in the 存疑 box


def test_the_offline_page_explains_and_links_the_keys(client):
    response = client.get("/verify/offline?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Verifying offline" in html and 'href="/.well-known/jwks.json"' in html
