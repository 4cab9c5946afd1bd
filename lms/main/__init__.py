"""The landing page, each role's home page (made of the panels domains contribute), the
language switch and the health check."""
from flask import Blueprint, Flask

bp = Blueprint("main", __name__)


def init_app(app: Flask) -> None:
    from lms.accounts.roles import Role
    from lms.main import views  # noqa: F401
    from lms.main.services import HOME_TITLES
    from lms.navigation import nav_item

    for order, role in enumerate(Role):  # each role's home page first, in Role's order
        nav_item(HOME_TITLES[role], "main.home", role, order=order - len(Role), role=role.value)
    app.register_blueprint(bp)
