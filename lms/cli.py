"""The `flask lms ...` command group."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.extensions import db


@click.group("lms", help="标准化总监培训考试系统管理命令")
def lms_group() -> None:
    pass


@lms_group.command("create-admin")
@click.option("--username", prompt="用户名 (username)")
@click.option("--name", prompt="姓名 (name)")
@click.password_option("--password", prompt="密码 (password)")
@with_appcontext
def create_admin(username: str, name: str, password: str) -> None:
    """Create an administrator account (city/provincial bureau)."""
    from lms.accounts.services import create_admin_account
    from lms.core.errors import ValidationFailed

    try:
        create_admin_account(username, password, name)
    except ValidationFailed as error:
        for field, problem in error.fields.items():
            click.echo(f"{field}: {problem}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"管理员账户 {username.strip().lower()} 已创建。")


@lms_group.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo data (idempotent) and print the demo accounts."""
    from lms.demo import DEMO_PASSWORD, seed_demo

    accounts = seed_demo()
    db.session.commit()
    click.echo("演示数据已就绪。Demo accounts (password %s):" % DEMO_PASSWORD)
    for username, description in accounts:
        click.echo(f"  {username:<12} {description}")


def _add_domain_commands() -> None:
    from lms.banks import cli as _banks_cli  # noqa: F401 - its commands register themselves on import
    from lms.exams import cli as _exams_cli  # noqa: F401 - likewise (close-overdue)
    from lms.certificates import cli as certificates_cli

    for command in (certificates_cli.verify_token_command, certificates_cli.rotate_cert_key_command,
                    certificates_cli.preview_certificate_command, certificates_cli.issue_certificates_command):
        lms_group.add_command(command)


_add_domain_commands()
