"""Continuing education (继续教育, DESIGN §9): activities of the exchange platform, online courses,
declared hours, the yearly ledger with its transcript, and certificate renewal on it."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("ce", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.ce import (api, api_courses, cli, course_models, dashboard, models, views, views_activities,  # noqa: F401
                        views_claims, views_courses, views_renewals, views_transcripts)
    from lms.ce import renewal  # noqa: F401 - its job kind
    from lms.ce.demo import seed_ce
    from lms.ce.renewal import public_section
    from lms.cli import lms_group
    from lms.demo import demo_step
    from lms.navigation import nav_item
    from lms.verify.services import add_public_section

    lms_group.add_command(cli.ce_group)
    lms_group.add_command(cli.renew_certificates_command)
    add_public_section("ce", public_section)
    nav_item(_l("继续教育"), "ce.index", "trainee", order=45)
    nav_item(_l("继续教育"), "ce.staff", "admin", "bureau", "institution", "enterprise", order=45)
    demo_step(50, seed_ce)
    app.register_blueprint(bp)
