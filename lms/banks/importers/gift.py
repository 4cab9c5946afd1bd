"""Moodle GIFT: `$CATEGORY:` lines, `::title::` (kept as the question id), single choice
`{=a ~b}`, multiple choice with weights `{~%50%a ~%50%b ~%-100%c}`, true/false `{T}`,
short answer `{=a =b}` (imported as `fill`, the block marks the blank), essay `{}`,
`####` general feedback (the explanation), `//` comments and backslash escapes.

Comments of the form `// lms: {json}` carry what GIFT cannot say (difficulty, points,
source, tags, rubric, every blank's answers); `// lms-bank:` and `// lms-category:` describe
the bank and its categories. Moodle ignores them, so exported files stay valid GIFT.
"""
from __future__ import annotations

import json
import re
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.banks.enums import BankFormat
from lms.banks.importers.parsed import DEFAULT_CATEGORY, ParsedBank, ParsedCategory, ParsedQuestion, \
    apply_defaults, at_line
from lms.banks.types import BLANK
from lms.banks.types.base import shown
from lms.banks.types.choice import MAX_OPTIONS

ESCAPABLE = "~=#{}:\\"
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
TRUE_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
META_KEYS = {"difficulty", "points", "source", "tags", "rubric", "answer", "explanation", "type", "weights"}


class GiftError(ValueError):
    """A question the importer cannot read; `message` is a lazy string, `offset` where in the text."""

    def __init__(self, message: Any, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_LEADING = re.compile(r"(?:\\.|\s)*", re.DOTALL)  # escapes and blanks before an answer block's first item
_MARKER = re.compile(r"\\.|[=~]", re.DOTALL)
MAX_ANSWERS = 100  # items of one answer block (choices are held to MAX_OPTIONS later)
MAX_QUESTION_CHARS = 100_000  # one question's text, all parts


def _unescaped(found: re.Match) -> str:
    char = found.group(1)
    return "\n" if char == "n" else char if char in ESCAPABLE else "\\" + char


def unescape(text: str) -> str:
    return _ESCAPED.sub(_unescaped, text)


def escape(text: str) -> str:
    return "".join("\\" + c if c in ESCAPABLE else c for c in text).replace("\n", "\\n")


def _find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped `token` at or after start, or -1. Linear: each escape is
    passed over once and the token searched for again only past an escape that hides it (the
    character-by-character loop this replaces took seconds on a 5 MB question)."""
    at, hit = start, text.find(token, start)
    while hit >= 0:
        slash = text.find("\\", at, hit)
        if slash < 0:
            return hit
        at = slash + 2
        if at > hit:
            hit = text.find(token, at)
    return -1


def _split_answers(body: str) -> tuple[list[tuple[str, str, int]], str | None]:
    """The answer block's items as (marker, raw text, offset) and the general feedback."""
    general = None
    cut = _find(body, "####")
    if cut >= 0:
        general, body = body[cut + 4:], body[:cut]
    first = _LEADING.match(body).end()
    if first < len(body) and body[first] not in "=~":
        return [("", body[first:], first)], general  # no markers: a true/false word (or nonsense)
    items: list[tuple[str, str, int]] = []
    start, marker = None, None
    for found in _MARKER.finditer(body, first):
        if found.group().startswith("\\"):
            continue
        if marker is not None:
            items.append((marker, body[start:found.start()], start))
            if len(items) > MAX_ANSWERS:
                raise GiftError(_l("答案块中的答案超过 %(max)s 个", max=MAX_ANSWERS), start)
        marker, start = found.group(), found.end()
    if marker is not None:
        items.append((marker, body[start:], start))
    return items, general


def _answer_text(raw: str) -> str:
    cut = _find(raw, "#")
    return unescape(raw[:cut] if cut >= 0 else raw).strip()


def parse_question(text: str) -> dict[str, Any]:
    """One question's text (comments removed) → id, stem, content. Raises GiftError."""
    result: dict[str, Any] = {"id": None}
    rest = text.strip()
    if rest.startswith("::"):
        end = _find(rest, "::", 2)
        if end < 0:
            raise GiftError(_l("标题缺少结尾的 ::"))
        result["id"] = unescape(rest[2:end]).strip() or None
        rest = rest[end + 2:].lstrip()
    rest = _FORMAT.sub("", rest, count=1)
    opening = _find(rest, "{")
    if opening < 0:
        raise GiftError(_l("缺少答案块 {…}（纯描述文字不是试题）"))
    closing = _find(rest, "}", opening + 1)
    if closing < 0:
        raise GiftError(_l("答案块缺少结尾的 }"), opening)
    before, body, after = rest[:opening], rest[opening + 1:closing], rest[closing + 1:]
    if _find(after, "{") >= 0:
        raise GiftError(_l("每道题只能有一个答案块"), closing)
    content = _content(body, opening)
    if content["type"] == "fill":
        stem = unescape(before) + BLANK + unescape(after)
    elif after.strip():
        stem = unescape(before) + BLANK + unescape(after)
    else:
        stem = unescape(before)
    content["stem"] = stem.strip()
    result["content"] = content
    return result


def _content(body: str, offset: int) -> dict[str, Any]:
    stripped = body.strip()
    if not stripped:
        return {"type": "essay"}
    if stripped.startswith("#") and not stripped.startswith("####"):
        raise GiftError(_l("不支持数值题（{#…}）"), offset)
    items, general = _split_answers(body)
    explanation = unescape(general).strip() if general is not None else None
    if not items:
        return {"type": "essay", "explanation": explanation}
    if len(items) == 1 and items[0][0] == "":
        word = _answer_text(items[0][1]).upper()
        if word not in TRUE_WORDS:
            raise GiftError(_l("无法识别的答案块：%(block)s", block=shown(stripped, 30, quote=False)), offset)
        return {"type": "truefalse", "answer": TRUE_WORDS[word], "explanation": explanation}
    if any("->" in raw and _find(raw, "->") >= 0 for _m, raw, _o in items):
        raise GiftError(_l("不支持配对题（->）"), offset)
    parsed = []
    for marker, raw, at in items:
        weight = None
        text = raw.strip()
        found = _WEIGHT.match(text)
        if found:
            weight = float(found.group(1))
            text = text[found.end():]
        answer = _answer_text(text)
        if not answer:
            raise GiftError(_l("答案块中有空选项"), offset + at)
        parsed.append((marker, answer, weight))
    if all(marker == "=" for marker, _a, _w in parsed):
        accepted = [a for _m, a, w in parsed if w is None or w >= 100]
        return {"type": "fill", "answer": [accepted[0] if len(accepted) == 1 else accepted],
                "explanation": explanation}
    return _choice(parsed, explanation, offset)


def _choice(parsed: list[tuple[str, str, float | None]], explanation, offset: int) -> dict[str, Any]:
    if len(parsed) > MAX_OPTIONS:
        raise GiftError(_l("选项不能超过 %(max)s 个", max=MAX_OPTIONS), offset)
    keys = [chr(ord("A") + n) for n in range(len(parsed))]
    options = [{"key": key, "text": text} for key, (_m, text, _w) in zip(keys, parsed, strict=True)]
    content: dict[str, Any] = {"options": options, "explanation": explanation}
    if all(weight is None for _m, _t, weight in parsed):
        correct = [key for key, (marker, _t, _w) in zip(keys, parsed, strict=True) if marker == "="]
        if not correct:
            raise GiftError(_l("选择题没有正确选项（=）"), offset)
        if len(correct) == 1:
            return {**content, "type": "single", "answer": correct[0]}
        return {**content, "type": "multiple", "answer": correct}
    weights = {key: (100.0 if marker == "=" and weight is None else weight or 0.0)
               for key, (marker, _t, weight) in zip(keys, parsed, strict=True)}
    positive = [key for key in keys if weights[key] > 0]
    full = [key for key in keys if weights[key] >= 100]
    if not positive:
        raise GiftError(_l("选择题没有正确选项（= 或正权重）"), offset)
    if len(full) == 1:
        # one fully right answer: single choice (partial credit for others is not kept)
        return {**content, "type": "single", "answer": full[0],
                "_warning": _l("单选题中的部分得分权重未导入") if len(positive) > 1 else None}
    return {**content, "type": "multiple", "answer": positive,
            "weights": {key: _num(value) for key, value in weights.items() if value != 0}}


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _meta(bank: ParsedBank, line_no: int, payload: str) -> dict | None:
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        bank.problem(at_line(bank.source, line_no), _l("lms 注释不是有效的 JSON"))
        return None
    if not isinstance(data, dict):
        bank.problem(at_line(bank.source, line_no), _l("lms 注释应为 JSON 对象"))
        return None
    return data


def _blocks(lines: list[str]):
    """(first line number, [(line number, text)]) per blank-line-separated block."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def parse(name: str, raw: bytes, *, bank_code: str | None = None, category_code: str | None = None,
          **_options) -> ParsedBank:
    bank = ParsedBank(source=name, format=BankFormat.GIFT, code=bank_code)
    text = bank.read_text(raw)
    if text is None:
        return bank
    category = category_code
    for block in _blocks(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        meta: dict = {}
        question_lines: list[tuple[int, str]] = []
        for number, line in block:
            stripped = line.strip()
            if stripped.startswith("//"):
                comment = stripped[2:].strip()
                for prefix in ("lms-bank:", "lms-category:", "lms:"):
                    if comment.startswith(prefix):
                        data = _meta(bank, number, comment[len(prefix):])
                        if data is not None:
                            category = _apply_meta(bank, prefix, data, number, meta, category)
                        break
            elif stripped.startswith("$CATEGORY:") and not question_lines:
                path = stripped[len("$CATEGORY:"):].strip().strip("/")
                category = path.rsplit("/", 1)[-1].strip() or None
                if category:
                    bank.ensure_category(category, at_line(name, number))
            else:
                question_lines.append((number, line))
        if question_lines:
            _question(bank, question_lines, meta, category)
        if bank.full:
            break
    return bank


def _apply_meta(bank: ParsedBank, prefix: str, data: dict, number: int, meta: dict, category):
    where = at_line(bank.source, number)
    if prefix == "lms-bank:":
        bank.code = bank.code or _text(data.get("code"))
        bank.title = _text(data.get("title"))
        version = data.get("version")
        bank.version = version if isinstance(version, int) and not isinstance(version, bool) and version > 0 else None
    elif prefix == "lms-category:":
        code = _text(data.get("code"))
        if not code:
            bank.problem(where, _l("lms-category 缺少 code"))
            return category
        bank.replace_category(ParsedCategory(code, _text(data.get("title")), _text(data.get("module")), where))
        return code
    else:
        unknown = set(data) - META_KEYS
        if unknown:
            keys = shown(", ".join(sorted(unknown)), quote=False)
            bank.problem(where, _l("lms 注释中的未知字段 %(keys)s", keys=keys))
        meta.update(data)
        meta["_line"] = number
    return category


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _question(bank: ParsedBank, lines: list[tuple[int, str]], meta: dict, category: str | None) -> None:
    first = lines[0][0]
    where = at_line(bank.source, first)
    text = "\n".join(line for _n, line in lines)
    if len(text) > MAX_QUESTION_CHARS:  # more than any stem, options and feedback can hold: not read
        bank.problem(where, _l("试题过长（超过 %(max)s 字）", max=MAX_QUESTION_CHARS))
        return
    try:
        parsed = parse_question(text)
    except GiftError as error:
        consumed, line_no = 0, first
        for number, line in lines:
            if consumed + len(line) >= error.offset + (len(text) - len(text.lstrip())):
                line_no = number
                break
            consumed += len(line) + 1
        bank.problem(at_line(bank.source, line_no), error.message)
        return
    content = parsed["content"]
    warning = content.pop("_warning", None)
    if warning:
        bank.warn(where, warning)
    for key in ("difficulty", "points", "source", "tags", "rubric"):
        if key in meta:
            content[key] = meta[key]
    if meta and content["type"] == "multiple":
        content["weights"] = meta.get("weights")  # our export: the comment says whether weights are real
    if "answer" in meta and content["type"] in ("fill", "essay"):
        content["answer"] = meta["answer"]
    if "explanation" in meta and not content.get("explanation"):
        content["explanation"] = meta["explanation"]
    if "type" in meta and meta["type"] != content["type"]:
        bank.problem(where, _l("题型与 lms 注释不一致（%(type)s ≠ %(meta)s）", type=content["type"],
                               meta=shown(meta["type"], quote=False)))
        return
    if category is None:
        category = DEFAULT_CATEGORY[0]
        bank.ensure_category(category, where, DEFAULT_CATEGORY[1])
    else:
        bank.ensure_category(category, where)
    question = ParsedQuestion(parsed["id"], category, content, where,
                              {k: at_line(bank.source, meta["_line"]) for k in meta if k != "_line"})
    apply_defaults(bank, question)
    bank.add_question(question)
