"""Application factory."""
from __future__ import annotations

import os
from importlib import import_module
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.config import default_instance_path, load_settings
from lms.core.forms import use_project_messages
from lms.extensions import babel, csrf, db, limiter, login_manager, migrate

__version__ = "0.1.0"

# Each domain is a package under lms/ with an init_app(app) that registers its models, blueprint,
# navigation entries, home-page panels, API endpoints, CLI commands, job kinds and demo data.
# A domain may import those listed before it, never one after it. The API goes last: it
# registers the blueprint every domain's endpoints were added to.
DOMAINS = ("orgs", "accounts", "demo", "auth", "main", "notifications", "programs", "enrollment", "banks", "exams",
           "certificates", "verify", "appointments", "talent", "ce", "reports", "api")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=default_instance_path(), instance_relative_config=True)
    settings = load_settings(app.instance_path, config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        # PostgreSQL unreachable: give up connecting after 3 s (the request answers 503, lms.web)
        SQLALCHEMY_ENGINE_OPTIONS=({"connect_args": {"connect_timeout": 3}}
                                   if settings["DATABASE_URL"].startswith("postgresql") else {}),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings["SESSION_COOKIE_SECURE"],
        RATELIMIT_STORAGE_URI=settings["REDIS_URL"] or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        # Redis down: limits fall back to each process's memory instead of failing requests
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1} if settings["REDIS_URL"] else {},
        BABEL_DEFAULT_LOCALE=settings["DEFAULT_LOCALE"],
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
    )
    app.json.ensure_ascii = False

    from lms import web
    from lms.cli import lms_group

    web.init_app(app)
    _init_extensions(app)
    for name in DOMAINS:
        import_module(f"lms.{name}").init_app(app)
    use_project_messages()
    web.unit_of_work(app)
    if settings["TRUSTED_PROXIES"]:
        n = settings["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    app.cli.add_command(lms_group)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _select_locale() -> str:
    if not has_request_context():  # CLI commands and jobs: the default language
        return current_app.config["DEFAULT_LOCALE"]
    if "lang" in session:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    if request.path.startswith("/api/"):  # DESIGN §6: the caller's choice, else Accept-Language
        api_user = g.get("api_user")
        if api_user is not None and api_user.locale:
            return api_user.locale
        best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
        if best:
            return "en" if best == "en" else "zh_CN"
    return current_app.config["DEFAULT_LOCALE"]


def _init_extensions(app: Flask) -> None:
    from lms.core import audit, jobs  # noqa: F401 - the core's own tables

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("请先登录")
