"""The talent pool: filings (备案表) of certified and appointed people, endorsed by their
enterprise and accepted by a city bureau; the summary table (汇总表); pool search and export."""
from flask import Blueprint, Flask

bp = Blueprint("talent", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.talent import models  # noqa: F401

    app.register_blueprint(bp)
