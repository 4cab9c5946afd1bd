"""The editor's text fields ↔ question content. The answer, rubric and tag syntax is the
Excel template's, so staff learn one notation: options one per line `A. 文本`; answers
`B`, `A,C`, `正确`, blanks separated by `；` with alternatives `|`; rubric lines `要点：分值`;
weights `A:50, B:50, C:-100`."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from lms.banks.importers.aiken import OPTION_LINE
from lms.banks.importers.xlsx import LIST_SPLIT, answer_value, number_value, rubric_items
from lms.banks.types import QUESTION_TYPES
from lms.banks.types.base import TYPE_FIELDS, shown
from lms.banks.types.truefalse import TrueFalse

EDITOR_FIELDS = ("type", "difficulty", "points", "stem", "options", "answer", "explanation", "source", "tags",
                 "rubric", "weights")


def content_from_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Editor fields (all text) → (content, problems with the notation itself)."""
    text = {key: str(fields.get(key) or "").strip() for key in EDITOR_FIELDS}
    problems: dict[str, str] = {}
    kind = text["type"]
    content: dict[str, Any] = {"type": kind, "stem": text["stem"], "difficulty": number_value(text["difficulty"]),
                               "points": number_value(text["points"]), "explanation": text["explanation"] or None,
                               "source": text["source"] or None}
    options = []
    for number, line in enumerate((line.strip() for line in text["options"].splitlines() if line.strip()), 1):
        found = OPTION_LINE.match(line)
        if not found:
            problems["options"] = _l("第 %(n)s 行应为“A. 选项内容”", n=number)
            break
        options.append({"key": found.group(1), "text": found.group(2).strip()})
    if options:
        content["options"] = options
    content["answer"] = answer_value(kind, text["answer"]) if text["answer"] else None
    if text["tags"]:
        content["tags"] = [t for t in LIST_SPLIT.split(text["tags"]) if t]
    if text["rubric"]:
        content["rubric"] = rubric_items(text["rubric"])
    if text["weights"]:
        weights = {}
        for item in re.split(r"[,，;；\s]+", text["weights"]):
            key, _sep, value = item.replace("：", ":").partition(":")
            number = number_value(value.strip().rstrip("%"))
            if not key.strip() or not isinstance(number, (int, float)):
                problems["weights"] = _l("权重 %(value)s 应写作“A:50”", value=shown(item))
                break
            weights[key.strip().upper()] = number
        content["weights"] = weights
    kind_class = QUESTION_TYPES.get(kind)
    if kind_class is not None:
        # the editor hides the fields a type does not use; what is left in them is not meant
        for field in TYPE_FIELDS:
            if field not in kind_class.fields:
                content.pop(field, None)
                problems.pop(field, None)
    return content, problems


def _points(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _separators() -> tuple[str, str, str]:
    """Blank, rubric and tag separators as the reader writes them: full-width in Chinese, ASCII
    otherwise (the notation reads both)."""
    locale = get_locale()
    return ("；", "：", "，") if locale is None or locale.language == "zh" else ("; ", ": ", ", ")


def fields_from_content(content: dict[str, Any]) -> dict[str, str]:
    """Content → the editor's text fields (the inverse of content_from_fields)."""
    blank, colon, comma = _separators()
    kind = content.get("type")
    answer = content.get("answer")
    if kind == "multiple":
        answer_text = ",".join(answer or [])
    elif kind == TrueFalse.name:
        answer_text = "" if answer is None else str(TrueFalse.answer_labels[bool(answer)])
    elif kind == "fill":
        answer_text = blank.join(entry if isinstance(entry, str) else "|".join(entry) for entry in answer or [])
    else:
        answer_text = answer or ""
    return {
        "type": kind or "single",
        "difficulty": str(content.get("difficulty") or 3),
        "points": _points(content.get("points") or 1),
        "stem": content.get("stem") or "",
        "options": "\n".join(f"{o['key']}. {o['text']}" for o in content.get("options") or []),
        "answer": answer_text,
        "explanation": content.get("explanation") or "",
        "source": content.get("source") or "",
        "tags": comma.join(content.get("tags") or []),
        "rubric": "\n".join(f"{r['criterion']}{colon}{_points(r['points'])}" for r in content.get("rubric") or []),
        "weights": ", ".join(f"{k}:{_points(v)}" for k, v in (content.get("weights") or {}).items()),
    }


# ---- options, answers and rubric as fields --------------------------------------------------------
# The page shows a row per option (its text, and whether it is a correct answer), the two answers
# of a true/false question as a choice, and a row per rubric criterion; what staff type there is
# turned into the notation above, so the text form and the file formats stay the one truth.

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OPTION_ROWS, RUBRIC_ROWS, SPARE = 4, 3, 2


def option_rows(options_text: str, answer_text: str) -> list[dict[str, Any]]:
    """The option rows the page draws: each option's text and whether it is marked correct,
    and blank rows to add more."""
    correct = {a.strip().upper() for a in re.split(r"[,，、\s]+", answer_text or "") if a.strip()}
    rows = []
    for line in (line.strip() for line in (options_text or "").splitlines() if line.strip()):
        found = OPTION_LINE.match(line)
        key, text = (found.group(1), found.group(2).strip()) if found else ("", line)
        rows.append({"text": text, "correct": key in correct})
    rows += [{"text": "", "correct": False}] * max(SPARE, OPTION_ROWS - len(rows))
    return rows[:len(LETTERS)]


def rubric_rows(rubric_text: str) -> list[dict[str, str]]:
    rows = []
    for item in rubric_items(rubric_text or ""):
        points = item["points"]
        rows.append({"criterion": item["criterion"],
                     "points": _points(points) if isinstance(points, (int, float)) else ""})
    return rows + [{"criterion": "", "points": ""}] * max(SPARE, RUBRIC_ROWS - len(rows))


def text_from_structured(form, kind: str) -> dict[str, str]:
    """The notation for what the option, answer and rubric fields say (only for the types that
    use them): options lettered in order, blank rows skipped."""
    _blank, colon, _comma = _separators()
    out: dict[str, str] = {}
    if kind in ("single", "multiple"):
        numbers = sorted({int(k.split("-", 1)[1]) for k in form if k.startswith("option-") and k[7:].isdigit()})
        marked = set(form.getlist("correct"))
        lines, answers = [], []
        for number in numbers:
            text = (form.get(f"option-{number}") or "").strip()
            if not text or len(lines) >= len(LETTERS):
                continue
            letter = LETTERS[len(lines)]
            lines.append(f"{letter}. {text}")
            if str(number) in marked:
                answers.append(letter)
        out["options"], out["answer"] = "\n".join(lines), ",".join(answers)
    elif kind == TrueFalse.name:
        choice = form.get("tf_answer")
        out["answer"] = str(TrueFalse.answer_labels[choice == "true"]) if choice in ("true", "false") else ""
    if kind == "essay":
        numbers = sorted({int(k.rsplit("-", 1)[1]) for k in form
                          if k.startswith("rubric-text-") and k.rsplit("-", 1)[1].isdigit()})
        lines = []
        for number in numbers:
            criterion = (form.get(f"rubric-text-{number}") or "").strip()
            points = (form.get(f"rubric-points-{number}") or "").strip()
            if criterion or points:
                lines.append(f"{criterion}{colon}{points}")
        out["rubric"] = "\n".join(lines)
    return out
