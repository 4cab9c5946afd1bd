"""The public certificate check: what a phone opens after scanning the QR code."""
from flask import Blueprint, Flask

bp = Blueprint("verify", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.verify import api, checklog, fast, views  # noqa: F401

    app.register_blueprint(bp)
    checklog.init_app(app)
    fast.mount(app)  # before ProxyFix wraps the app (create_app), so the fast path sees the client's address
