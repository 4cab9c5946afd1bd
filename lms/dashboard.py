"""Role home pages are made of panels that each domain contributes.

A domain's init_app imports the module where it registers
`@panel("trainee", "enrollment/panels/trainee.html")` on a function `(user) -> dict | None`;
returning None leaves the panel out (nothing to show).
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable


@dataclass(frozen=True)
class Panel:
    role: str
    template: str
    build: Callable
    order: int


# keyed by (role, template): registering again (a second app in one process) replaces, never doubles
PANELS: dict[tuple[str, str], Panel] = {}


def panel(role: str, template: str, order: int = 50):
    def register(build: Callable) -> Callable:
        PANELS[(role, template)] = Panel(role, template, build, order)
        return build

    return register


def panels_for(role: str, user) -> list[tuple[str, dict]]:
    drawn = []
    for item in sorted((p for p in PANELS.values() if p.role == role), key=lambda p: p.order):
        context = item.build(user)
        if context is not None:
            drawn.append((item.template, context))
    return drawn


# ---- work to do: the counts a staff home page leads with ----------------------------------------

@dataclass(frozen=True)
class TodoItem:
    """One kind of work waiting: how many, in words, and the list that holds them."""
    key: str
    label: str  # translated, with the count in it
    count: int
    url: str
    details: tuple[tuple[str, str], ...] = ()  # (label, url) of each place the work is, when several


# keyed by (role, key); each build is `(user) -> TodoItem | None` (None: not this user's work)
TODOS: dict[tuple[str, str], tuple[Callable, int]] = {}


def todo(key: str, *roles: str, order: int = 50):
    """Register the count of one kind of work for the home pages of `roles`."""
    def register(build: Callable) -> Callable:
        for role in roles:
            TODOS[(role, key)] = (build, order)
        return build

    return register


def todos_for(role: str, user) -> list[TodoItem]:
    items = []
    for (item_role, _key), (build, _order) in sorted(TODOS.items(), key=lambda kv: kv[1][1]):
        if item_role == role and (item := build(user)) is not None:
            items.append(item)
    return items
