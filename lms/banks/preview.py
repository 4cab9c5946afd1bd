"""The editor's live preview: editor fields → the trainee's view, rendered with the same
template the exam page uses."""
from __future__ import annotations

import random
from typing import Any

from flask import render_template_string

from lms.banks.editing import content_from_fields
from lms.banks.models import QuestionRevision
from lms.banks.services import content_problems, trainee_view
from lms.banks.types import QUESTION_TYPES
from lms.banks.types.base import is_number

_RENDER = '{% from "banks/_question.html" import question_view %}{{ question_view(q, number=1) }}'


def preview(fields: dict[str, Any]) -> dict[str, Any]:
    """{html, problems}: the question as a trainee would see it, and what is still wrong."""
    content, problems = content_from_fields(fields)
    for field, problem in content_problems(content).items():
        problems.setdefault(field, problem)
    html = ""
    if content["type"] in QUESTION_TYPES and isinstance(content.get("stem"), str):
        options = content.get("options") if "options" not in problems else []
        revision = QuestionRevision(id=None, type=content["type"], stem=content["stem"],
                                    points=content["points"] if is_number(content.get("points")) else 0,
                                    data={"options": options or []})
        html = render_template_string(_RENDER, q=trainee_view(revision, random.Random(0)))  # noqa: S311 - a reproducible order, not a secret
    return {"html": html, "problems": {field: str(problem) for field, problem in problems.items()}}
