"""Single choice (one key) and multiple choice (a set of keys, optional GIFT weights)."""
from __future__ import annotations

import random
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.banks.types.base import MAX_TEXT, QuestionType, Score, is_number, register, shown

MAX_OPTIONS = 26
MAX_KEY = 8


def option_problems(data: dict) -> list[tuple[str, str]]:
    options = data.get("options")
    if not isinstance(options, list) or len(options) < 2:
        return [("options", _l("选择题至少需要 2 个选项"))]
    if len(options) > MAX_OPTIONS:
        return [("options", _l("选项不能超过 %(max)s 个", max=MAX_OPTIONS))]
    problems = []
    keys = []
    for option in options:
        if not isinstance(option, dict) or not isinstance(option.get("key"), str) \
                or not isinstance(option.get("text"), str):
            return [("options", _l("选项应为“键: 文本”形式"))]
        key, text = option["key"], option["text"]
        if not key.strip() or len(key) > MAX_KEY or key != key.strip():
            problems.append(("options", _l("选项键 %(key)s 无效（1–%(max)s 个字符，不含首尾空格）", key=shown(key),
                                           max=MAX_KEY)))
        if not text.strip():
            problems.append(("options", _l("选项 %(key)s 的内容为空", key=shown(key, quote=False))))
        elif len(text) > MAX_TEXT:
            problems.append(("options", _l("选项 %(key)s 过长（超过 %(max)s 字）", key=shown(key, quote=False),
                                           max=MAX_TEXT)))
        keys.append(key)
    if len(set(keys)) != len(keys):
        problems.append(("options", _l("选项键重复")))
    return problems


def option_keys(data: dict) -> list[str]:
    options = data.get("options")
    if not isinstance(options, list):
        return []
    return [o["key"] for o in options if isinstance(o, dict) and isinstance(o.get("key"), str)]


class _Choice(QuestionType):
    @classmethod
    def public_view(cls, revision, rng: random.Random) -> dict:
        view = super().public_view(revision, rng)
        options = [{"key": o["key"], "text": o["text"]} for o in revision.options]
        rng.shuffle(options)
        view["options"] = options
        return view


@register
class SingleChoice(_Choice):
    name = "single"
    order = 1
    fields = frozenset({"options", "answer"})
    label = _l("单选题")
    body_template = (
        '<p class="question-stem">{{ q.stem }}</p><div class="options">{% for option in q.options %}'
        '<label class="option"><input type="radio" name="{{ name }}" value="{{ option.key }}"'
        '{% if option.key == response %} checked{% endif %}>'
        ' <span class="option-key">{{ option.key }}.</span> <span>{{ option.text }}</span></label>'
        '{% endfor %}</div>')

    @classmethod
    def validate(cls, data: dict) -> list[tuple[str, str]]:
        problems = option_problems(data)
        answer = data.get("answer")
        if not isinstance(answer, str) or answer not in option_keys(data):
            problems.append(("answer", _l("答案应为一个选项键（%(keys)s），而不是 %(value)s",
                                          keys=", ".join(option_keys(data)), value=shown(answer))))
        return problems

    @classmethod
    def grade(cls, revision, response: Any, *, partial: bool = False) -> Score:
        correct = isinstance(response, str) and response == revision.data.get("answer")
        return Score(revision.points if correct else 0.0, revision.points)


@register
class MultipleChoice(_Choice):
    name = "multiple"
    order = 2
    fields = frozenset({"options", "answer", "weights"})
    label = _l("多选题")
    body_template = (
        '<p class="question-stem">{{ q.stem }}</p><div class="options">{% for option in q.options %}'
        '<label class="option"><input type="checkbox" name="{{ name }}" value="{{ option.key }}"'
        '{% if response and option.key in response %} checked{% endif %}>'
        ' <span class="option-key">{{ option.key }}.</span> <span>{{ option.text }}</span></label>'
        '{% endfor %}</div>')

    @classmethod
    def validate(cls, data: dict) -> list[tuple[str, str]]:
        problems = option_problems(data)
        keys = option_keys(data)
        answer = data.get("answer")
        answer_ok = isinstance(answer, list) and bool(answer) and all(isinstance(a, str) for a in answer)
        if not answer_ok:
            problems.append(("answer", _l("多选题答案应为选项键列表，至少一个")))
        else:
            if len(set(answer)) != len(answer):
                problems.append(("answer", _l("答案中有重复的选项键")))
            if unknown := [a for a in answer if a not in keys]:
                problems.append(("answer", _l("答案中的 %(keys)s 不是选项键",
                                              keys=shown(", ".join(unknown), quote=False))))
        weights = data.get("weights")
        if weights is not None:
            if not isinstance(weights, dict) or not all(
                    isinstance(k, str) and k in keys and is_number(v) and -100 <= v <= 100
                    for k, v in weights.items()):
                problems.append(("weights", _l("权重应为“选项键: -100 到 100 的百分数”")))
            elif answer_ok and sorted(k for k, v in weights.items() if v > 0) != sorted(answer):
                problems.append(("weights", _l("正权重的选项应与答案一致")))
            elif abs(sum(v for v in weights.values() if v > 0) - 100) > 0.5:
                problems.append(("weights", _l("正权重之和应为 100%")))
        return problems

    @classmethod
    def grade(cls, revision, response: Any, *, partial: bool = False) -> Score:
        max_points = revision.points
        if not isinstance(response, list) or not all(isinstance(r, str) for r in response):
            return Score(0.0, max_points)
        chosen = set(response)
        answer = set(revision.data.get("answer") or [])
        if chosen == answer:
            return Score(max_points, max_points)
        if not partial or not chosen:
            return Score(0.0, max_points)
        weights = revision.data.get("weights")
        if weights:
            percent = sum(weights.get(key, 0) for key in chosen)
            return Score(cls.round(max_points * max(0.0, min(100.0, percent)) / 100), max_points)
        if chosen - answer:
            return Score(0.0, max_points)
        return Score(cls.round(max_points * len(chosen) / len(answer)), max_points)
