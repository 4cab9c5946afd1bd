"""The neutral structure every importer produces, before the shared validation."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Question fields kept in a revision's `data` (the rest are columns).
DATA_FIELDS = ("options", "answer", "explanation", "source", "rubric", "tags", "weights")
CONTENT_FIELDS = ("type", "difficulty", "points", "stem") + DATA_FIELDS

FIELD_LABELS = {
    "id": "题号", "category": "分类", "type": "题型", "difficulty": "难度", "points": "分值", "stem": "题干",
    "options": "选项", "answer": "答案", "explanation": "解析", "source": "出处", "rubric": "评分细则",
    "tags": "标签", "weights": "权重", "code": "题库代码", "title": "名称", "version": "版本",
    "excludes": "互斥组",
}


@dataclass
class ParsedCategory:
    code: str
    title: str | None  # None: keep the existing title (or use the code for a new category)
    module_code: str | None
    where: str


@dataclass
class ParsedQuestion:
    external_id: str | None
    category: str | None
    content: dict[str, Any]
    where: str
    field_where: dict[str, str] = field(default_factory=dict)

    def located(self, field_name: str) -> str:
        return self.field_where.get(field_name, self.where)


@dataclass
class ParsedBank:
    source: str
    format: str
    code: str | None = None
    title: str | None = None
    version: int | None = None
    categories: list[ParsedCategory] = field(default_factory=list)
    questions: list[ParsedQuestion] = field(default_factory=list)
    # groups of question ids that never share a paper, each with where it was written;
    # None: the file says nothing (the bank's groups stay as they are)
    excludes: list[tuple[list[str], str]] | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def read_text(self, raw: bytes) -> str | None:
        """The file's text, or None with the problem recorded when no encoding fits."""
        try:
            return decode_text(raw)
        except UnicodeDecodeError:
            self.problem(at_line(self.source, 1), "文件编码无法识别（请保存为 UTF-8）")
            return None

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}：{message}")

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}：{message}")

    def ensure_category(self, code: str, where: str, title: str | None = None) -> None:
        if not any(c.code == code for c in self.categories):
            self.categories.append(ParsedCategory(code, title, None, where))


DEFAULT_CATEGORY = ("DEFAULT", "默认分类")
DEFAULT_DIFFICULTY = 3


def apply_defaults(bank: ParsedBank, question: ParsedQuestion) -> None:
    """Formats without difficulty, points or rubric (GIFT, Aiken) get sensible defaults."""
    content = question.content
    if content.get("difficulty") is None:
        content["difficulty"] = DEFAULT_DIFFICULTY
    if content.get("points") is None:
        content["points"] = 10 if content.get("type") == "essay" else 1
    if content.get("type") == "essay" and not content.get("rubric") and isinstance(content.get("points"), (int, float)):
        content["rubric"] = [{"criterion": "整体评价", "points": content["points"]}]
        bank.warn(question.where, "论述题未给出评分细则，已设为单项“整体评价”")


def tidy(content: dict[str, Any]) -> dict[str, Any]:
    """Trim the texts every format may pad (YAML block scalars end with a newline)."""
    for key in ("stem", "explanation", "source"):
        if isinstance(content.get(key), str):
            content[key] = content[key].strip()
    if content.get("type") == "essay" and isinstance(content.get("answer"), str):
        content["answer"] = content["answer"].strip()
    return content


def at_line(source: str, line: int) -> str:
    return f"{source} 第 {line} 行"


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (files saved by Chinese Windows tools)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")
