"""Demo filings in each state (called by `flask lms seed-demo`, after the appointments).

Through the services, as the people themselves would: `graduate` has a draft (her HR is
`enterprise`; `admin` accepts for Shanghai, whose districts have no city bureau between);
in 沈阳市 three filings are accepted by `citybureau`, one waits for it, one waits for
`ln-enterprise` and one was returned by it. (The 大连 CSO is appointed but has not filed.)
Idempotent: a person whose appointment already has a filing is left alone.
"""
from __future__ import annotations

from sqlalchemy import select

from lms.accounts.models import User
from lms.appointments.models import Appointment, AppointmentStatus, Post
from lms.extensions import db
from lms.talent import services
from lms.talent.models import Filing, FilingStatus

def _form(ethnicity: str, party: str, email: str, title: str, school: str, work: list[tuple], achievements: list[tuple]):
    return {"ethnicity": ethnicity, "political_status": party, "email": email, "title_name": title, "school": school,
            "work_history": [{"from": a, "to": b, "employer": c, "job": d} for a, b, c, d in work],
            "achievements": [{"kind": k, "title": t, "number": n, "role": r} for k, t, n, r in achievements],
            "remarks": ""}


NORTH = "沈阳北方装备集团有限公司（演示）"
# username, post, the person's own fields, how far it goes (and the return reason)
FILINGS = [
    ("graduate", "sh-director", _form("汉族", "cpc_member", "lijingyi@example.cn", "高级工程师", "中国计量大学",
                                      [("2008-07", "", "上海春申智能制造有限公司（演示）", "质量标准部部长")],
                                      [("standard", "企业标准化工作 指南", "GB/T 35778-2017", "参与起草")]), FilingStatus.DRAFT, ""),
    ("t-ln-liu", "ln-cso", _form("汉族", "cpc_member", "liuzhenhua@example.cn", "正高级工程师", "东北大学",
                                 [("1997-07", "2012-12", NORTH, "技术部部长"), ("2013-01", "", NORTH, "副总经理")],
                                 [("standard", "数控机床 可靠性评定", "GB/T 23567-2024", "主要起草人"),
                                  ("pilot", "辽宁省装备制造标准化试点项目", "", "项目负责人"),
                                  ("committee", "全国金属切削机床标准化技术委员会", "", "委员")]),
     FilingStatus.ACCEPTED, ""),
    ("t-ln-sun", "ln-director", _form("满族", "masses", "sunlina@example.cn", "高级工程师", "沈阳工业大学",
                                      [("2006-07", "", NORTH, "质量部部长")],
                                      [("standard", "企业标准体系 要求", "Q/BZJ 001-2025", "主持编制"),
                                       ("award", "辽宁省标准创新贡献奖", "", "主要完成人")]),
     FilingStatus.ACCEPTED, ""),
    ("t-ln-zhou", "ln-specialist", _form("汉族", "cyl_member", "zhouqiang@example.cn", "工程师", "沈阳理工大学",
                                         [("2012-07", "", NORTH, "标准化工程师")],
                                         [("standard", "数控机床装配工艺规范", "Q/BZJ 012-2025", "主要起草人")]),
     FilingStatus.ACCEPTED, ""),
    ("t-ln-wu", "ln-specialist", _form("汉族", "masses", "wuting@example.cn", "工程师", "辽宁科技大学",
                                       [("2014-07", "", NORTH, "技术员")],
                                       [("other", "企业标准自我声明公开（12项）", "", "具体经办")]),
     FilingStatus.ENDORSED, ""),
    ("t-ln-zheng", "ln-specialist", _form("回族", "masses", "zhengkai@example.cn", "助理工程师", "辽宁机电职业技术学院",
                                          [("2009-07", "", NORTH, "质量工程师")], []), FilingStatus.SUBMITTED, ""),
    ("t-ln-feng", "ln-specialist", _form("汉族", "cyl_member", "fengxue@example.cn", "助理工程师", "沈阳航空航天大学",
                                         [("2019-07", "", NORTH, "标准化专员")], []),
     FilingStatus.RETURNED, "工作经历只填了一段，请补充入职前的实习或工作经历，并填写标准化工作业绩"),
]


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def seed_filings() -> None:
    hr, bureau = _user("ln-enterprise"), _user("citybureau")
    for username, post_code, values, goal, reason in FILINGS:
        person = _user(username)
        appointment = person and db.session.scalar(select(Appointment).join(Post).where(
            Appointment.user_id == person.id, Post.code == post_code, Appointment.status == AppointmentStatus.ACTIVE))
        if appointment is None or db.session.scalar(select(Filing.id).where(Filing.appointment_id == appointment.id)):
            continue
        filing = services.start_filing(person, appointment.id)
        services.save_filing(person, filing, values)
        if goal == FilingStatus.DRAFT:
            continue
        services.submit_filing(person, filing)
        if goal == FilingStatus.RETURNED:
            services.return_filing(hr, filing, reason)
        if goal in (FilingStatus.ENDORSED, FilingStatus.ACCEPTED):
            services.endorse_filing(hr, filing)
        if goal == FilingStatus.ACCEPTED:
            services.accept_filing(bureau, filing)
    db.session.flush()
