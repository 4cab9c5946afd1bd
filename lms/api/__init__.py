"""The JSON API under /api/v1: the blueprint, the OpenAPI document and the caller's identity.

Each domain declares its endpoints in its own `api.py` with `lms.api.base.api_route()`, which
registers the Flask route and its OpenAPI operation together, so the document cannot fall
behind. This package imports no domain; its init_app runs last and registers the blueprint.
"""
from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    from lms.api import docs  # noqa: F401 - GET /openapi.json
    from lms.extensions import csrf

    csrf.exempt(bp)  # bearer tokens; cookie callers are checked in lms.api.base
    app.register_blueprint(bp)
