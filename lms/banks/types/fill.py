"""Fill in the blanks: each `____` in the stem is a blank; one answer entry per blank,
a string or a list of accepted alternatives. Credit is given per blank."""
from __future__ import annotations

import random
import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.banks.types.base import MAX_TEXT, QuestionType, Score, register

BLANK = "____"
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Full-width/half-width folded (NFKC), spaces removed, case-insensitive."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def blank_count(stem: str) -> int:
    return stem.count(BLANK) if isinstance(stem, str) else 0


def alternatives(entry: Any) -> list[str]:
    return [entry] if isinstance(entry, str) else list(entry)


@register
class Fill(QuestionType):
    name = "fill"
    order = 4
    fields = frozenset({"answer"})
    label = _l("填空题")
    blank_label = _l("第 %(n)s 空")  # each blank's accessible name
    body_template = (
        '<p class="question-stem">{% for part in q.stem.split("____") %}{{ part }}{% if not loop.last %}'
        '<input type="text" class="blank" name="{{ name }}-{{ loop.index }}" autocomplete="off"'
        ' aria-label="{{ kind.blank_label % {\'n\': loop.index} }}"'
        ' value="{{ response[loop.index0] if response and response|length >= loop.index else \'\' }}">'
        '{% endif %}{% endfor %}</p>')

    @classmethod
    def validate(cls, data: dict) -> list[tuple[str, str]]:
        problems = []
        blanks = blank_count(data.get("stem"))
        if blanks == 0:
            return [("stem", _l("填空题题干应以 %(blank)s（四个下划线）标出每个空", blank=BLANK))]
        answer = data.get("answer")
        if not isinstance(answer, list):
            return [("answer", _l("填空题答案应为列表，每个空一项"))]
        if len(answer) != blanks:
            problems.append(("answer", _l("题干有 %(blanks)s 个空，答案却有 %(answers)s 项", blanks=blanks,
                                          answers=len(answer))))
        for number, entry in enumerate(answer, 1):
            accepted = [entry] if isinstance(entry, str) else entry if isinstance(entry, list) else []
            if not accepted or not all(isinstance(a, str) and normalize_text(a) for a in accepted):
                problems.append(("answer", _l("第 %(n)s 空的答案应为非空文本或非空文本列表", n=number)))
            elif sum(len(a) for a in accepted) > MAX_TEXT:
                problems.append(("answer", _l("第 %(n)s 空的答案过长（超过 %(max)s 字）", n=number, max=MAX_TEXT)))
        return problems

    @classmethod
    def public_view(cls, revision, rng: random.Random) -> dict:
        view = super().public_view(revision, rng)
        view["blanks"] = blank_count(revision.stem)
        return view

    @classmethod
    def grade(cls, revision, response: Any, *, partial: bool = False) -> Score:
        answer = revision.data.get("answer") or []
        max_points = revision.points
        if not answer or not isinstance(response, list):
            return Score(0.0, max_points)
        right = 0
        for number, entry in enumerate(answer):
            given = response[number] if number < len(response) else None
            if isinstance(given, str) and normalize_text(given) in {normalize_text(a) for a in alternatives(entry)}:
                right += 1
        return Score(cls.round(max_points * right / len(answer)), max_points)
