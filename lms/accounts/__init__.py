"""Accounts: users, role grants with their scope, passwords, registration, staff accounts."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("accounts", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.accounts import api, models, views  # noqa: F401
    from lms.accounts.cli import create_admin_command
    from lms.cli import lms_group
    from lms.navigation import nav_item

    nav_item(_l("账户"), "accounts.users", "admin", "bureau", order=13)
    lms_group.add_command(create_admin_command)
    app.register_blueprint(bp)
