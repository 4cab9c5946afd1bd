"""Demo: people trained in Liaoning (called by `flask lms seed-demo` before the appointments).

Two finished cohorts of the demo programs LN-CSO and LN-SPE at the Liaoning institution,
each person enrolled, present at every session, passed the final exam and issued the
certificate through the real issuing path. `ln-graduate` is a demo account; the others are
people of the talent pool without a known password (like trainees imported from a roster).
Idempotent: found by username and cohort code.
"""
from __future__ import annotations

import secrets
from datetime import time, timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.accounts.passwords import hash_password
from lms.certificates.issuing import current_certificate, issue
from lms.core.errors import AppError
from lms.core.ids import id_check_char
from lms.enrollment.cohorts import local_datetime, local_today
from lms.enrollment.models import Application, Attendance, Cohort, CohortSession, TraineeProfile
from lms.exams.demo import DONE_BLUEPRINT, demo_exam, passed_attempt
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution
from lms.orgs.services import region_by_code
from lms.programs.models import Program

# code -> (program, title, days from today: start, end)
COHORTS = {
    "LN-CSO-DONE": ("LN-CSO", "辽宁省首席标准官研修班（第一期，已结业）", (-210, -206)),
    "LN-SPE-DONE": ("LN-SPE", "辽宁省标准化专员培训班（第一期，已结业）", (-150, -148)),
}
# username, name, gender, born, cohort, enterprise serial, position, education, major, title level, phone
PEOPLE = [
    ("ln-graduate", "陈磊", "male", "19870415", "LN-SPE-DONE", 104, "工艺技术部主管", "bachelor", "机械工程",
     "intermediate", "13900000004"),
    ("t-ln-liu", "刘振华", "male", "19750822", "LN-CSO-DONE", 104, "副总经理", "master", "机械制造及其自动化",
     "senior", "13900000011"),
    ("t-ln-sun", "孙丽娜", "female", "19830219", "LN-CSO-DONE", 104, "质量部部长", "master", "质量管理工程",
     "associate_senior", "13900000012"),
    ("t-ln-gao", "高俊峰", "male", "19790630", "LN-CSO-DONE", 106, "副总经理", "bachelor", "物流工程",
     "associate_senior", "13900000013"),
    ("t-ln-zhou", "周强", "male", "19900310", "LN-SPE-DONE", 104, "标准化工程师", "bachelor", "标准化工程",
     "intermediate", "13900000014"),
    ("t-ln-wu", "吴婷", "female", "19920725", "LN-SPE-DONE", 104, "技术员", "bachelor", "材料成型及控制工程",
     "intermediate", "13900000015"),
    ("t-ln-zheng", "郑凯", "male", "19880116", "LN-SPE-DONE", 104, "质量工程师", "junior_college", "机电一体化",
     "intermediate", "13900000016"),
    ("t-ln-feng", "冯雪", "female", "19911204", "LN-SPE-DONE", 104, "标准化专员", "bachelor", "工业工程",
     "junior", "13900000017"),
]


def ln_id_number(born: str, serial: int) -> str:
    first17 = f"210102{born}{serial:03d}"
    return first17 + id_check_char(first17)


def _person(serial: int, spec: tuple, enterprise_uscc, password_hash: list[str]) -> User:
    username, name, gender, born, _cohort, enterprise, position, education, major, title, phone = spec
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:  # a demo account is made by lms.demo; the others get a password nobody knows
        if not password_hash:
            password_hash.append(hash_password(secrets.token_urlsafe(24)))
        user = User(username=username, name=name, password_hash=password_hash[0], phone=phone)
        db.session.add(user)
        db.session.flush()
    if db.session.scalar(select(TraineeProfile.id).where(TraineeProfile.user_id == user.id)) is None:
        db.session.add(TraineeProfile(
            user_id=user.id, name=name, gender=gender, id_number=ln_id_number(born, serial), phone=phone,
            enterprise=db.session.scalar(select(Enterprise).where(Enterprise.uscc == enterprise_uscc(enterprise))),
            position=position, education=education, major=major, standardization_major=major == "标准化工程",
            title_level=title, standardization_years=5, appointment_status="appointed"))
        db.session.flush()
    return user


def _cohort(code: str) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.code == code))
    if cohort is not None:
        return cohort
    program_code, title, (starts, ends) = COHORTS[code]
    program = db.session.scalar(select(Program).where(Program.code == program_code))
    today = local_today()
    cohort = Cohort(code=code, title=title, program=program,
                    institution=db.session.scalar(select(Institution).where(Institution.code == "LN-STA")),
                    region=region_by_code("210100"), capacity=40, seats_taken=0,
                    applications_open_on=today + timedelta(days=starts - 40),
                    applications_close_on=today + timedelta(days=starts - 10),
                    starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends),
                    place="沈阳市和平区示范路8号 辽宁标准化培训学院")
    db.session.add(cohort)
    day = cohort.starts_on
    for module in program.modules:  # one module a day, morning and afternoon
        for begin, end in ((time(9), time(12)), (time(13, 30), time(16, 30))):
            cohort.sessions.append(CohortSession(module=module, hours=module.hours / 2, place=cohort.place,
                                                 starts_at=local_datetime(day, begin), ends_at=local_datetime(day, end)))
        day += timedelta(days=1)
    db.session.flush()
    return cohort


def _trained(user: User, cohort: Cohort) -> None:
    """Enrolled, present at every session, passed the final exam, certificate issued."""
    application = db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                              Application.user_id == user.id))
    if application is None:
        profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == user.id))
        application = Application(cohort=cohort, user_id=user.id, enterprise_id=profile.enterprise_id,
                                  status="approved", eligibility={"result": "review", "reasons": []})
        db.session.add(application)
        cohort.seats_taken += 1
        db.session.flush()
        for session in cohort.sessions:
            db.session.add(Attendance(session_id=session.id, application_id=application.id, status="present",
                                      method="staff", recorded_at=session.ends_at))
    opens = local_datetime(cohort.ends_on, time(9))
    exam = demo_exam(cohort, "结业考试", DONE_BLUEPRINT, opens_at=opens, closes_at=opens + timedelta(hours=3),
                     duration_minutes=90, attempts_allowed=2, release_policy="immediate")
    passed_attempt(exam, user)
    if current_certificate(application.id) is None:
        try:
            issue(None, application)
        except AppError:
            return  # a requirement is unmet: this person simply has no certificate
    db.session.flush()


def seed_people() -> list[User]:
    from lms.demo import enterprise_uscc

    password_hash: list[str] = []
    people = []
    for serial, spec in enumerate(PEOPLE, 1):
        user = _person(serial, spec, enterprise_uscc, password_hash)
        _trained(user, _cohort(spec[4]))
        people.append(user)
    return people
