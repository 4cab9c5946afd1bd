"""Targets, statistics and reports (DESIGN §9): the metrics defined once (metrics.py) and counted
in one place (counting.py) from their kept facts (facts.py), targets with progress and projection,
the /reports page with its server-drawn chart, the yearly workbook, the API and `flask lms report`."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("reports", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.demo import demo_step
    from lms.navigation import nav_item
    from lms.reports import api, cli, dashboard, freshness, models, views  # noqa: F401
    from lms.reports.demo import seed_reports

    nav_item(_l("统计报表"), "reports.index", "admin", "bureau", order=47)
    demo_step(70, seed_reports)
    app.register_blueprint(bp)
