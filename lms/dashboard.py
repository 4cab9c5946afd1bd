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
