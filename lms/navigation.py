"""Navigation by role: each domain adds its entries from its init_app with nav_item()."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NavItem:
    label: object  # lazy string
    endpoint: str
    roles: tuple[str, ...]
    order: int
    values: tuple[tuple[str, str], ...] = ()


# keyed by endpoint, so a second app in the same process (tests, tools) registers nothing twice
NAV_ITEMS: dict[str, NavItem] = {}


def nav_item(label, endpoint: str, *roles: str, order: int = 50, **values: str) -> None:
    NAV_ITEMS[endpoint] = NavItem(label, endpoint, roles, order, tuple(values.items()))


def nav_for(user) -> list[dict]:
    held = set(user.roles)
    items = [{"label": ROLE_HOME_LABELS[role], "url": url_for("main.home", role=role)} for role in user.roles]
    for item in sorted(NAV_ITEMS.values(), key=lambda i: i.order):
        if held.intersection(item.roles):
            items.append({"label": item.label, "url": url_for(item.endpoint, **dict(item.values))})
    return items


ROLE_HOME_LABELS = {
    "admin": _l("管理工作台"),
    "bureau": _l("区局工作台"),
    "institution": _l("机构工作台"),
    "grader": _l("阅卷工作台"),
    "enterprise": _l("企业工作台"),
    "trainee": _l("学员首页"),
}
