"""`flask lms create-admin`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.extensions import db


@click.command("create-admin")
@click.option("--username", prompt="用户名 (username)")
@click.option("--name", prompt="姓名 (name)")
@click.password_option("--password", prompt="密码 (password)")
@with_appcontext
def create_admin_command(username: str, name: str, password: str) -> None:
    """Create an administrator account (city/provincial bureau)."""
    from flask_babel import gettext as _

    from lms.accounts.services import create_admin_account
    from lms.core.errors import ValidationFailed

    try:
        create_admin_account(username, password, name)
    except ValidationFailed as error:
        for field, problem in error.fields.items():
            click.echo(f"{field}: {problem}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(_("管理员账户 %(username)s 已创建。", username=username.strip().lower()))
