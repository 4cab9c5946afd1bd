"""The landing page, each role's home page (made of the panels domains contribute), the
language switch and the health check."""
from flask import Blueprint, Flask

bp = Blueprint("main", __name__)


def init_app(app: Flask) -> None:
    from lms.main import views  # noqa: F401

    app.register_blueprint(bp)
