"""Navigation by role: each domain adds its entries from its init_app with nav_item()."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class NavItem:
    label: object  # lazy string
    endpoint: str
    roles: tuple[str, ...]
    order: int
    values: tuple[tuple[str, str], ...] = ()


# keyed by endpoint and values, so a second app in the same process (tests, tools) registers nothing twice
NAV_ITEMS: dict[tuple[str, tuple[tuple[str, str], ...]], NavItem] = {}


def nav_item(label, endpoint: str, *roles: str, order: int = 50, **values: str) -> None:
    item = NavItem(label, endpoint, roles, order, tuple(values.items()))
    NAV_ITEMS[(endpoint, item.values)] = item


def nav_for(user) -> list[dict]:
    held = set(user.roles)
    return [{"label": item.label, "url": url_for(item.endpoint, **dict(item.values))}
            for item in sorted(NAV_ITEMS.values(), key=lambda i: i.order) if held.intersection(item.roles)]
