"""Appointments: posts a region's policy defines, enterprises appointing people to them, and the
enterprise attributes statistics need (industry, ownership, honours; bureaus edit them)."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("appointments", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.appointments import api, cli, dashboard, models, people, views, views_admin, views_people  # noqa: F401
    from lms.enrollment.services import add_nomination_warning
    from lms.appointments.demo import seed_appointments
    from lms.cli import lms_group
    from lms.demo import demo_step
    from lms.navigation import nav_item

    nav_item(_l("企业统计属性"), "appointments.enterprise_profiles", "admin", "bureau", order=13)
    nav_item(_l("员工"), "appointments.enterprise_people", "enterprise", order=26)
    add_nomination_warning(people.certified_warnings)
    nav_item(_l("员工聘任"), "appointments.enterprise_appointments", "enterprise", order=28)
    nav_item(_l("岗位设置"), "appointments.posts", "admin", "enterprise", order=60)
    nav_item(_l("我的聘任"), "appointments.my_appointments", "trainee", order=42)
    for command in (cli.posts_command, cli.add_post_command):
        lms_group.add_command(command)
    demo_step(50, seed_appointments)
    app.register_blueprint(bp)
