"""Programs (研修班项目): curriculum modules, assessment rules, eligibility rules, teachers."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("programs", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.navigation import nav_item
    from lms.programs import models, views  # noqa: F401

    nav_item(_l("研修班项目"), "programs.programs", "admin", "bureau", "institution", order=20)
    nav_item(_l("师资"), "programs.teachers", "admin", "institution", order=23)
    app.register_blueprint(bp)
