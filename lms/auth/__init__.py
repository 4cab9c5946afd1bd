"""Signing in and out, password changes, API bearer tokens."""
from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.api.base import set_token_resolver
    from lms.auth import api, models, views  # noqa: F401
    from lms.auth.services import user_for_token

    set_token_resolver(user_for_token)
    app.register_blueprint(bp)
