"""Timed exams: blueprints, attempts with server-held deadlines, grading, results."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("exams", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.demo import demo_step
    from lms.exams import (api, api_staff, cli, dashboard, fast, models, views_blueprint, views_grading,  # noqa: F401
                           views_staff, views_trainee)
    from lms.exams.demo import seed_exams
    from lms.exams.exams import GRADER_ROLES
    from lms.navigation import nav_item

    nav_item(_l("我的考试"), "exams.my_exams", "trainee", order=31)
    nav_item(_l("考试"), "exams.staff_exams", "admin", "bureau", "institution", order=32)
    nav_item(_l("阅卷"), "exams.grading_queue", *GRADER_ROLES, order=33)
    demo_step(30, seed_exams)
    app.register_blueprint(bp)
    fast.mount(app)  # before ProxyFix wraps the app (create_app): the fast path sees the client's address
