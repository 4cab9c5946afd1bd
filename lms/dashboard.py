"""Role home pages are made of panels that each domain contributes.

A domain registers `@panel("trainee", "enrollment/panels/trainee.html")` on a function
`(user) -> dict | None`; returning None leaves the panel out (nothing to show).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

# Modules that contribute panels; imported once when the first home page is drawn.
PANEL_MODULES = ("lms.enrollment.dashboard", "lms.exams.dashboard", "lms.certificates.dashboard")


@dataclass(frozen=True)
class Panel:
    role: str
    template: str
    build: Callable
    order: int


PANELS: list[Panel] = []
_loaded = False


def panel(role: str, template: str, order: int = 50):
    def register(build: Callable) -> Callable:
        PANELS.append(Panel(role, template, build, order))
        return build

    return register


def panels_for(role: str, user) -> list[tuple[str, dict]]:
    global _loaded
    if not _loaded:
        for module in PANEL_MODULES:
            import_module(module)
        _loaded = True
    drawn = []
    for item in sorted((p for p in PANELS if p.role == role), key=lambda p: p.order):
        context = item.build(user)
        if context is not None:
            drawn.append((item.template, context))
    return drawn
