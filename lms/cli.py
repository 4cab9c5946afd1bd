"""The `flask lms ...` command group. Each domain adds its commands from its init_app."""
from __future__ import annotations

import click


@click.group("lms", help="标准化总监培训考试系统管理命令")
def lms_group() -> None:
    pass
