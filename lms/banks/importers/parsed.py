"""The neutral structure every importer produces, before the shared validation, and the
limits every importer applies while it reads (before the expensive work, not after).

Problems are lazy strings with their parameters (`at_line(file, 12)` and the message), so a
report reads in the language of whoever looks at it: the reader's on a page, the default
language on the command line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.banks.enums import BankFormat, Difficulty

# Question fields kept in a revision's `data` (the rest are columns).
DATA_FIELDS = ("options", "answer", "explanation", "source", "rubric", "tags", "weights")
CONTENT_FIELDS = ("type", "difficulty", "points", "stem") + DATA_FIELDS

MAX_QUESTIONS = 5000  # per file
MAX_CATEGORIES = 1000  # per file
MAX_PROBLEMS = 200  # listed per file; the rest are counted
MAX_CODE = 64  # a category's code and module code
MAX_LINES = 40 * MAX_QUESTIONS  # the shipped banks take 15 lines a question


@dataclass
class ParsedCategory:
    code: str
    title: str | None  # None: keep the existing title (or use the code for a new category)
    module_code: str | None
    where: Any


@dataclass
class ParsedQuestion:
    external_id: str | None
    category: str | None
    content: dict[str, Any]
    where: Any  # a place (at_line...), a lazy string
    field_where: dict[str, Any] = field(default_factory=dict)

    def located(self, field_name: str) -> Any:
        return self.field_where.get(field_name, self.where)


@dataclass
class ParsedBank:
    source: str
    format: BankFormat
    code: str | None = None
    title: str | None = None
    version: int | None = None
    categories: list[ParsedCategory] = field(default_factory=list)
    questions: list[ParsedQuestion] = field(default_factory=list)
    # groups of question ids that never share a paper, each with where it was written;
    # None: the file says nothing (the bank's groups stay as they are)
    excludes: list[tuple[list[str], Any]] | None = None
    problems: list[Any] = field(default_factory=list)
    problems_left_off: int = 0  # beyond MAX_PROBLEMS: counted, not listed
    warnings: list[Any] = field(default_factory=list)
    full: bool = False  # more than MAX_QUESTIONS: reading stopped
    _category_codes: set[str] = field(default_factory=set, repr=False)
    _too_many_categories: bool = field(default=False, repr=False)

    def read_text(self, raw: bytes) -> str | None:
        """The file's text, or None with the problem recorded when no encoding fits or it has
        more lines than a file of MAX_QUESTIONS questions needs (every importer reads line by
        line: a 5 MB file of two-byte lines would keep it busy for seconds)."""
        try:
            text = decode_text(raw)
        except UnicodeDecodeError:
            self.problem(at_line(self.source, 1), _l("文件编码无法识别（请保存为 UTF-8）"))
            return None
        if max(text.count("\n"), text.count("\r")) >= MAX_LINES:
            self.problem(at_line(self.source, MAX_LINES + 1), _l("文件超过 %(max)s 行，请拆分文件", max=MAX_LINES))
            return None
        return text

    def problem(self, where: Any, message: Any) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(located(where, message))
        else:
            self.problems_left_off += 1

    def warn(self, where: Any, message: Any) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(located(where, message))

    def add_question(self, question: ParsedQuestion) -> bool:
        """Keep a question; False once the file holds more than one import takes (the problem
        names the first question too many, and the importer stops reading)."""
        if len(self.questions) >= MAX_QUESTIONS:
            if not self.full:
                self.full = True
                self.problem(question.where, _l("试题超过 %(max)s 道，请拆分文件", max=MAX_QUESTIONS))
            return False
        self.questions.append(question)
        return True

    def add_category(self, category: ParsedCategory) -> None:
        """Keep a category (a repeated code too: the validation reports it)."""
        if len(self.categories) < MAX_CATEGORIES:
            self.categories.append(category)
            self._category_codes.add(category.code)
        elif not self._too_many_categories:
            self._too_many_categories = True
            self.problem(category.where, _l("分类超过 %(max)s 个，请拆分文件", max=MAX_CATEGORIES))

    def replace_category(self, category: ParsedCategory) -> None:
        """The category, described again: the last description wins and comes last."""
        if category.code in self._category_codes:
            self.categories = [c for c in self.categories if c.code != category.code]
            self._category_codes.discard(category.code)
        self.add_category(category)

    def ensure_category(self, code: str, where: Any, title: str | None = None) -> None:
        if code not in self._category_codes:
            self.add_category(ParsedCategory(code, title, None, where))


DEFAULT_CATEGORY = ("DEFAULT", "默认分类")  # stored as the category's title (data, as entered)
DEFAULT_DIFFICULTY = Difficulty.MEDIUM.value
DEFAULT_CRITERION = "整体评价"  # stored in the rubric (data)


def apply_defaults(bank: ParsedBank, question: ParsedQuestion) -> None:
    """Formats without difficulty, points or rubric (GIFT, Aiken) get sensible defaults."""
    content = question.content
    if content.get("difficulty") is None:
        content["difficulty"] = DEFAULT_DIFFICULTY
    if content.get("points") is None:
        content["points"] = 10 if content.get("type") == "essay" else 1
    if content.get("type") == "essay" and not content.get("rubric") and isinstance(content.get("points"), (int, float)):
        content["rubric"] = [{"criterion": DEFAULT_CRITERION, "points": content["points"]}]
        bank.warn(question.where, _l("论述题未给出评分细则，已设为单项“%(criterion)s”", criterion=DEFAULT_CRITERION))


def tidy(content: dict[str, Any]) -> dict[str, Any]:
    """Trim the texts every format may pad (YAML block scalars end with a newline)."""
    for key in ("stem", "explanation", "source"):
        if isinstance(content.get(key), str):
            content[key] = content[key].strip()
    if content.get("type") == "essay" and isinstance(content.get("answer"), str):
        content["answer"] = content["answer"].strip()
    return content


def at_line(source: str, line: int) -> Any:
    return _l("%(file)s 第 %(line)s 行", file=source, line=line)


def located(where: Any, message: Any) -> Any:
    """A problem with its place: `std-law.yaml 第 12 行：…`."""
    return _l("%(where)s：%(problem)s", where=where, problem=message)


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (files saved by Chinese Windows tools)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")
