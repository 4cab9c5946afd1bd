"""Filings stand on the appointments world (tests/appointments/conftest.py)."""
import pytest

from lms.extensions import db
from tests.appointments.conftest import appoint, certify, make_person, world  # noqa: F401 - shared fixtures
from tests.enrollment.conftest import make_cohort, make_program  # noqa: F401 - used by certify

FILLED = {"ethnicity": "汉族", "political_status": "masses", "email": "zhao@example.cn", "title_name": "工程师",
          "school": "东北大学",
          "work_history": [{"from": "2010-07", "to": "2015-06", "employer": "沈阳某厂", "job": "技术员"},
                           {"from": "2015-07", "to": "", "employer": "沈阳测试装备有限公司", "job": "标准化工程师"}],
          "achievements": [{"kind": "standard", "title": "数控机床装配工艺规范", "number": "Q/SYC 001-2025",
                            "role": "主要起草人"},
                           {"kind": "committee", "title": "辽宁省机械标准化技术委员会", "role": "委员"}],
          "remarks": "兼任质量部副部长"}


@pytest.fixture
def filing_at(world, appoint):  # noqa: F811 - the fixtures imported above
    """A filing of the world's person brought to a stage: draft, submitted, endorsed, accepted."""
    from lms.talent import services

    def make(stage: str = "draft", person=None, post=None, values=None):
        person = person or world.person
        appointment = appoint(person, post)
        filing = services.start_filing(person, appointment.id)
        services.save_filing(person, filing, values or FILLED)
        if stage != "draft":
            services.submit_filing(person, filing)
        if stage in ("endorsed", "accepted"):
            services.endorse_filing(world.hr, filing)
        if stage == "accepted":
            services.accept_filing(world.city_bureau, filing)
        db.session.commit()
        return filing

    return make
