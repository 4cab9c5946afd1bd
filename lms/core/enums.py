"""Fixed value sets: each is one `LabeledEnum`, defined once in its domain.

A member is stored and sent as its value (a plain string, so stored data and the JSON API
stay as they were) and shown as its label, translated lazily into the reader's language:

    class Gender(LabeledEnum):
        MALE = "male", _l("男")
        FEMALE = "female", _l("女")

    gender: Mapped[Gender] = mapped_column(EnumText(Gender, 8))   # loads as Gender members
    __table_args__ = (Gender.check("gender"),)                    # CHECK (gender IN ('male', 'female'))
    form.gender.choices = Gender.choices()                        # [(value, label), ...]
    {{ profile.gender.label }}                                    # 男 / Male

Code compares with members (`status == ApplicationStatus.APPROVED`), never with literals.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any
from collections.abc import Iterable

from sqlalchemy import CheckConstraint, String, type_coerce
from sqlalchemy.types import TypeDecorator
from wtforms.fields.choices import SelectChoice


class LabeledEnum(StrEnum):
    """A StrEnum whose members carry a lazily translated label."""

    _label: Any

    def __new__(cls, value: str, label: Any = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label if label is not None else value
        return member

    @property
    def label(self) -> str:
        return str(self._label)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls, members: Iterable[LabeledEnum] | None = None) -> list[SelectChoice]:
        """WTForms SelectField choices, labels translated when the form is drawn."""
        return [SelectChoice(value=m.value, label=m._label) for m in (cls if members is None else members)]

    @classmethod
    def check(cls, column: str, name: str | None = None) -> CheckConstraint:
        """CHECK (column IN (...)) named after the column (the naming convention adds the table)."""
        values = ", ".join("'" + value.replace("'", "''") + "'" for value in cls.values())
        return CheckConstraint(f"{column} IN ({values})", name=name or column)

    @classmethod
    def get(cls, value: Any, default: Any = None):
        """The member for `value`, or `default` when it is not one of the values (for user input)."""
        try:
            return cls(value)
        except (ValueError, TypeError):
            return default


class EnumText(TypeDecorator):
    """A VARCHAR column holding an enum's values; rows load as members.

    The column type stays VARCHAR(length), so switching a column to it needs no migration.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[LabeledEnum], length: int = 16):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return self.enum(value).value  # a value outside the set fails here, before the database

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)


class EnumSet(TypeDecorator):
    """A set of an enum's members in one VARCHAR column, stored sorted and delimited at both
    ends (",a,b,"; the empty set is ""), so one member is found with a plain LIKE on any
    database: `EnumSet.holds(column, member)`. Rows load as frozensets of members; assign a
    new set to change it."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[LabeledEnum], length: int = 255):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        members = sorted(self.enum(v).value for v in (value or ()))
        return "," + ",".join(members) + "," if members else ""

    def process_result_value(self, value, dialect):
        return frozenset(self.enum(v) for v in (value or "").split(",") if v)

    @staticmethod
    def holds(column, member: LabeledEnum):
        """Rows whose set contains `member` (compared as the stored text, not bound as a set)."""
        return type_coerce(column, String).contains(f",{member.value},", autoescape=True)
