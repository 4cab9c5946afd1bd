"""Demo programs, teachers, cohorts and enrollments (called by `flask lms seed-demo`).

Idempotent: found by natural key (program code, cohort code, user), created when missing.
Cohort dates are relative to the day of seeding, so a fresh demo always has an open, a
running and a finished cohort.
"""
from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.core.ids import id_check_char
from lms.enrollment.cohorts import local_datetime, local_today
from lms.enrollment.enums import ApplicationStatus, AttendanceMethod, AttendanceStatus
from lms.enrollment.models import Application, Attendance, Cohort, CohortSession, TraineeProfile
from lms.enrollment.profiles import profile_facts
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution
from lms.orgs.services import region_by_code
from lms.programs.eligibility import LIAONING_CSO, LIAONING_DIRECTOR, LIAONING_SPECIALIST, SHANGHAI_DIRECTOR, evaluate
from lms.programs.models import Module, Program, ProgramLevel, Teacher

SH_MODULES = [("LAW", "标准化法律法规与政策", 8), ("SYS", "企业标准体系建设与实施", 12),
              ("STR", "标准化战略与标准创新", 8), ("DEV", "标准制修订与对标达标实务", 8), ("CASE", "案例研讨与交流", 4)]
PROGRAMS = [
    dict(code="SH-DIR", title="上海市企业标准化总监高级研修班", level=ProgramLevel.DIRECTOR, region="310000",
         rules=SHANGHAI_DIRECTOR, modules=SH_MODULES,
         teacher_requirements="具有高级职称或10年以上标准化工作经历，熟悉国家标准化法律法规。",
         required_qualifications=["高级职称或10年以上标准化工作经历"]),
    dict(code="LN-CSO", title="辽宁省首席标准官研修班", level=ProgramLevel.CSO, region="210000", rules=LIAONING_CSO,
         modules=[("STR", "标准化战略规划", 8), ("LAW", "标准化法律法规", 8), ("MGT", "标准化管理与协调", 8)],
         teacher_requirements="具有正高级职称或省级以上标准化专家。", required_qualifications=["正高级职称"]),
    dict(code="LN-DIR", title="辽宁省标准总监培训班", level=ProgramLevel.DIRECTOR, region="210000",
         rules=LIAONING_DIRECTOR,
         modules=[("LAW", "标准化法律法规与政策", 8), ("SYS", "企业标准体系构建与运行", 8),
                  ("DEV", "企业标准制修订实务", 8)],
         teacher_requirements="具有高级职称。", required_qualifications=["高级职称或10年以上标准化工作经历"]),
    dict(code="LN-SPE", title="辽宁省标准化专员培训班", level=ProgramLevel.SPECIALIST, region="210000",
         rules=LIAONING_SPECIALIST,
         modules=[("BAS", "企业标准化基础知识", 8), ("PRA", "企业标准编写实务", 8)],
         teacher_requirements="具有中级以上职称。", required_qualifications=["中级以上职称"]),
]
# What demos before this one shipped as the Liaoning CSO rule: its three years of standardization
# work are not in the policy (seed 001 asks for a 副总经理 or above), so a demo seeded then is corrected.
_OLD_LIAONING_CSO = {"all": [{"manual": "具备标准化战略思维，熟悉国家标准化法律法规和战略规划"},
                             {"field": "standardization_years", "op": "gte", "value": 3}]}
TEACHERS = [("SH-STC", "陈立新", "教授级高工", ["高级职称或10年以上标准化工作经历", "正高级职称", "中级以上职称"]),
            ("SH-STC", "赵敏", "高级工程师", ["高级职称或10年以上标准化工作经历", "中级以上职称"])]

# code -> (title, days from today: applications open, applications close, start, end; capacity)
COHORTS = {
    "SH-DIR-OPEN": ("标准化总监高级研修班（报名中）", (-10, 20, 30, 34), 40),
    "SH-DIR-RUN": ("标准化总监高级研修班（在读）", (-40, -10, -3, 3), 30),
    "SH-DIR-DONE": ("标准化总监高级研修班（已结业）", (-120, -90, -80, -75), 30),
}
# username -> profile (enterprise by demo serial)
PROFILES = {
    "trainee": dict(name="王晓明", gender="male", born="19860314", enterprise=101, position="标准化部经理",
                    position_level="department_head", education="bachelor", major="机械设计制造及其自动化", standardization_major=False,
                    title_level="intermediate", standardization_years=5, appointment_status="prospective"),
    "graduate": dict(name="李静怡", gender="female", born="19820907", enterprise=101, position="质量标准部部长",
                     position_level="department_head", education="master", major="标准化工程", standardization_major=True,
                     title_level="associate_senior", standardization_years=8, appointment_status="appointed"),
    "applicant": dict(name="张建国", gender="male", born="19900120", enterprise=101, position="技术标准主管",
                      position_level="staff", education="bachelor", major="电气工程及其自动化", standardization_major=False,
                      title_level="intermediate", standardization_years=3.5, appointment_status="prospective"),
}
ENROLLED = {"SH-DIR-RUN": "trainee", "SH-DIR-DONE": "graduate"}
ADMISSION_NOTICE = ("1. 首次课前 15 分钟到培训中心3楼前台报到，出示身份证，领取学员证和教材。\n"
                    "2. 每次课扫描投影屏幕上的二维码签到；出勤率达到要求方可参加结业考试。\n"
                    "3. 请携带笔记本电脑或手机参加课堂练习。\n"
                    "4. 联系人：培训部 021-00000000（工作日 9:00–17:00）。")


def demo_id_number(born: str, serial: int) -> str:
    first17 = f"310105{born}{serial:03d}"
    return first17 + id_check_char(first17)


def seed_programs() -> None:
    for spec in PROGRAMS:
        program = db.session.scalar(select(Program).where(Program.code == spec["code"]))
        if program is not None and program.eligibility_rules == _OLD_LIAONING_CSO:
            program.eligibility_rules = spec["rules"]
        if program is None:
            program = Program(code=spec["code"], title=spec["title"], level=spec["level"],
                              region=region_by_code(spec["region"]), eligibility_rules=spec["rules"],
                              teacher_requirements=spec["teacher_requirements"],
                              required_qualifications=spec["required_qualifications"], min_attendance_ratio=0.9,
                              exam_pass_mark=60, certificate_validity_years=3, ce_hours_per_year=12,
                              description="统一课程设置、师资条件和考核要求。")
            for position, (code, title, hours) in enumerate(spec["modules"], 1):
                program.modules.append(Module(code=code, title=title, hours=hours, position=position))
            db.session.add(program)
    for institution_code, name, title, qualifications in TEACHERS:
        institution = db.session.scalar(select(Institution).where(Institution.code == institution_code))
        if db.session.scalar(select(Teacher).where(Teacher.institution_id == institution.id,
                                                   Teacher.name == name)) is None:
            db.session.add(Teacher(institution=institution, name=name, title=title, qualifications=qualifications))
    db.session.flush()


def _profiles(enterprise_uscc) -> None:
    for serial, (username, spec) in enumerate(PROFILES.items(), 1):
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == user.id)):
            continue
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.uscc == enterprise_uscc(spec["enterprise"])))
        fields = {k: v for k, v in spec.items() if k not in {"born", "enterprise"}}
        db.session.add(TraineeProfile(user_id=user.id, id_number=demo_id_number(spec["born"], serial),
                                      phone=user.phone or "13900000000", enterprise=enterprise, **fields))
    db.session.flush()


def _cohort(code: str, program: Program, institution: Institution) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.code == code))
    if cohort is not None:
        return cohort
    title, (opens, closes, starts, ends), capacity = COHORTS[code]
    today = local_today()
    cohort = Cohort(code=code, title=title, program=program, institution=institution,
                    region=region_by_code("310105"), capacity=capacity, seats_taken=0,
                    applications_open_on=today + timedelta(days=opens),
                    applications_close_on=today + timedelta(days=closes),
                    starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends),
                    place="上海市长宁区示范路100号 培训中心3楼", admission_notice=ADMISSION_NOTICE)
    db.session.add(cohort)
    teachers = db.session.scalars(select(Teacher).where(Teacher.institution_id == institution.id)
                                  .order_by(Teacher.id)).all()
    day = cohort.starts_on
    for i, module in enumerate(program.modules):  # one module per day, mornings and afternoons
        for half, (begin, end) in enumerate(((time(9), time(12)), (time(13, 30), time(16, 30)))):
            hours = module.hours / 2
            cohort.sessions.append(CohortSession(
                module=module, teacher=teachers[(i + half) % len(teachers)], hours=hours, place=cohort.place,
                starts_at=local_datetime(day, begin), ends_at=local_datetime(day, end)))
        day += timedelta(days=1)
    if code == "SH-DIR-RUN":  # today's class runs all day, so the QR check-in can be tried now
        cohort.sessions.append(CohortSession(
            module=program.modules[-1], teacher=teachers[0], hours=4, place=cohort.place,
            starts_at=local_datetime(today, time(0, 5)), ends_at=local_datetime(today, time(23, 55))))
    db.session.flush()
    return cohort


def seed_enrollment() -> None:
    from lms.demo import enterprise_uscc

    seed_programs()
    _profiles(enterprise_uscc)
    program = db.session.scalar(select(Program).where(Program.code == "SH-DIR"))
    institution = db.session.scalar(select(Institution).where(Institution.code == "SH-STC"))
    staff = db.session.scalar(select(User).where(User.username == "institution"))
    now = local_datetime(local_today(), time(0))
    for code in COHORTS:
        cohort = _cohort(code, program, institution)
        username = ENROLLED.get(code)
        user = username and db.session.scalar(select(User).where(User.username == username))
        if not user or db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                                    Application.user_id == user.id)):
            continue
        profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == user.id))
        application = Application(cohort=cohort, user_id=user.id, enterprise_id=profile.enterprise_id,
                                  status=ApplicationStatus.APPROVED, eligibility=evaluate(program.eligibility_rules,
                                                                          profile_facts(profile)).as_json(),
                                  decided_by_id=staff.id, decided_at=now, decision_note="")
        db.session.add(application)
        cohort.seats_taken += 1
        db.session.flush()
        for session in cohort.sessions:
            if session.ends_at < now:  # every class so far attended (running) or all of them (finished)
                db.session.add(Attendance(session_id=session.id, application_id=application.id,
                                          status=AttendanceStatus.PRESENT, method=AttendanceMethod.STAFF,
                                          recorded_by_id=staff.id, recorded_at=session.ends_at))
    db.session.flush()
