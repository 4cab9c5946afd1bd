"""A small world for appointments and the talent pool: a province with two cities and a
district, an enterprise in the district and one in the other city, the posts, and one user
per kind of actor; factories for people, certificates and appointments."""
from __future__ import annotations

import itertools
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from lms.extensions import db
from tests.enrollment.conftest import make_id_number  # noqa: F401 - used below
from tests.enrollment.conftest import make_cohort, make_program  # noqa: F401 - fixtures used below

_n = itertools.count(1)


@pytest.fixture
def make_person(make_user):
    from lms.enrollment.models import TraineeProfile

    def make(enterprise, name: str = "赵测试", gender: str = "male", born: str = "19850612", **profile):
        user = make_user("trainee", name=name)
        fields = dict(name=name, gender=gender, id_number=make_id_number(born, "210102"), phone="13912345678",
                      enterprise_id=enterprise.id if enterprise else None, position="标准化工程师", education="bachelor",
                      major="机械工程", title_level="intermediate", standardization_years=5,
                      appointment_status="appointed")
        fields.update(profile)
        db.session.add(TraineeProfile(user_id=user.id, **fields))
        db.session.commit()
        return user

    return make


@pytest.fixture
def certify(make_program, make_cohort):  # noqa: F811 - the fixtures imported above
    """A certificate row for a person (the issuing path is the certificates domain's to test)."""
    from lms.certificates.models import Certificate
    from lms.enrollment.models import Application

    programs: dict[str, object] = {}

    def make(user, level: str = "specialist", valid_until: date | None = None, status: str = "valid"):
        program = programs.get(level) or programs.setdefault(level, make_program(level=level))
        cohort = make_cohort(program=program)
        application = Application(cohort_id=cohort.id, user_id=user.id, status="approved")
        db.session.add(application)
        db.session.flush()
        n = next(_n)
        certificate = Certificate(
            cert_no=f"LN-2026-{n:06d}-TEST{n:05d}-X", version=1, status=status, application_id=application.id,
            cohort_id=cohort.id, user_id=user.id, program_id=program.id, institution_id=cohort.institution_id,
            holder_name=user.name, holder_gender="male", holder_id_number="", program_code=program.code,
            program_title=program.title, institution_code=cohort.institution.code,
            institution_name=cohort.institution.name, hours=16, modules=[], issued_on=date.today() - timedelta(days=30),
            valid_until=valid_until or date.today() + timedelta(days=1000), template="director", token="t",
            pdf_path="x.pdf", pdf_sha256="0" * 64, pdf_size=1)
        db.session.add(certificate)
        db.session.commit()
        return certificate

    return make


@pytest.fixture
def world(make_region, make_enterprise, make_user, make_person, certify):
    from lms.appointments.models import Post

    province = make_region("P21", "辽宁省", "province")
    city = make_region("C2101", "沈阳市", "city", province)
    district = make_region("D210102", "和平区", "district", city)
    other_city = make_region("C2102", "大连市", "city", province)
    enterprise = make_enterprise("沈阳测试装备有限公司", region=district)
    elsewhere = make_enterprise("大连测试物流有限公司", region=other_city)
    cso = Post(code="t-cso", title="首席标准官", region=province, levels=["cso"], rank=1, usual_count=1)
    specialist = Post(code="t-specialist", title="标准化专员", region=province, levels=["cso", "director", "specialist"],
                      rank=3)
    shanghai = make_region("P31", "上海市", "province")
    foreign_post = Post(code="t-sh", title="企业标准化总监", region=shanghai, levels=["director"], rank=1)
    db.session.add_all([cso, specialist, foreign_post])
    db.session.commit()
    person = make_person(enterprise, name="赵标准")
    certify(person, "specialist")
    return SimpleNamespace(
        province=province, city=city, district=district, other_city=other_city, shanghai=shanghai,
        enterprise=enterprise, elsewhere=elsewhere, cso=cso, specialist=specialist, foreign_post=foreign_post,
        person=person, admin=make_user("admin", name="管理员"),
        province_bureau=make_user("bureau", scope=province, name="省局"),
        city_bureau=make_user("bureau", scope=city, name="沈阳市局"),
        district_bureau=make_user("bureau", scope=district, name="和平区局"),
        other_bureau=make_user("bureau", scope=other_city, name="大连市局"),
        hr=make_user("enterprise", scope=enterprise, name="装备人事"),
        other_hr=make_user("enterprise", scope=elsewhere, name="物流人事"),
        outsider=make_person(elsewhere, name="钱外企"),
    )


@pytest.fixture
def appoint(world):
    """An active appointment of the world's person (or another) recorded by their HR."""
    from lms.appointments.services import record_appointment

    def make(person=None, post=None, actor=None, **data):
        recorded = record_appointment(actor or world.hr, {
            "person_id": (person or world.person).id, "post_code": (post or world.specialist).code,
            "starts_on": data.pop("starts_on", date.today() - timedelta(days=30)), "full_time": True,
            "document_no": "测〔2026〕1号", **data})
        db.session.commit()
        return recorded.appointment

    return make
