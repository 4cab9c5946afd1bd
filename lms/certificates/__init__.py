"""Certificates (合格证): numbers, the PDF document, the signed QR token and its keys.

Everything here that renders or signs is pure: it takes plain values and returns bytes
or strings, so issuance jobs, tests and the benchmark call it without a request.
"""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("certificates", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from lms.certificates import api, batch, cli, dashboard, models, views, views_staff  # noqa: F401
    from lms.certificates.demo import seed_certificates
    from lms.cli import lms_group
    from lms.demo import demo_step
    from lms.navigation import nav_item

    for command in (cli.verify_token_command, cli.rotate_cert_key_command, cli.preview_certificate_command,
                    cli.issue_certificates_command):
        lms_group.add_command(command)
    nav_item(_l("合格证"), "certificates.search", "admin", "bureau", "institution", order=40)
    nav_item(_l("我的合格证"), "certificates.mine", "trainee", order=41)
    demo_step(40, seed_certificates)
    app.register_blueprint(bp)
