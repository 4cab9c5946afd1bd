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
}


@dataclass
class ParsedCategory:
    code: str
    title: str
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
    problems: list[str] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}：{message}")


def at_line(source: str, line: int) -> str:
    return f"{source} 第 {line} 行"


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (files saved by Chinese Windows tools)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")
