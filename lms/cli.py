"""The `flask lms ...` command group. Each domain adds its commands from its init_app."""
from __future__ import annotations

import click


@click.group("lms", help="标准化总监培训考试系统管理命令")
def lms_group() -> None:
    pass


def subgroup(name: str, help: str) -> click.Group:  # noqa: A002 - click's word
    """The `flask lms <name>` group, made by the first domain that asks for it, shared by the
    others (e.g. `report`: each domain adds its own exports)."""
    group = lms_group.commands.get(name)
    if not isinstance(group, click.Group):
        group = click.Group(name, help=help)
        lms_group.add_command(group)
    return group
