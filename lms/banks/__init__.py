"""Question banks (题库): banks, categories, versioned questions, importers and exporters."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("banks", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.banks import api, cli, import_views, models, views  # noqa: F401
    from lms.banks.demo import seed_banks, seed_practice_bank
    from lms.demo import demo_step
    from lms.navigation import nav_item

    nav_item(_l("题库"), "banks.index", "admin", "institution", "grader", order=30)
    demo_step(10, seed_banks)
    demo_step(11, seed_practice_bank)
    app.register_blueprint(bp)
