"""A trainee's view of a question never contains answers, explanations, rubrics or weights."""
from __future__ import annotations

import json
import random

from flask import render_template_string
from sqlalchemy import select

from lms.banks.demo import seed_banks
from lms.banks.models import Question
from lms.banks.services import trainee_view
from lms.extensions import db

SECRET_KEYS = {"answer", "explanation", "rubric", "weights", "source", "tags"}
RENDER = '{% from "banks/_question.html" import question_view %}{{ question_view(q, number=1) }}'


def secrets_of(revision) -> list[str]:
    """Texts that would give the answer away (long enough not to occur by chance)."""
    data = revision.data
    texts = [data.get("explanation") or ""]
    texts += [r["criterion"] for r in data.get("rubric") or []]
    if revision.type == "essay" and data.get("answer"):
        texts.append(data["answer"])
    if revision.type == "fill":
        for entry in data["answer"]:
            texts += [entry] if isinstance(entry, str) else entry
    return [t for t in texts if len(t) >= 4 and t not in revision.stem]


def test_no_trainee_view_of_a_shipped_question_gives_anything_away(app):
    seed_banks()
    db.session.commit()
    questions = db.session.scalars(select(Question)).all()
    assert len(questions) >= 200
    rng = random.Random(5)
    with app.test_request_context():
        for question in questions:
            revision = question.current
            view = trainee_view(revision, rng)
            assert not SECRET_KEYS & set(view), view
            assert set(view) <= {"id", "type", "stem", "options", "points", "blanks"}
            dumped = json.dumps(view, ensure_ascii=False)
            html = render_template_string(RENDER, q=view)
            for secret in secrets_of(revision):
                assert secret not in dumped, (question.external_id, secret)
                assert secret not in html, (question.external_id, secret)
            if revision.type in ("single", "multiple"):
                assert html.count('name="answer-') == len(revision.data["options"])
            if revision.type == "fill":
                assert view["blanks"] == revision.stem.count("____")
                assert html.count('class="blank"') == view["blanks"]
