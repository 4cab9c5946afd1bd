"""Demo data: `flask lms seed-demo`. Idempotent: every record is found by its natural key
and only created when missing, so running it again changes nothing.

This module seeds what every domain stands on (regions, institutions, enterprises, the demo
accounts); each domain adds its own data with `demo_step(order, seed)` from its init_app.
"""
from __future__ import annotations

from datetime import date
from collections.abc import Callable

import click
from flask.cli import with_appcontext

from sqlalchemy import select

from lms.accounts.models import RoleGrant, User
from lms.accounts.passwords import hash_password
from lms.core.ids import uscc_check_char
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution
from lms.orgs.region_data import CHILD_LEVEL, REGIONS
from lms.orgs.services import add_region, region_by_code

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - the published password of the demo accounts

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def demo_uscc(region_code: str, serial: int) -> str:
    """A well-formed USCC (企业法人, 91...) whose embedded organization code (GB 11714)
    and final check character are both right."""
    body = f"MA1{serial:05d}"
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, [3, 7, 9, 10, 5, 8, 4, 2], strict=True))
    check = 11 - total % 11
    org_code = body + {10: "X", 11: "0"}.get(check, str(check))
    first17 = f"91{region_code}{org_code}"
    return first17 + uscc_check_char(first17)


INSTITUTIONS = [
    dict(code="SH-STC", name="上海标准化人才培训中心（演示）", region="310105", serial=1,
         accreditation_no="沪标培资〔2025〕001号", accreditation_scope="标准化管理人员培训；企业标准化总监高级研修",
         accredited_from=date(2025, 1, 1), accredited_until=date(2029, 12, 31)),
    dict(code="LN-STA", name="辽宁标准化培训学院（演示）", region="210100", serial=2,
         accreditation_no="辽标培资〔2024〕017号", accreditation_scope="首席标准官、标准总监、标准化专员培训",
         accredited_from=date(2024, 6, 1), accredited_until=date(2028, 5, 31)),
]

ENTERPRISES = [
    dict(name="上海春申智能制造有限公司（演示）", region="310105", serial=101, industry="通用设备制造业"),
    dict(name="上海浦江航空服务有限公司（演示）", region="310105", serial=102, industry="航空运输业"),
    dict(name="上海静安养老服务有限公司（演示）", region="310106", serial=103, industry="社会工作"),
    dict(name="沈阳北方装备集团有限公司（演示）", region="210100", serial=104, industry="专用设备制造业"),
    dict(name="杭州西湖数字科技有限公司（演示）", region="330100", serial=105, industry="软件和信息技术服务业"),
    dict(name="大连港湾物流有限公司（演示）", region="210200", serial=106, industry="装卸搬运和仓储业"),
]

# username, name, role, scope (region code / institution code / enterprise serial), description
ACCOUNTS = [
    ("admin", "管理员", "admin", None, "市局管理员：机构、资质、区划、目标、全部报表"),
    ("bureau", "长宁区局", "bureau", ("region", "310105"), "长宁区市场监管局：辖区企业、报名推荐、报表"),
    ("institution", "机构教务", "institution", ("institution", "SH-STC"), "承办机构工作人员：班次、考试、合格证"),
    ("grader", "阅卷老师", "grader", ("institution", "SH-STC"), "承办机构阅卷教师"),
    ("enterprise", "企业人事", "enterprise", ("enterprise", 101), "企业人事联系人：员工报名与进度、聘任、确认备案表"),
    ("trainee", "王晓明", "trainee", None, "学员：已录取在读，可参加考试"),
    ("graduate", "李静怡", "trainee", None, "学员：已结业并通过考核，已被聘任为企业标准化总监，备案表草稿待提交"),
    ("applicant", "张建国", "trainee", None, "学员：资料完整，尚未报名"),
    ("citybureau", "沈阳市局", "bureau", ("region", "210100"), "沈阳市市场监管局：受理辖区企业的人才库备案、导出汇总表、检索人才库"),
    ("ln-enterprise", "北方装备人事", "enterprise", ("enterprise", 104), "辽宁企业人事联系人：聘任员工、确认备案表"),
    ("ln-graduate", "陈磊", "trainee", None, "学员：辽宁标准化专员培训合格，待企业聘任后填写备案表"),
]


DEMO_PHONES = {"trainee": "13900000001", "graduate": "13900000002", "applicant": "13900000003",
               "ln-graduate": "13900000004", "citybureau": "024-22870000", "ln-enterprise": "024-88880000"}


def seed_regions() -> None:
    for code, name, level, children in REGIONS:
        province = region_by_code(code) or add_region(code, name, level, None)
        for child_code, child_name in children:
            if region_by_code(child_code) is None:
                add_region(child_code, child_name, CHILD_LEVEL[code], province)


def seed_institutions() -> None:
    for spec in INSTITUTIONS:
        if db.session.scalar(select(Institution).where(Institution.code == spec["code"])) is None:
            fields = {k: v for k, v in spec.items() if k not in {"region", "serial"}}
            db.session.add(Institution(**fields, region=region_by_code(spec["region"]),
                                       uscc=demo_uscc(region_by_code(spec["region"]).code[:6], spec["serial"])))
    db.session.flush()


def seed_enterprises() -> None:
    for spec in ENTERPRISES:
        uscc = demo_uscc(spec["region"], spec["serial"])
        if db.session.scalar(select(Enterprise).where(Enterprise.uscc == uscc)) is None:
            db.session.add(Enterprise(uscc=uscc, name=spec["name"], region=region_by_code(spec["region"]),
                                      industry=spec["industry"], status="verified"))
    db.session.flush()


def _scope(kind: str, key) -> dict[str, int]:
    if kind == "region":
        return {"region_id": region_by_code(key).id}
    if kind == "institution":
        return {"institution_id": db.session.scalar(select(Institution.id).where(Institution.code == key))}
    return {"enterprise_id": db.session.scalar(select(Enterprise.id).where(Enterprise.uscc == enterprise_uscc(key)))}


def enterprise_uscc(serial: int) -> str:
    """The USCC of the demo enterprise with this serial."""
    spec = next(s for s in ENTERPRISES if s["serial"] == serial)
    return demo_uscc(spec["region"], serial)


def seed_accounts() -> None:
    password_hash = None
    for username, name, role, scope, _description in ACCOUNTS:
        if db.session.scalar(select(User).where(User.username == username)) is not None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        user = User(username=username, name=name, password_hash=password_hash, phone=DEMO_PHONES.get(username))
        user.grants.append(RoleGrant(role=role, **(_scope(*scope) if scope else {})))
        db.session.add(user)
    db.session.flush()


# order -> seed function; keyed so registering again (another app in this process) is harmless
DEMO_STEPS: dict[str, tuple[int, Callable[[], None]]] = {}


def demo_step(order: int, seed: Callable[[], None]) -> None:
    """Run `seed()` in seed-demo after the base data, in rising `order`."""
    DEMO_STEPS[f"{seed.__module__}.{seed.__qualname__}"] = (order, seed)


def seed_demo() -> list[tuple[str, str]]:
    """Create whatever demo data is missing. Returns (username, description) per account."""
    seed_regions()
    seed_institutions()
    seed_enterprises()
    seed_accounts()
    for _order, seed in sorted(DEMO_STEPS.values(), key=lambda step: step[0]):
        seed()
    return [(username, description) for username, _n, _r, _s, description in ACCOUNTS]


def init_app(app) -> None:
    from lms.cli import lms_group

    lms_group.add_command(seed_demo_command)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo data (idempotent) and print the demo accounts."""
    accounts = seed_demo()
    db.session.commit()
    click.echo(f"演示数据已就绪。Demo accounts (password {DEMO_PASSWORD}):")
    for username, description in accounts:
        click.echo(f"  {username:<14} {description}")
