"""The talent pool: filings (备案表) of certified and appointed people, endorsed by their
enterprise and accepted by a city bureau; the summary table (汇总表); pool search and export."""
from flask import Blueprint, Flask

bp = Blueprint("talent", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.demo import demo_step
    from lms.talent import models  # noqa: F401
    from lms.talent.demo import seed_filings

    demo_step(60, seed_filings)
    app.register_blueprint(bp)
