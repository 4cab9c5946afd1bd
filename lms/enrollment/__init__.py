"""Enrollment: trainee profiles, cohorts and sessions, applications, attendance."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("enrollment", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from sqlalchemy import select

    from lms.accounts.admin import add_employer_source
    from lms.accounts.api import add_me_section
    from lms.demo import demo_step
    from lms.enrollment import api, dashboard, models, views_enterprise, views_staff, views_trainee  # noqa: F401
    from lms.enrollment.api_schemas import PROFILE
    from lms.enrollment.demo import seed_enrollment
    from lms.enrollment.models import TraineeProfile
    from lms.enrollment.profiles import profile_json, profile_of
    from lms.navigation import nav_item

    add_me_section("profile", PROFILE, lambda user: profile_json(profile_of(user)))
    # a trainee belongs to the region of the enterprise on their profile (bureaus manage their accounts)
    add_employer_source("trainee_profiles", lambda: select(TraineeProfile.user_id, TraineeProfile.enterprise_id))
    nav_item(_l("班次"), "enrollment.staff_cohorts", "admin", "bureau", "institution", order=21)
    nav_item(_l("待审核报名"), "enrollment.bureau_queue", "bureau", order=22)
    nav_item(_l("个人资料"), "enrollment.profile", "trainee", order=24)
    nav_item(_l("报名中的班次"), "enrollment.open_cohorts", "trainee", order=25)
    nav_item(_l("我的报名"), "enrollment.my_applications", "trainee", order=26)
    nav_item(_l("课程表"), "enrollment.my_timetable", "trainee", order=30)
    nav_item(_l("员工报名"), "enrollment.employees", "enterprise", order=27)
    demo_step(20, seed_enrollment)
    app.register_blueprint(bp)
