"""Navigation by role: each domain adds its entries with nav_item()."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NavItem:
    label: object  # lazy string
    endpoint: str
    roles: tuple[str, ...]
    values: tuple[tuple[str, str], ...] = ()


NAV_ITEMS: list[NavItem] = []


def nav_item(label, endpoint: str, *roles: str, **values: str) -> None:
    NAV_ITEMS.append(NavItem(label, endpoint, roles, tuple(values.items())))


def nav_for(user) -> list[dict]:
    held = set(user.roles)
    items = []
    for role in user.roles:
        items.append({"label": ROLE_HOME_LABELS[role], "url": url_for("main.home", role=role)})
    for item in NAV_ITEMS:
        if held.intersection(item.roles):
            items.append({"label": item.label, "url": url_for(item.endpoint, **dict(item.values))})
    return items


ROLE_HOME_LABELS = {
    "admin": _l("管理工作台"),
    "bureau": _l("区局工作台"),
    "institution": _l("机构工作台"),
    "grader": _l("阅卷工作台"),
    "enterprise": _l("企业工作台"),
    "trainee": _l("学员首页"),
}

nav_item(_l("行政区划"), "orgs.regions", "admin", "bureau")
nav_item(_l("承办机构"), "orgs.institutions", "admin")
nav_item(_l("企业"), "orgs.enterprises", "admin", "bureau", "enterprise")
nav_item(_l("账户"), "accounts.users", "admin")

nav_item(_l("研修班项目"), "programs.programs", "admin", "bureau", "institution")
nav_item(_l("班次"), "enrollment.staff_cohorts", "admin", "bureau", "institution")
nav_item(_l("待审核报名"), "enrollment.bureau_queue", "bureau")
nav_item(_l("师资"), "programs.teachers", "admin", "institution")
nav_item(_l("个人资料"), "enrollment.profile", "trainee")
nav_item(_l("报名中的班次"), "enrollment.open_cohorts", "trainee")
nav_item(_l("我的报名"), "enrollment.my_applications", "trainee")
nav_item(_l("员工报名"), "enrollment.employees", "enterprise")
nav_item(_l("题库"), "banks.index", "admin", "institution", "grader")
nav_item(_l("我的考试"), "exams.my_exams", "trainee")
nav_item(_l("考试"), "exams.staff_exams", "admin", "bureau", "institution")
nav_item(_l("阅卷"), "exams.grading_queue", "admin", "institution", "grader")

nav_item(_l("合格证"), "certificates.search", "admin", "bureau", "institution")
nav_item(_l("我的合格证"), "certificates.mine", "trainee")
