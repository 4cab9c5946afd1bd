"""Aiken (`.aiken.txt`): a question line, options `A. text` or `A) text`, then
`ANSWER: B`. `ANSWER: A, C` (several keys) is read as a multiple-choice question."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from lms.banks.enums import BankFormat
from lms.banks.importers.parsed import DEFAULT_CATEGORY, ParsedBank, ParsedQuestion, apply_defaults, at_line
from lms.banks.types.base import shown

OPTION_LINE = re.compile(r"^([A-Z])\s*[.)．、）]\s*(.*)$")
_ANSWER = re.compile(r"^(?:ANSWER|答案)\s*[:：]\s*(.*)$", re.IGNORECASE)
KEY_SEPARATORS = ",，、"


def answer_keys(text: str) -> list[str] | None:
    """The option letters of an answer (`B`, `A, C`, `A、C`, `AC`), or None when it is not one:
    letters A–Z, each pair separated by blanks and at most one separator.

    One pass over the text. (The pattern it replaces, `[A-Z](?:\\s*[,，、]?\\s*[A-Z])*`, could
    split the blanks between two letters in many ways, so a long answer line that failed at
    its end took exponential time: two uploads froze the site.)"""
    keys: list[str] = []
    separated = False  # a separator since the last letter
    for char in text:
        if "A" <= char <= "Z":
            keys.append(char)
            separated = False
        elif char in KEY_SEPARATORS and keys and not separated:
            separated = True
        elif not char.isspace():
            return None
    return keys if keys and not separated else None


def parse(name: str, raw: bytes, *, bank_code: str | None = None, category_code: str | None = None,
          **_options) -> ParsedBank:
    bank = ParsedBank(source=name, format=BankFormat.AIKEN, code=bank_code)
    text = bank.read_text(raw)
    if text is None:
        return bank
    category = category_code or DEFAULT_CATEGORY[0]
    bank.ensure_category(category, at_line(name, 1), None if category_code else DEFAULT_CATEGORY[1])
    stem: list[str] = []
    options: list[dict[str, str]] = []
    start = None
    broken = False
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        if start is None:
            start = number
        answer = _ANSWER.match(line)
        option = OPTION_LINE.match(line)
        if answer:
            if not broken:
                _finish(bank, start, number, stem, options, answer.group(1).strip().upper(), category)
                if bank.full:
                    return bank
            stem, options, start, broken = [], [], None, False
        elif option and stem:
            options.append({"key": option.group(1), "text": option.group(2).strip()})
        elif options:
            if not broken:
                bank.problem(at_line(name, number), _l("选项之后应为下一个选项（A. …）或答案行（ANSWER: B）"))
            broken = True
        elif option:
            bank.problem(at_line(name, number), _l("选项前缺少题干"))
            broken = True
        else:
            stem.append(line)
    if start is not None and not broken:
        bank.problem(at_line(name, start), _l("试题缺少答案行（ANSWER: B）"))
    return bank


def _finish(bank: ParsedBank, start: int, number: int, stem: list[str], options: list[dict[str, str]],
            answer: str, category: str) -> None:
    where = at_line(bank.source, start)
    if not stem or not options:
        bank.problem(at_line(bank.source, number), _l("答案行之前应有题干和选项"))
        return
    keys = answer_keys(answer)
    if keys is None:
        bank.problem(at_line(bank.source, number), _l("答案 %(value)s 应为选项字母，如 B 或 A, C", value=shown(answer)))
        return
    content = {"type": "single" if len(keys) == 1 else "multiple", "stem": "\n".join(stem),
               "options": options, "answer": keys[0] if len(keys) == 1 else keys}
    question = ParsedQuestion(None, category, content, where, {"answer": at_line(bank.source, number)})
    apply_defaults(bank, question)
    bank.add_question(question)
