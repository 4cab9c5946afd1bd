"""Shared set-up of the issuance and verification benchmarks: a throw-away instance folder
and database with one cohort of N graduates (profiles, sessions, full attendance).

The exams package is not part of this benchmark: `requirements.exams_passed` is replaced by
"every application passed", as the tests do; every other requirement is checked for real.
"""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lms.core.ids import id_check_char  # noqa: E402


def make_app(database_url: str | None, **settings):
    """The app on a fresh database (SQLite file in a temporary folder unless a URL is given)."""
    from lms import create_app
    from lms.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    os.environ["LMS_INSTANCE_PATH"] = str(folder / "instance")
    url = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "REDIS_URL": "", **settings})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app, folder, url


def seed_cohort(count: int):
    """A Shanghai cohort of `count` approved trainees who attended every session."""
    from lms.accounts.models import User
    from lms.demo import demo_uscc
    from lms.enrollment.models import Application, Attendance, Cohort, CohortSession, TraineeProfile
    from lms.extensions import db
    from lms.orgs.models import Institution
    from lms.orgs.services import add_region
    from lms.programs.models import Module, Program

    region = add_region("310105", "长宁区", "district", None)
    institution = Institution(code="SH-STC", name="上海标准化人才培训中心（演示）", uscc=demo_uscc("310105", 1),
                              region=region, accreditation_no="沪标培资〔2025〕001号",
                              accredited_from=date(2020, 1, 1), accredited_until=date(2099, 12, 31))
    program = Program(code="SH-DIR", title="上海市企业标准化总监高级研修班", level="director", region=region,
                      min_attendance_ratio=0.9, certificate_validity_years=3)
    for i, (title, hours) in enumerate([("标准化法律法规与政策", 8), ("企业标准体系建设与实施", 12),
                                        ("标准化战略与标准创新", 8), ("标准制修订与对标达标实务", 8),
                                        ("案例研讨与交流", 4)], 1):
        program.modules.append(Module(code=f"M{i}", title=title, hours=hours, position=i))
    today = date.today()
    cohort = Cohort(code="BENCH", title="基准测试班", program=program, institution=institution, region=region,
                    starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=20), capacity=count,
                    seats_taken=count, applications_open_on=today - timedelta(days=60),
                    applications_close_on=today - timedelta(days=40))
    start = datetime.now(UTC) - timedelta(days=25)
    for i, module in enumerate(program.modules):
        cohort.sessions.append(CohortSession(module=module, hours=module.hours, starts_at=start + timedelta(days=i),
                                             ends_at=start + timedelta(days=i, hours=6)))
    db.session.add_all([institution, program, cohort])
    db.session.flush()
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超华"
    for n in range(count):
        user = User(username=f"bench{n}", name="x", password_hash="!", phone="13900000000")
        db.session.add(user)
        db.session.flush()
        first17 = f"310105{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
        name = surnames[n % 20] + given[(n // 20) % 20] + given[(n // 400) % 20]
        db.session.add(TraineeProfile(user_id=user.id, name=name, gender="male", id_number=f"{first17}{id_check_char(first17)}"
                                      if n < 1000 else f"{n:018d}", phone="13900000000", education="bachelor",
                                      title_level="intermediate", standardization_years=5,
                                      appointment_status="appointed"))
        application = Application(cohort_id=cohort.id, user_id=user.id, status="approved")
        db.session.add(application)
        db.session.flush()
        db.session.add_all([Attendance(session_id=s.id, application_id=application.id, status="present",
                                       method="staff") for s in cohort.sessions])
    db.session.commit()
    return cohort


def pass_every_exam() -> None:
    from lms.certificates import requirements

    requirements.exams_passed = lambda applications: {a.id for a in applications}
