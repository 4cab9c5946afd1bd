"""Factories for programs, cohorts, sessions, trainees with profiles and applications."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, UTC

import pytest

from lms.core.ids import id_check_char
from lms.extensions import db

_n = itertools.count(100)


def make_id_number(born: str = "19850612", region: str = "310105") -> str:
    first17 = f"{region}{born}{next(_n) % 1000:03d}"
    return first17 + id_check_char(first17)


def profile_data(**overrides):
    from lms.demo import demo_uscc

    data = {"name": "王测试", "gender": "male", "id_number": make_id_number(), "phone": "13800138000",
            "enterprise_uscc": demo_uscc("310105", 7000 + next(_n)), "enterprise_name": "测试制造有限公司",
            "position": "标准化部经理", "education": "bachelor", "major": "机械工程",
            "standardization_major": False, "title_level": "intermediate", "standardization_years": 4,
            "appointment_status": "prospective"}
    data.update(overrides)
    return data


@pytest.fixture
def make_program(make_region):
    from lms.programs.eligibility import SHANGHAI_DIRECTOR
    from lms.programs.models import Module, Program

    def make(rules=SHANGHAI_DIRECTOR, hours=(8, 8), level="director", region=None, qualifications=()):
        n = next(_n)
        program = Program(code=f"P{n}", title=f"测试项目{n}", level=level, region=region or make_region(),
                          eligibility_rules=rules, min_attendance_ratio=0.9, required_qualifications=list(qualifications),
                          exam_pass_mark=60, certificate_validity_years=3, ce_hours_per_year=12)
        for i, h in enumerate(hours, 1):
            program.modules.append(Module(code=f"M{i}", title=f"模块{i}", hours=h, position=i))
        db.session.add(program)
        db.session.commit()
        return program

    return make


@pytest.fixture
def make_cohort(make_program, make_institution, make_region):
    from lms.enrollment.cohorts import local_today
    from lms.enrollment.models import Cohort

    def make(capacity=10, program=None, institution=None, region=None, open_now=True, **kw):
        n = next(_n)
        today = local_today()
        window = (today - timedelta(days=5), today + timedelta(days=5)) if open_now else \
            (today - timedelta(days=60), today - timedelta(days=30))
        cohort = Cohort(code=f"C{n}", title=f"测试班{n}", program=program or make_program(),
                        institution=institution or make_institution(), region=region or make_region(),
                        starts_on=kw.get("starts_on", today - timedelta(days=20)),
                        ends_on=kw.get("ends_on", today + timedelta(days=20)), capacity=capacity, seats_taken=0,
                        applications_open_on=window[0], applications_close_on=window[1])
        db.session.add(cohort)
        db.session.commit()
        return cohort

    return make


@pytest.fixture
def make_session():
    from lms.enrollment.models import CohortSession

    def make(cohort, module=None, starts_at=None, hours=4.0, minutes=240):
        starts_at = starts_at or datetime.now(UTC) - timedelta(minutes=30)
        session = CohortSession(cohort=cohort, module=module or cohort.program.modules[0], starts_at=starts_at,
                                ends_at=starts_at + timedelta(minutes=minutes), hours=hours, place="101教室")
        db.session.add(session)
        db.session.commit()
        return session

    return make


@pytest.fixture
def make_trainee(make_user, make_region):
    from lms.enrollment.profiles import save_profile

    def make(**overrides):
        make_region("310105", "长宁区")  # where the test enterprises' USCCs say they are
        user = make_user("trainee", name=overrides.get("name", "王测试"))
        save_profile(user, profile_data(**overrides))
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_application():
    from lms.enrollment.applications import apply

    def make(cohort, trainee):
        application = apply(trainee, cohort)
        db.session.commit()
        return application

    return make
