"""Appointments: posts a region's policy defines, enterprises appointing people to them, and the
enterprise attributes statistics need (industry, ownership, honours; bureaus edit them)."""
from flask import Blueprint, Flask

bp = Blueprint("appointments", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.appointments import models  # noqa: F401

    app.register_blueprint(bp)
