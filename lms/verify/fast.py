"""`GET /verify/<cert_no>` served beside the main app, not through it: the busiest public
page skips the hooks every other request runs (audit origin, CSRF, session, rate-limit
headers), which cost as much as the page's own work.

`mount(app)` wraps app.wsgi_app, inside any ProxyFix (so REMOTE_ADDR is the client's as
everywhere else), so gunicorn and the Flask test client both come through here. What the
page keeps from the app: the shared per-IP budget VERIFY_RATE_LIMIT (the same `limits`
strategy, storage and keys as Flask-Limiter's shared limit on the API and the PDF check),
the visitor's language choice (the session cookie's `lang`, read only if a cookie is sent),
the security headers of lms.web, the templates and words of the page, the check log
(lms.verify.checklog) and, for 429 and any error, the app's own error handling and pages.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from flask import Flask
from flask_limiter import RateLimitExceeded, RequestLimit
from flask_limiter._limits import RuntimeLimit
from itsdangerous import BadSignature
from limits import parse_many
from redis.exceptions import RedisError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from lms.certificates.enums import Channel
from lms.verify import services
from lms.verify.api import VERIFY_SCOPE
from lms.extensions import db, limiter
from lms.verify import checklog
from lms.verify.labels import words_for
from lms.verify.views import render
from lms.web import SECURITY_HEADERS

log = logging.getLogger(__name__)
PREFIX = "/verify/"
APP_PATHS = {"/verify/offline"}  # pages under the prefix the app itself serves (no number is one of them)
_STATUS = {200: "200 OK", 404: "404 NOT FOUND"}


class VerifyPage:
    """WSGI middleware: GET/HEAD /verify/<number> here, everything else to the app."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app
        self.check_log = checklog.for_app(app)
        self._engine = None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if (path.startswith(PREFIX) and len(path) > len(PREFIX) and path not in APP_PATHS
                and environ.get("REQUEST_METHOD") in ("GET", "HEAD")):
            try:
                return self.page(Request(environ, shallow=True), start_response)
            except Exception as error:  # the app's 500 page and log, or its 429 page
                return self.through_app(environ, start_response, error)
        return self.wsgi_app(environ, start_response)

    def page(self, request: Request, start_response):
        address = request.remote_addr
        self.hit_rate_limit(address or "127.0.0.1")
        cert_no = request.path[len(PREFIX):]
        token = request.args.get("t")
        with self.engine().connect() as connection:
            view = services.check(cert_no, Channel.PAGE, token, ip=address, user_agent=request.user_agent.string,
                                  check_log=self.check_log, connection=connection)
            if view is not None and not self.check_log.interval:
                connection.commit()
        words = words_for(self.app, self.chosen_locale(request))
        urls = _urls(self.app, request.script_root)
        if view is None:
            status, html = 404, render(self.app, words, "verify/unknown.html", url_for=urls)
        else:
            status, html = 200, render(self.app, words, "verify/page.html", url_for=urls, v=view, token=token,
                                       here=urls("verify.page", cert_no=view["cert_no"]), query={"t": token})
        body = html.encode()
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
                   ("Cache-Control", "no-store"), ("Vary", "Cookie"), *SECURITY_HEADERS]
        start_response(_STATUS[status], headers)
        return [] if request.method == "HEAD" else [body]

    def hit_rate_limit(self, address: str) -> None:
        """The budget the API and PDF check spend through Flask-Limiter's shared limit: same
        strategy and storage (limiter.limiter), same identifiers, same order of limits."""
        if not limiter.enabled:
            return
        prefix = self.app.config.get("RATELIMIT_KEY_PREFIX") or ""
        identifiers = (prefix, address, VERIFY_SCOPE) if prefix else (address, VERIFY_SCOPE)
        for item in _limits(self.app.config["VERIFY_RATE_LIMIT"]):
            try:
                allowed = limiter.limiter.hit(item, *identifiers)
            except RedisError as error:  # the limit's storage is down: the page stays up, unlimited
                log.warning("verify rate limit not applied, storage unavailable: %s", error)
                return
            if not allowed:
                raise TooManyChecks(item, identifiers)

    def chosen_locale(self, request: Request) -> str | None:
        """The page's language switch (`?lang=`), else `lang` from the signed session
        cookie, as the app's session would read it."""
        if request.args.get("lang"):
            return request.args["lang"]
        name = self.app.config["SESSION_COOKIE_NAME"]
        if name not in request.environ.get("HTTP_COOKIE", ""):
            return None
        value = request.cookies.get(name)
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        if not value or serializer is None:
            return None
        try:
            data = serializer.loads(value, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return None
        return data.get("lang") if isinstance(data, dict) else None

    def engine(self):
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        return self._engine

    def through_app(self, environ, start_response, error: Exception):
        """Answer as the app would have: its error handler and page (RateLimitExceeded ->
        the Chinese 429 page), its after-request hooks; an unexpected error is logged as
        the app logs one and gets its 500 page."""
        app = self.app
        with app.request_context(environ):
            if isinstance(error, TooManyChecks):
                # what Flask-Limiter's hooks see on a breach: its headers (Retry-After...) follow
                limiter.context.view_rate_limit = RequestLimit(limiter, error.item, list(error.identifiers), True, True)
                response = app.finalize_request(app.handle_user_exception(error.exceeded()))
            elif isinstance(error, (HTTPException, OperationalError)):  # 404, 503 (database down)
                response = app.finalize_request(app.handle_user_exception(error))
            else:
                response = app.handle_exception(error)
            return response(environ, start_response)


class TooManyChecks(Exception):
    def __init__(self, item, identifiers: tuple[str, ...]):
        self.item, self.identifiers = item, identifiers

    def exceeded(self) -> RateLimitExceeded:
        # Flask-Limiter's exception wants the limit as its own decorator holds it
        return RateLimitExceeded(RuntimeLimit(self.item, key_func=str, scope=VERIFY_SCOPE, shared=True))


@lru_cache(maxsize=32)
def _limits(text: str) -> tuple:
    return tuple(sorted(parse_many(text)))


@lru_cache(maxsize=64)
def _urls(app: Flask, script_root: str):
    """The templates' url_for without a request context: the app's own rules (static,
    verify.start, certificates.jwks, verify.check_pdf), as paths under the script root."""
    adapter = app.url_map.bind("localhost", script_name=script_root or "/")

    @lru_cache(maxsize=4096)
    def url_for(endpoint: str, **values) -> str:
        return adapter.build(endpoint, values)

    return url_for


def mount(app: Flask) -> None:
    app.wsgi_app = VerifyPage(app, app.wsgi_app)
