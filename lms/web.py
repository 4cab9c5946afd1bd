"""Request plumbing shared by all pages: audit origin, error pages and JSON errors,
security headers, template helpers."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException

from lms.core import audit
from lms.core.errors import AppError
from lms.extensions import db

CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
# Sent with every response, including the verification page's fast path (lms.verify.fast).
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                    ("Referrer-Policy", "same-origin"), ("Content-Security-Policy", CSP))


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/.well-known/")


def _error_response(status: int, code: str, message: str, fields: dict | None = None):
    if _wants_json():
        return {"error": {"code": code, "message": message, "fields": fields or {}}}, status
    return render_template("errors/error.html", status=status, message=message), status


def _format_datetime(value) -> str:
    """2026年3月5日 14:30 in Chinese, Mar 5, 2026 14:30 in English (Asia/Shanghai time)."""
    if not value:
        return ""
    locale = get_locale()
    return format_datetime(value, "y年M月d日 HH:mm" if locale is None or locale.language == "zh" else "MMM d, y HH:mm")


def init_app(app: Flask) -> None:
    @app.before_request
    def _set_audit_origin():
        channel = "api" if request.path.startswith("/api/") else "web"
        request.environ["lms.audit_token"] = audit.set_origin(
            audit.Origin(ip=request.remote_addr, user_agent=request.user_agent.string, channel=channel)
        )

    @app.teardown_request
    def _reset_audit_origin(exc):
        token = request.environ.pop("lms.audit_token", None)
        if token is not None:
            audit.reset_origin(token)

    @app.after_request
    def _security_headers(response):
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(AppError)
    def _app_error(error: AppError):
        db.session.rollback()
        return _error_response(error.status, error.code, error.message, error.fields)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        db.session.rollback()
        return _error_response(400, "csrf_failed", _("页面已过期或表单无效，请刷新页面后重试"))

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error: RateLimitExceeded):
        db.session.rollback()
        return _error_response(429, "rate_limited", _("请求过于频繁，请稍后再试"))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        db.session.rollback()
        messages = {404: _("页面不存在"), 403: _("您没有访问此页面的权限"), 405: _("不支持该请求方法"),
                    413: _("上传的内容过大"), 400: _("请求无效")}
        code = (error.name or "error").lower().replace(" ", "_")
        return _error_response(error.code or 500, code, messages.get(error.code, error.description or ""))

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        return _error_response(500, "internal_error", _("服务器内部错误，请稍后再试"))

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
