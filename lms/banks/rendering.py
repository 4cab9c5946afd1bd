"""Template helpers for questions, available to every blueprint's templates (the exam page
renders `banks/_question.html` too)."""
from __future__ import annotations

from flask import Flask, current_app
from markupsafe import Markup

from lms.banks.types import QUESTION_TYPES, type_label

_compiled: dict[tuple[int, str], object] = {}


def question_body(q: dict, name: str, response=None) -> Markup:
    """The type's own body of the trainee view (autoescaped like any template); `kind` is the
    type's class, for the texts it defines (`kind.answer_labels`, `kind.blank_label`...)."""
    env = current_app.jinja_env
    kind = QUESTION_TYPES[q["type"]]
    key = (id(env), q["type"])
    if key not in _compiled:
        _compiled[key] = env.from_string(kind.body_template)
    # An autoescaped template's output.
    return Markup(_compiled[key].render(q=q, name=name, response=response, kind=kind))  # noqa: S704


def init_app(app: Flask) -> None:
    # globals, not context: imported macros (`{% from ... import %}`) see only globals
    app.add_template_global(question_body)
    app.add_template_global(type_label, "question_type_label")
