"""In-app notifications (通知): stored as a message id with parameters, shown in the
recipient's language when they read them."""
from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.notifications import models, views  # noqa: F401

    app.register_blueprint(bp)
