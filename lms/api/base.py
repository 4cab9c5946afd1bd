"""Helpers every API module uses: api_route(), the caller's identity, JSON input.

Domains declare their endpoints in their own `api.py` with api_route(); this package is
only the plumbing (blueprint, OpenAPI document, identity) and imports no domain.
"""
from __future__ import annotations

import re
from functools import wraps
from typing import Any
from collections.abc import Callable

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from lms.api import bp, openapi
from lms.core.errors import AppError, Unauthorized, ValidationFailed

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# token -> active user or None; set by the auth domain (lms.auth.init_app)
_token_resolver: list[Callable[[str], Any]] = []
# token -> the active user's id or None: one small query, for hot endpoints that need only the id
_token_id_resolver: list[Callable[[str], int | None]] = []


def set_token_resolver(resolve: Callable[[str], Any]) -> None:
    _token_resolver[:] = [resolve]


def set_token_id_resolver(resolve: Callable[[str], int | None]) -> None:
    _token_id_resolver[:] = [resolve]


class CsrfFailed(AppError):
    code = "csrf_failed"


def api_route(path: str, method: str, *, summary: str, tags: list[str], auth: bool = True,
              request: dict | None = None, responses: dict[str, Any] | None = None,
              errors: tuple[str, ...] = (), parameters: list[dict] | None = None, identity: str = "user",
              **route_options):
    """Declare an endpoint: the Flask route and its OpenAPI operation, in one place.

    With auth=True the caller must present a bearer token, or a session cookie plus an
    X-CSRFToken header for unsafe methods (the web exam page uses the latter).
    identity="id": a hot endpoint that needs only the caller's id (`caller_id()`); a bearer
    token is then resolved with one small query instead of loading the user and their grants.
    """
    spec_path = re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", path)
    openapi.add_operation(spec_path, method, summary=summary, tags=tags, auth=auth, request=request,
                          responses=responses or {}, errors=errors,
                          parameters=_with_path_parameters(path, parameters or []))

    def decorator(view: Callable):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if auth and identity == "id":
                g.api_user_id = authenticated_caller_id()
            elif auth:
                g.api_user = authenticated_caller()
            return view(*args, **kwargs)  # the unit of work (lms.web) commits when it returns

        # endpoint names: <domain>_<function>, e.g. api.exams_get_attempt
        endpoint = f"{view.__module__.split('.')[1]}_{view.__name__}"
        bp.add_url_rule(path, endpoint=endpoint, view_func=wrapped, methods=[method], **route_options)
        openapi.ENDPOINTS[f"api.{endpoint}"] = (spec_path, method.lower())
        return wrapped

    return decorator


def _with_path_parameters(path: str, parameters: list[dict]) -> list[dict]:
    """Declare every <converter:name> of the route as a path parameter unless given explicitly."""
    named = {(p["name"], p["in"]) for p in parameters}
    derived = []
    for converter, name in re.findall(r"<(?:([a-z_]+):)?([a-z_]+)>", path):
        if (name, "path") not in named:
            schema = {"type": "integer"} if converter == "int" else {"type": "string"}
            derived.append({"name": name, "in": "path", "required": True, "schema": schema})
    return derived + parameters


def _resolved(resolvers: list[Callable[[str], Any]]):
    """What the bearer token of the request resolves to, or None when none is presented."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(_l("Authorization 头应为 Bearer <token>"))
    found = resolvers[0](token.strip())
    if found is None:
        raise Unauthorized(_l("令牌无效或已过期，请重新获取"))
    return found


def authenticated_caller():
    user = _resolved(_token_resolver)
    if user is not None:
        return user
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except (ValidationError, CSRFError):
                raise CsrfFailed(_l("缺少或无效的 CSRF 令牌 (X-CSRFToken)")) from None
        return current_user._get_current_object()
    raise Unauthorized(_l("请先登录：POST /api/v1/auth/token 获取令牌"))


def authenticated_caller_id() -> int:
    """authenticated_caller()'s id; for a bearer token without loading the user."""
    user_id = _resolved(_token_id_resolver) if _token_id_resolver else None
    return user_id if user_id is not None else authenticated_caller().id


def prefers_minimal(prefer: str | None) -> bool:
    """Whether a `Prefer` header (RFC 7240) asks for `return=minimal`: the client does not need the
    resource back (the exam page, which goes on to the result page, does not need the paper)."""
    for preference in (prefer or "").split(","):
        name, _, value = preference.split(";")[0].partition("=")
        if name.strip().lower() == "return" and value.strip().strip('"').lower() == "minimal":
            return True
    return False


MINIMAL_APPLIED = ("Preference-Applied", "return=minimal")


def caller():
    return g.api_user


def caller_id() -> int:
    return g.api_user_id if "api_user_id" in g else g.api_user.id


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise AppError(_l("请求体应为 JSON 对象 (Content-Type: application/json)"))
    return data


def text_field(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(_l("字段 %(name)s 应为字符串", name=name), {name: _l("应为字符串")})
    return value
