"""The banks' fixed value sets, each defined once with its translated labels. (Question types
are not here: they are the registry in lms.banks.types, each class with its own label.)"""
from __future__ import annotations

from enum import IntEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint
from wtforms.fields.choices import SelectChoice

from lms.core.enums import LabeledEnum
from lms.core.inputs import int_or_none


class Difficulty(IntEnum):
    """A question's difficulty, stored, written in files and sent as the number 1–5."""

    _label: Any

    def __new__(cls, value: int, label: Any):
        member = int.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    EASY = 1, _l("1（容易）")
    FAIRLY_EASY = 2, _l("2（较易）")
    MEDIUM = 3, _l("3（中等）")
    FAIRLY_HARD = 4, _l("4（较难）")
    HARD = 5, _l("5（难）")

    @property
    def label(self) -> str:
        return str(self._label)

    @classmethod
    def choices(cls) -> list[SelectChoice]:
        return [SelectChoice(value=str(member.value), label=member._label) for member in cls]

    @classmethod
    def get(cls, value: Any, default: Any = None):
        """The level for a number or its text ("3"), or `default` (for user input)."""
        number = None if isinstance(value, bool) else int_or_none(value)
        try:
            return cls(number)
        except ValueError:
            return default

    @classmethod
    def check(cls, column: str) -> CheckConstraint:
        return CheckConstraint(f"{column} BETWEEN {min(cls).value} AND {max(cls).value}", name=column)


class QuestionStatus(LabeledEnum):
    """In use, or retired (kept with all its revisions, never drawn again); stored as `retired`."""

    ACTIVE = "active", _l("在用")
    RETIRED = "retired", _l("已停用")


class Removal(LabeledEnum):
    """What deleting a question did: one ever given to a trainee is retired instead."""

    DELETED = "deleted", _l("试题已删除")
    RETIRED = "retired", _l("该题已被使用，已停用（保留全部版本）")


class BankFormat(LabeledEnum):
    """File formats a bank is imported from (all) and exported to (`EXPORTABLE`)."""

    YAML = "yaml", "YAML"
    GIFT = "gift", "GIFT"
    AIKEN = "aiken", "Aiken"
    XLSX = "xlsx", "Excel"


EXPORTABLE = (BankFormat.YAML, BankFormat.GIFT)


class QuestionField(LabeledEnum):
    """The fields of a bank file, as problems name them."""

    ID = "id", _l("题号")
    CATEGORY = "category", _l("分类")
    TYPE = "type", _l("题型")
    DIFFICULTY = "difficulty", _l("难度")
    POINTS = "points", _l("分值")
    STEM = "stem", _l("题干")
    OPTIONS = "options", _l("选项")
    ANSWER = "answer", _l("答案")
    EXPLANATION = "explanation", _l("解析")
    SOURCE = "source", _l("出处")
    RUBRIC = "rubric", _l("评分细则")
    TAGS = "tags", _l("标签")
    WEIGHTS = "weights", _l("权重")
    CODE = "code", _l("题库代码")
    TITLE = "title", _l("名称")
    VERSION = "version", _l("版本")
    EXCLUDES = "excludes", _l("互斥组")
    EXTERNAL_ID = "external_id", _l("题号")

    @classmethod
    def label_of(cls, name: str) -> Any:
        """The field's label, or the name itself for a field outside the set."""
        member = cls.get(name)
        return member._label if member is not None else name
