"""The facts about a trainee that eligibility rules (任职条件) read, and their value sets.

A trainee profile (enrollment) records them; a program's rules compare them. They are defined
here, beside the rule engine, because programs come before enrollment (enrollment imports
them for its profile columns and forms).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from lms.core.enums import LabeledEnum


class EducationLevel(LabeledEnum):
    """Lowest first: `gte`/`lte` compare positions."""

    HIGH_SCHOOL = "high_school", _l("高中及以下")
    JUNIOR_COLLEGE = "junior_college", _l("大专")
    BACHELOR = "bachelor", _l("本科")
    MASTER = "master", _l("硕士研究生")
    DOCTORATE = "doctorate", _l("博士研究生")


class TitleLevel(LabeledEnum):
    """Professional title (职称), lowest first."""

    NONE = "none", _l("无")
    JUNIOR = "junior", _l("初级")
    INTERMEDIATE = "intermediate", _l("中级")
    ASSOCIATE_SENIOR = "associate_senior", _l("副高级")
    SENIOR = "senior", _l("正高级")


class PositionLevel(LabeledEnum):
    """Where the trainee's post sits in the enterprise, lowest first. Seed 001 staffs the three
    Liaoning tiers from it: 首席标准官 from 副总经理（或相应职务层次）及以上, 标准总监 from
    技术（研发）总监、质量部长或相应职务层次 (a department head), 标准化专员 from 专业技术人员."""

    STAFF = "staff", _l("一般员工")
    DEPARTMENT_HEAD = "department_head", _l("部门负责人（中层）")
    DEPUTY_HEAD = "deputy_head", _l("副总经理或相应职务层次")
    HEAD = "head", _l("企业负责人")


class AppointmentStatus(LabeledEnum):
    PROSPECTIVE = "prospective", _l("拟任")
    APPOINTED = "appointed", _l("已聘任")


def years(value: float) -> str:
    """3年 / 3 years, 2.5 years, 1 year (gettext counts in whole numbers: a fraction counts as plural)."""
    value = float(value)
    return ngettext("%(years)s年", "%(years)s年", int(value) if value.is_integer() else 2, years=f"{value:g}")


@dataclass(frozen=True)
class Fact:
    label: Any  # lazily translated
    kind: str  # "scale" | "number" | "flag"
    scale: type[LabeledEnum] | None = None

    @property
    def values(self) -> tuple[str, ...]:
        return self.scale.values() if self.scale else ()

    def shown(self, value: Any) -> str:
        """A value of this fact as the reader reads it: 中级 / Intermediate, 3年 / 3 years, 是 / yes."""
        if self.kind == "flag":
            return str(_l("是") if value else _l("否"))
        if self.kind == "number":
            return years(value)
        member = self.scale.get(value)
        return member.label if member is not None else str(value)


FACTS: dict[str, Fact] = {
    "education": Fact(_l("学历"), "scale", EducationLevel),
    "title_level": Fact(_l("职称"), "scale", TitleLevel),
    "position_level": Fact(_l("职务层级"), "scale", PositionLevel),
    "standardization_years": Fact(_l("标准化工作年限"), "number"),
    "standardization_major": Fact(_l("标准化专业或学科背景"), "flag"),
    "appointment_status": Fact(_l("任职状态"), "scale", AppointmentStatus),
}
