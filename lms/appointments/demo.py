"""Demo posts, enterprise attributes and appointments (called by `flask lms seed-demo`).

Posts as the seeds define them (Shanghai 企业标准化总监; Liaoning 首席标准官 / 标准总监 /
标准化专员; Zhejiang 标准总师); `graduate` appointed by the demo enterprise; the Liaoning
people of demo_people appointed by their enterprises (`ln-graduate` not yet: the walk
through the filing starts with HR appointing him). Idempotent.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.appointments.demo_people import seed_people
from lms.appointments.models import Appointment, AppointmentStatus, EndReason, Post
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.orgs.attributes import Honour, Industry, Ownership
from lms.orgs.models import Enterprise
from lms.orgs.services import region_by_code

POSTS = [
    dict(code="sh-director", title="企业标准化总监", region="310000", levels=["director"], rank=1, usual_count=None,
         description="全面负责本企业标准化工作，一般由企业高层管理人员担任，可以兼任。"),
    dict(code="ln-cso", title="首席标准官", region="210000", levels=["cso"], rank=1, usual_count=1,
         description="一般由企业副总经理及以上级别人员担任，全面管理企业标准化工作。"),
    dict(code="ln-director", title="标准总监", region="210000", levels=["cso", "director"], rank=2, usual_count=1,
         description="在首席标准官领导下，负责企业标准化工作任务贯彻落实。"),
    dict(code="ln-specialist", title="标准化专员", region="210000", levels=["cso", "director", "specialist"], rank=3,
         usual_count=None, description="做好企业标准化具体执行工作，可根据需要设置若干名。"),
    dict(code="zj-chief", title="标准总师", region="330000", levels=["cso", "director"], rank=1, usual_count=None,
         description="企业专兼职标准化人员的带头人。"),
]
# enterprise serial -> industry section, ownership, honours
ATTRIBUTES = {
    101: (Industry.C, Ownership.PRIVATE, {Honour.SHANGHAI_STANDARD, Honour.GOOD_CONDUCT}),
    102: (Industry.G, Ownership.PRIVATE, {Honour.FORERUNNER, Honour.INNOVATION_AWARD}),
    103: (Industry.Q, Ownership.PRIVATE, {Honour.PILOT}),
    104: (Industry.C, Ownership.STATE, {Honour.PILOT, Honour.INNOVATION_BASE}),
    105: (Industry.I, Ownership.PRIVATE, set()),
    106: (Industry.G, Ownership.STATE, {Honour.GOOD_CONDUCT}),
}
# username, post, enterprise serial, days ago, full time, document number, ended (days ago, reason) or None
APPOINTMENTS = [
    ("graduate", "sh-director", 101, 60, False, "春申人〔2026〕8号", None),
    ("t-ln-liu", "ln-cso", 104, 180, True, "北装司〔2026〕21号", None),
    ("t-ln-sun", "ln-specialist", 104, 400, True, "北装司〔2025〕5号", (181, EndReason.TERM_ENDED)),
    ("t-ln-sun", "ln-director", 104, 180, True, "北装司〔2026〕22号", None),
    ("t-ln-gao", "ln-cso", 106, 170, False, "港物人〔2026〕3号", None),
    ("t-ln-zhou", "ln-specialist", 104, 120, True, "北装司〔2026〕40号", None),
    ("t-ln-wu", "ln-specialist", 104, 120, False, "北装司〔2026〕41号", None),
    ("t-ln-zheng", "ln-specialist", 104, 120, False, "北装司〔2026〕42号", None),
    ("t-ln-feng", "ln-specialist", 104, 120, True, "北装司〔2026〕43号", None),
]


def seed_posts() -> None:
    for spec in POSTS:
        if db.session.scalar(select(Post).where(Post.code == spec["code"])) is None:
            db.session.add(Post(**{**spec, "region": region_by_code(spec["region"])}))
    db.session.flush()


def seed_attributes(enterprise_uscc) -> None:
    for serial, (industry, ownership, honours) in ATTRIBUTES.items():
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.uscc == enterprise_uscc(serial)))
        if enterprise is not None and enterprise.industry_section is None:
            enterprise.industry_section, enterprise.ownership, enterprise.honours = industry, ownership, frozenset(honours)
    db.session.flush()


def seed_appointments() -> None:
    from lms.demo import enterprise_uscc

    seed_posts()
    seed_attributes(enterprise_uscc)
    seed_people()
    today = local_today()
    for username, post_code, serial, days_ago, full_time, document_no, ended in APPOINTMENTS:
        user = db.session.scalar(select(User).where(User.username == username))
        post = db.session.scalar(select(Post).where(Post.code == post_code))
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.uscc == enterprise_uscc(serial)))
        if user is None or db.session.scalar(select(Appointment.id).where(
                Appointment.user_id == user.id, Appointment.post_id == post.id,
                Appointment.enterprise_id == enterprise.id)) is not None:
            continue
        appointment = Appointment(user_id=user.id, enterprise=enterprise, post=post, full_time=full_time,
                                  starts_on=today - timedelta(days=days_ago), document_no=document_no,
                                  status=AppointmentStatus.ACTIVE)
        if ended:
            appointment.status, appointment.end_reason = AppointmentStatus.ENDED, ended[1]
            appointment.ended_on = today - timedelta(days=ended[0])
        db.session.add(appointment)
    db.session.flush()
