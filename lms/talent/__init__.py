"""The talent pool: filings (备案表) of certified and appointed people, endorsed by their
enterprise and accepted by a city bureau; the summary table (汇总表); pool search and export."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("talent", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.demo import demo_step
    from lms.navigation import nav_item
    from lms.talent import api, cli, dashboard, models, views, views_pool  # noqa: F401
    from lms.talent.demo import seed_filings

    nav_item(_l("人才库"), "talent.pool_page", "admin", "bureau", order=45)
    nav_item(_l("员工备案"), "talent.enterprise_filings", "enterprise", order=29)
    nav_item(_l("我的备案"), "talent.my_filings", "trainee", order=43)
    demo_step(60, seed_filings)
    app.register_blueprint(bp)
