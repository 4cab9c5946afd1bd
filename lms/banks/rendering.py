"""Template helpers for questions, available to every blueprint's templates (the exam page
renders `banks/_question.html` too)."""
from __future__ import annotations

from flask import Flask, current_app
from flask_babel import gettext as _
from markupsafe import Markup

from lms.banks.types import QUESTION_TYPES

_compiled: dict[tuple[int, str], object] = {}


def question_body(q: dict, name: str, response=None) -> Markup:
    """The type's own body of the trainee view (autoescaped like any template)."""
    env = current_app.jinja_env
    key = (id(env), q["type"])
    if key not in _compiled:
        _compiled[key] = env.from_string(QUESTION_TYPES[q["type"]].body_template)
    return Markup(_compiled[key].render(q=q, name=name, response=response))


def question_type_label(name: str) -> str:
    kind = QUESTION_TYPES.get(name)
    return _(kind.label) if kind else name


def init_app(app: Flask) -> None:
    # globals, not context: imported macros (`{% from ... import %}`) see only globals
    app.add_template_global(question_body)
    app.add_template_global(question_type_label)
