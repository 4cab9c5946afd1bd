"""Factories for continuing education: certified people (certificate rows, no PDF), organizers,
activities."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, UTC

import pytest

from lms.extensions import db

_n = itertools.count(1)

from tests.certificates.conftest import cohort_staff, exam_passed, make_graduate  # noqa: E402,F401 - fixtures
from tests.enrollment.conftest import (  # noqa: E402,F401 - fixtures shared with the enrollment tests
    make_application, make_cohort, make_program, make_session, make_trainee)


@pytest.fixture
def make_certificate(make_cohort, make_region):
    """A certificate row for `user` (as issuing would leave it, without rendering a PDF)."""
    from lms.certificates.models import Certificate
    from lms.certificates.numbers import new_cert_no
    from lms.enrollment.models import Application

    def make(user, *, hours_per_year: int = 12, issued_on: date | None = None, valid_until: date | None = None,
             status: str = "valid", institution=None):
        issued_on = issued_on or date(2026, 1, 10)
        valid_until = valid_until or issued_on.replace(year=issued_on.year + 3) - timedelta(days=1)
        cohort = make_cohort(region=make_region("310105", "长宁区"), institution=institution)
        cohort.program.ce_hours_per_year = hours_per_year
        application = Application(cohort_id=cohort.id, user_id=user.id, status="approved")
        db.session.add(application)
        db.session.flush()
        n = next(_n)
        certificate = Certificate(
            cert_no=new_cert_no("SH", issued_on.year, 90000 + n), version=1, status=status,
            application_id=application.id, cohort_id=cohort.id, user_id=user.id, program_id=cohort.program.id,
            institution_id=cohort.institution_id, holder_name=user.name, holder_gender="male",
            holder_id_number="310105198506120011", program_code=cohort.program.code,
            program_title=cohort.program.title, institution_code=cohort.institution.code,
            institution_name=cohort.institution.name, hours=16.0, modules=[], issued_on=issued_on,
            valid_until=valid_until, template="director", token=f"t{n}", pdf_path=f"x/{n}.pdf",
            pdf_sha256="0" * 64, pdf_size=1)
        db.session.add(certificate)
        db.session.commit()
        return certificate

    return make


@pytest.fixture
def certified(make_trainee, make_certificate):
    """A person (长宁区 enterprise) holding a valid certificate asking 12 hours a year."""

    def make(hours_per_year: int = 12, **profile):
        person = make_trainee(**profile)
        certificate = make_certificate(person, hours_per_year=hours_per_year)
        person.certificate = certificate
        return person

    return make


@pytest.fixture
def organizer(make_user, make_institution):
    return make_user("institution", scope=make_institution(), name="活动组织者")


@pytest.fixture
def make_activity():
    from lms.ce.activities import save_activity

    def make(actor, *, starts_in: timedelta = timedelta(days=3), minutes: int = 180, hours: float = 3,
             capacity: int = 10, category: str = "professional", kind: str = "forum", title: str | None = None):
        starts_at = datetime.now(UTC).replace(microsecond=0) + starts_in
        activity = save_activity(actor, {
            "title": title or f"标准化论坛{next(_n)}", "kind": kind, "category": category, "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=minutes), "place": "会议中心", "hours": hours,
            "capacity": capacity})
        db.session.commit()
        return activity

    return make


def credits_of(user_id: int) -> list:
    from sqlalchemy import select

    from lms.ce.models import CeCredit

    return db.session.scalars(select(CeCredit).where(CeCredit.user_id == user_id)).all()


WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 60  # what a WebM file starts with, for upload tests
PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def make_course():
    """A course of `organizer` with lessons [(kind, min_seconds)], uploaded and published."""
    from lms.ce import courses

    def make(actor, lessons=(("video", 60),), hours: float = 2, quiz_bank: str = "", quiz_count: int = 0,
             publish: bool = True):
        course = courses.save_course(actor, {"title": f"网络课程{next(_n)}", "category": "professional",
                                             "hours": hours, "quiz_bank": quiz_bank, "quiz_count": quiz_count,
                                             "quiz_pass_mark": 60})
        for index, (kind, seconds) in enumerate(lessons, 1):
            content = WEBM if kind == "video" else PDF_BYTES
            lesson = courses.add_lesson(actor, course, {"title": f"第{index}讲", "kind": kind, "min_seconds": seconds,
                                                        "size": len(content)})
            courses.receive_chunk(actor, lesson, 0, content)
        db.session.refresh(course)
        if publish:
            courses.save_course(actor, {"title": course.title, "category": "professional", "hours": hours,
                                        "quiz_bank": quiz_bank, "quiz_count": quiz_count, "quiz_pass_mark": 60,
                                        "published": True}, course)
        db.session.commit()
        return course

    return make
