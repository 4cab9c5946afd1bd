"""Appointments: posts a region's policy defines, enterprises appointing people to them, and the
enterprise attributes statistics need (industry, ownership, honours; bureaus edit them)."""
from flask import Blueprint, Flask

bp = Blueprint("appointments", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.appointments import models  # noqa: F401
    from lms.appointments.demo import seed_appointments
    from lms.demo import demo_step

    demo_step(50, seed_appointments)
    app.register_blueprint(bp)
