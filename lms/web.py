"""Request plumbing shared by all pages and the API: the unit of work, input hygiene, audit
origin, error pages and JSON errors, security headers, template helpers."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from collections.abc import Iterator
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, render_template, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from lms.core import audit, inputs
from lms.core.errors import AppError, Forbidden, NotFound, Unavailable, ValidationFailed
from lms.core.forms import apply_errors
from lms.core.permissions import require_role
from lms.extensions import db

CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
# Sent with every response, including the verification page's fast path (lms.verify.fast).
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                    ("Referrer-Policy", "same-origin"), ("Content-Security-Policy", CSP))


def role_required(*roles: str):
    """Pages for users holding one of `roles`: others get the 403 page, anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            require_role(current_user, *roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --- the unit of work -------------------------------------------------------------------------

def unit_of_work(app: Flask) -> None:
    """Every view, page or API endpoint, commits once when it returns and nothing when it raises
    (the error handlers roll back). Services only add and flush. Called once all blueprints
    are registered."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static" and not getattr(view, "_unit_of_work", False):
            app.view_functions[endpoint] = _committing(view)


def _committing(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        response = view(*args, **kwargs)
        db.session.commit()
        return response

    wrapped._unit_of_work = True
    return wrapped


@dataclass
class Outcome:
    ok: bool = True
    error: AppError | None = None


@contextmanager
def attempt(form=None, renames: dict[str, str] | None = None) -> Iterator[Outcome]:
    """Run a service call for a page and keep the page when it is refused:

        with attempt(form) as done:
            services.save_cohort(current_user, data, cohort)
        if done.ok:
            flash(...); return redirect(...)
        return render_template(..., form=form)

    A `ValidationFailed` rolls back and puts each field's problem on `form` (service field
    names mapped through `renames`), or flashes it without a form; any other refusal (409,
    400) rolls back and is flashed. Not-found and forbidden go on to their error pages.
    """
    outcome = Outcome()
    try:
        yield outcome
    except (NotFound, Forbidden):
        raise
    except AppError as error:
        db.session.rollback()
        outcome.ok, outcome.error = False, error
        if isinstance(error, ValidationFailed) and form is not None:
            apply_errors(form, error, renames)
        else:
            flash(error_text(error), "error")


def error_text(error: AppError) -> str:
    """The refusal in the reader's language, with each field's problem when there are any."""
    message = str(error.message)
    details = "; ".join(str(problem) for problem in error.fields.values())
    if details and details not in message:
        return f"{message}: {details}" if message else details
    return message


def safe_next(target: str | None, default: str = "main.index") -> str:
    """A local path to go on to after a form (`?next=`); anything else goes to `default`."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not urlsplit(target).netloc and not urlsplit(target).scheme):
        return target
    return url_for(default)


# --- confirming destructive actions ------------------------------------------------------------

CONFIRMED = "confirmed"


def confirmed() -> bool:
    """Whether the posted form carries the staff member's confirmation of a destructive action
    (a hidden `confirmed=yes` sent by a button that states the consequence)."""
    return request.form.get(CONFIRMED) == "yes"


def confirmation(title: str, consequences: list[str], button: str, cancel_url: str):
    """The server-rendered confirmation step of a destructive action posted without `confirmed`:
    the consequences in words, a button posting the same fields again with `confirmed=yes`, and
    a way back. Nothing has been done yet; works without JavaScript."""
    keep = [(k, v) for k, v in request.form.items(multi=True) if k != CONFIRMED and not k.endswith("csrf_token")]
    csrf_field = next((k for k in request.form if k.endswith("csrf_token")), "csrf_token")
    return render_template("confirm.html", title=title, consequences=consequences, button=button,
                           cancel_url=cancel_url, keep=keep, csrf_field=csrf_field, action=request.path)


# --- errors ---------------------------------------------------------------------------------

def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/.well-known/")


def _error_response(status: int, code: str, message, fields: dict | None = None):
    if _wants_json():
        return {"error": {"code": code, "message": str(message),
                          "fields": {str(k): str(v) for k, v in (fields or {}).items()}}}, status
    return render_template("errors/error.html", status=status, message=str(message),
                           fields=fields or {}), status


def refusal(error: AppError):
    """Answer with `error` (its page, or JSON under /api/) without raising it, so the unit of work
    still commits what the refused request recorded (a failed login counts towards the throttles)."""
    return _error_response(error.status, error.code, error.message, error.fields)


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except DBAPIError:  # the connection is gone; the pool replaces it on the next checkout
        db.session.close()


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def _app_error(error: AppError):
        _rollback_quietly()
        response = _error_response(error.status, error.code, error.message, error.fields)
        if isinstance(error, Unavailable):
            response = (*response, {"Retry-After": str(error.retry_after)})
        return response

    @app.errorhandler(OperationalError)
    def _database_unavailable(error: OperationalError):
        """The database is down or restarting (connection refused, reset, timed out) or, on
        SQLite, locked for too long: nothing was written; the client may retry (the exam
        page keeps the answer queued). Connections are recreated once it is back."""
        app.logger.warning("database unavailable: %s", str(error.orig).splitlines()[0] if error.orig else error)
        return _app_error(Unavailable(_("数据库暂时不可用，请稍后重试")))

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        _rollback_quietly()
        return _error_response(400, "csrf_failed", _("页面已过期或表单无效，请刷新页面后重试"))

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error: RateLimitExceeded):
        _rollback_quietly()
        return _error_response(429, "rate_limited", _("请求过于频繁，请稍后再试"))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        _rollback_quietly()
        messages = {404: _("页面不存在"), 403: _("您没有访问此页面的权限"), 405: _("不支持该请求方法"),
                    413: _("上传的内容过大"), 400: _("请求无效")}
        code = (error.name or "error").lower().replace(" ", "_")
        return _error_response(error.code or 500, code, messages.get(error.code, error.description or ""))

    @app.errorhandler(500)
    def _server_error(error):
        _rollback_quietly()
        return _error_response(500, "internal_error", _("服务器内部错误，请稍后再试"))


# --- hooks ----------------------------------------------------------------------------------

def _check_input() -> None:
    """Input hygiene (lms.core.inputs) for the query string, form fields and JSON body."""
    inputs.check_text_fields(request.args.items(multi=True))
    if request.method in {"POST", "PUT", "PATCH"}:
        if request.is_json:
            try:
                data = request.get_json(silent=True)
            except RecursionError:
                raise inputs.BadJson(_("JSON 嵌套层数过多")) from None
            inputs.check_json(data)
        elif request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            inputs.check_text_fields(request.form.items(multi=True))


def _cache_and_transport_headers(response):
    for name, value in SECURITY_HEADERS:
        response.headers.setdefault(name, value)
    # Pages for a signed-in user carry personal data (ID numbers, phones): never kept by a cache.
    if request.endpoint != "static" and "Cache-Control" not in response.headers and (
            current_user.is_authenticated or "Authorization" in request.headers):
        response.headers["Cache-Control"] = "no-store"
    hsts = current_app.config.get("HSTS_SECONDS") or 0
    if hsts and request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
    return response


def _format_datetime(value) -> str:
    """2026年3月5日 14:30 in Chinese, Mar 5, 2026 14:30 in English (Asia/Shanghai time)."""
    if not value:
        return ""
    locale = get_locale()
    return format_datetime(value, "y年M月d日 HH:mm" if locale is None or locale.language == "zh" else "MMM d, y HH:mm")


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = inputs.BoundedIntConverter

    @app.before_request
    def _set_audit_origin():
        channel = "api" if request.path.startswith("/api/") else "web"
        request.environ["lms.audit_token"] = audit.set_origin(
            audit.Origin(ip=request.remote_addr, user_agent=request.user_agent.string, channel=channel)
        )

    app.before_request(_check_input)

    @app.teardown_request
    def _reset_audit_origin(exc):
        token = request.environ.pop("lms.audit_token", None)
        if token is not None:
            audit.reset_origin(token)

    app.after_request(_cache_and_transport_headers)
    _register_error_handlers(app)

    @app.context_processor
    def _template_globals():
        from lms.navigation import nav_for

        return {
            "csrf_token": generate_csrf,
            "current_locale": "zh_CN" if (get_locale() is None or get_locale().language == "zh") else "en",
            "nav": nav_for(current_user) if current_user.is_authenticated else [],
        }

    app.jinja_env.filters["date"] = lambda value: format_date(value, "long") if value else ""
    app.jinja_env.filters["datetime"] = _format_datetime
