"""The exam's two busiest bearer-token requests, served beside the app: the autosave `PUT
/api/v1/attempts/<id>/answers/<question>` (every trainee, every few seconds) and the submit `POST
/api/v1/attempts/<id>/submit` (every trainee within seconds of a deadline). The app's request cycle
(request context, hooks, loading the user from the token, the ORM) cost several times the work
itself (docs/benchmarks.md, "Exam load").

`mount(app)` wraps app.wsgi_app, inside any ProxyFix, as the verification page's fast path
does (lms.verify.fast). The fast path answers only a request the app would answer with 200, and
runs the same service code with the same checks on its own connection:

- a save (lms.exams.attempts.store_answer): the token live and its user active, the attempt the
  token holder's, open and within deadline + grace, the question in it, seq and size and the
  answer's shape, the input hygiene of every request (lms.core.inputs); the answer scored and
  stored by the conditional UPDATE. The token is resolved inside the first statement, which also
  holds the attempt against a concurrent submit, so a save is two statements: read, store.
- a submit (lms.exams.attempts.hand_in, the reply by lms.exams.present.submitted_json): the token
  resolved inside the first statement, which reads the attempt of its user; the one conditional
  UPDATE that finalizes exactly once, the answers' scores (stored by the saves) totalled, the
  `attempt.finalize` audit event (with the request's origin, as the app records it) only when that
  UPDATE changed the row; the reply is the app's JSON, with its headers.

Everything else goes to the app untouched: a request without a bearer token (the exam page's
session cookie and CSRF header), a submit with a body that is not empty or JSON, and any refusal
(401, 404, 409, 422, bad JSON): the fast path rolls its transaction back, restores the body and
hands the request to the app, which answers as it always did (a 409 also closes an overdue
attempt there). One refusal is common enough to answer here: a save to an attempt already handed
in (at the deadline, the last saves of everyone who just pressed 交卷) gets the app's 409 from the
app's error handler, without the app's request work. A database error is answered by the app's
handler (503 with Retry-After);
anything unexpected by its 500 page and log. `EXAM_SAVE_FAST_PATH` and `EXAM_SUBMIT_FAST_PATH`
turn either off.
"""
from __future__ import annotations

import io
from contextlib import nullcontext
import json
import re
from datetime import timedelta
from urllib.parse import parse_qsl

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from lms.accounts.models import User
from lms.api.base import MINIMAL_APPLIED, prefers_minimal
from lms.auth.models import digest
from lms.auth.tokens import token_user_id_clause
from lms.core import audit, inputs
from lms.core.errors import AppError
from lms.core.time import utcnow
from lms.exams.attempts import AttemptClosed, hand_in, store_answer
from lms.exams.present import submitted_json
from lms.extensions import db
from lms.web import SECURITY_HEADERS

SAVE_PATH = re.compile(r"/api/v1/attempts/([1-9][0-9]{0,17})/answers/([1-9][0-9]{0,17})\Z")
SUBMIT_PATH = re.compile(r"/api/v1/attempts/([1-9][0-9]{0,17})/submit\Z")
# The language a bearer token's holder chose (lms._select_locale: the API caller's, before Accept-Language).
_CALLER_LOCALE = select(User.__table__.c.locale).where(User.__table__.c.id == token_user_id_clause())
_HEADERS = [("Content-Type", "application/json"), ("Cache-Control", "no-store"), *SECURITY_HEADERS]


class Refused(Exception):
    """Not for the fast path: the app answers (its refusal, or the request it was)."""


class FastPath:
    """WSGI middleware: accepted bearer-token answer saves and submits here, everything else to the app."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app
        self._engine = None

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method == "PUT" and self.app.config.get("EXAM_SAVE_FAST_PATH", True):
            found, handler = SAVE_PATH.match(environ.get("PATH_INFO", "")), self.save
        elif method == "POST" and self.app.config.get("EXAM_SUBMIT_FAST_PATH", True):
            found, handler = SUBMIT_PATH.match(environ.get("PATH_INFO", "")), self.submit
        else:
            found = None
        if found:
            scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
            if scheme.lower() == "bearer" and token.strip() and not environ.get("SCRIPT_NAME"):
                body = _read_body(environ, empty_ok=handler == self.submit)
                if body is not None:
                    try:
                        return handler(environ, start_response, *(int(n) for n in found.groups()), token.strip(),
                                       body)
                    except Refused:
                        pass
                    except Exception as error:  # the app's 503 or 500, as it would answer
                        return self.through_app(_restored(environ, body), start_response, error)
                    environ = _restored(environ, body)
        return self.wsgi_app(environ, start_response)

    def save(self, environ, start_response, attempt_id: int, question_id: int, token: str, body: bytes):
        data = _json_object(environ, body)
        if data is None or "response" not in data:
            raise Refused
        agent = environ.get("HTTP_USER_AGENT", "")
        grace_period = self._grace()
        with self.engine().connect() as connection:
            try:
                owner = {"digest": digest(token), "now": utcnow()}
                result = store_answer(connection, owner, attempt_id, question_id, data["response"], data.get("seq"),
                                      ip=environ.get("REMOTE_ADDR"), user_agent=agent, grace_period=grace_period)
            except AttemptClosed as closed:
                connection.rollback()
                if not closed.handed_in or environ.get("HTTP_COOKIE"):  # the app's refusal also closes
                    raise Refused from None  # an overdue attempt; a cookie's language comes first there
                refused = closed  # at the deadline, the last saves of those who just handed in
                locale = connection.execute(_CALLER_LOCALE, owner).scalar()
            except AppError:
                connection.rollback()
                raise Refused from None
            else:
                connection.commit()
                refused = None
        if refused is not None:  # the app's 409, in the reader's language, without the request's work
            return self.through_app(environ, start_response, refused, locale)
        reply = {"question_id": result.question_id, "seq": result.seq, "applied": result.applied,
                 "saved_at": _iso(result.saved_at), "server_time": _iso(result.now),
                 "remaining_seconds": max(0, int((result.deadline - result.now).total_seconds()))}
        payload = (json.dumps(reply, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()
        start_response("200 OK", [*_HEADERS, ("Content-Length", str(len(payload)))])
        return [payload]

    def submit(self, environ, start_response, attempt_id: int, token: str, body: bytes):
        if (body and _json_object(environ, body, any_value=True) is None) or not _query_ok(environ):
            raise Refused
        where = audit.Origin(ip=environ.get("REMOTE_ADDR"), user_agent=environ.get("HTTP_USER_AGENT", ""), channel="api")
        with audit.origin(where), self.engine().connect() as connection:
            try:
                owner = {"digest": digest(token), "now": utcnow()}
                minimal = prefers_minimal(environ.get("HTTP_PREFER"))
                handed = hand_in(connection, owner, attempt_id, grace_period=self._grace(), paper=not minimal)
            except AppError:
                connection.rollback()
                raise Refused from None
            connection.commit()  # the reply is built outside the write transaction, as the app does
            reply = submitted_json(connection, handed, utcnow(), minimal)
        response = self.app.json.response(reply)  # the app's JSON, byte for byte
        if minimal:
            response.headers.add(*MINIMAL_APPLIED)
        response.headers["Cache-Control"] = "no-store"
        response.headers.extend(SECURITY_HEADERS)
        return response(environ, start_response)

    def _grace(self) -> timedelta:
        return timedelta(seconds=self.app.config.get("ATTEMPT_GRACE_SECONDS", 5))

    def engine(self):
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        return self._engine

    def through_app(self, environ, start_response, error: Exception, locale: str | None = None):
        """Answer an error as the app would: its handler (a refusal, 503 for the database) or its
        500 page and log. `locale`: the bearer token holder's choice, which the app's API endpoints
        put before Accept-Language (lms._select_locale)."""
        with self.app.request_context(environ), force_locale(locale) if locale else nullcontext():
            if isinstance(error, (HTTPException, OperationalError, AppError)):
                response = self.app.finalize_request(self.app.handle_user_exception(error))
            else:
                response = self.app.handle_exception(error)
            return response(environ, start_response)


def _read_body(environ, empty_ok: bool = False) -> bytes | None:
    """The request body when it is a small JSON document (or, `empty_ok`, no body at all);
    None leaves the request to the app."""
    if empty_ok and environ.get("CONTENT_LENGTH", "") in ("", "0") and not environ.get("HTTP_TRANSFER_ENCODING"):
        return b""
    if not environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower() == "application/json":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if not 0 < length <= 256 * 1024:  # bigger than any answer (MAX_RESPONSE_CHARS): the app decides
        return None
    return environ["wsgi.input"].read(length)


def _restored(environ, body: bytes):
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return environ


def _json_object(environ, body: bytes, any_value: bool = False):
    """The body as a JSON object (`any_value`: any JSON value) that passes the app's input hygiene, or None."""
    try:
        data = json.loads(body)
        inputs.check_json(data)
        inputs.check_text_fields(_query(environ))
    except (ValueError, RecursionError, AppError):
        return None
    return data if isinstance(data, dict) or (any_value and data is not None) else None


def _query_ok(environ) -> bool:
    try:
        inputs.check_text_fields(_query(environ))
    except AppError:
        return False
    return True


def _query(environ):
    return parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def mount(app: Flask) -> None:
    app.wsgi_app = FastPath(app, app.wsgi_app)

