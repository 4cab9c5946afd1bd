"""Organizations: the region tree, training institutions with accreditation, enterprises."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("orgs", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.navigation import nav_item
    from lms.orgs import models, views  # noqa: F401

    nav_item(_l("行政区划"), "orgs.regions", "admin", "bureau", order=10)
    nav_item(_l("承办机构"), "orgs.institutions", "admin", order=11)
    nav_item(_l("企业"), "orgs.enterprises", "admin", "bureau", "enterprise", order=12)
    app.register_blueprint(bp)
