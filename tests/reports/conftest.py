"""Small worlds built by hand for the metrics: rows inserted directly (no PDFs, no workflow), so
each test says exactly what exists.

The region tree: province 上海 (SH) with districts 长宁 (SH-A) and 静安 (SH-B); province 辽宁 (LN)
with city 沈阳 (LN-SY) and its district 和平 (LN-SY-HP).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, UTC

import pytest

from lms.extensions import db

_n = itertools.count(1)


@dataclass
class World:
    regions: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)
    programs: dict = field(default_factory=dict)
    institution: object = None

    # ---- people and training ----
    def person(self, name="张三明"):
        from lms.accounts.models import User

        user = User(username=f"p{next(_n)}", name=name, password_hash="x")
        db.session.add(user)
        db.session.flush()
        return user

    def program(self, level="director", ce_hours=12):
        from lms.programs.models import Program

        key = (level, ce_hours)
        if key not in self.programs:
            n = next(_n)
            self.programs[key] = Program(code=f"RP{n}", title=f"项目{n}", level=level, region=self.regions["SH"],
                                         ce_hours_per_year=ce_hours, certificate_validity_years=3)
            db.session.add(self.programs[key])
            db.session.flush()
        return self.programs[key]

    def cohort(self, region="SH-A", starts_on=date(2024, 3, 1), level="director", ce_hours=12):
        from lms.enrollment.models import Cohort

        n = next(_n)
        cohort = Cohort(code=f"RC{n}", title=f"班{n}", program=self.program(level, ce_hours),
                        institution=self.institution, region=self.regions[region], starts_on=starts_on,
                        ends_on=starts_on, capacity=100, applications_open_on=date(2020, 1, 1),
                        applications_close_on=starts_on)
        db.session.add(cohort)
        db.session.flush()
        return cohort

    def enroll(self, person, cohort, status="approved", enterprise=None, attended=True):
        from lms.enrollment.models import Application, Attendance, CohortSession

        application = Application(cohort=cohort, user_id=person.id, status=status,
                                  enterprise_id=self.enterprises[enterprise].id if enterprise else None)
        db.session.add(application)
        db.session.flush()
        if attended:
            session = CohortSession(cohort=cohort, module_id=self._module(cohort), hours=4,
                                    starts_at=datetime(cohort.starts_on.year, cohort.starts_on.month,
                                                       cohort.starts_on.day, 1, tzinfo=UTC),
                                    ends_at=datetime(cohort.starts_on.year, cohort.starts_on.month,
                                                     cohort.starts_on.day, 5, tzinfo=UTC))
            db.session.add(session)
            db.session.flush()
            db.session.add(Attendance(session_id=session.id, application_id=application.id, status="present",
                                      method="staff"))
            db.session.flush()
        return application

    def _module(self, cohort):
        from lms.programs.models import Module

        program = cohort.program
        if not program.modules:
            program.modules.append(Module(code="M1", title="模块", hours=4, position=1))
            db.session.flush()
        return program.modules[0].id

    def certify(self, person, issued_on, region="SH-A", enterprise=None, level="director", status="valid",
                cohort=None, application=None, supersedes=None, valid_years=3, ce_hours=12):
        """A certificate issued on `issued_on` to a person trained in a cohort of `region`, who
        worked at `enterprise` (a key of world.enterprises) when it was issued."""
        from lms.certificates.models import Certificate

        if supersedes is not None:
            application = db.session.get(_application_model(), supersedes.application_id)
            cohort = application.cohort
        cohort = cohort or self.cohort(region, issued_on, level, ce_hours)
        application = application or self.enroll(person, cohort, enterprise=enterprise)
        employer = self.enterprises[enterprise] if enterprise else None
        n = next(_n)
        certificate = Certificate(
            cert_no=f"T-{n}", version=(supersedes.version + 1) if supersedes else 1, status=status,
            application_id=application.id, cohort_id=cohort.id, user_id=person.id, program_id=cohort.program_id,
            institution_id=self.institution.id, holder_name=person.name, holder_gender="male",
            holder_id_number="110101199001011234", program_code="P", program_title="P", institution_code="I",
            institution_name="I", hours=16, modules=[], issued_on=issued_on,
            valid_until=date(issued_on.year + valid_years, issued_on.month, 1), template="director", token="t",
            pdf_path="x.pdf", pdf_sha256="0" * 64, pdf_size=1, supersedes_id=supersedes.id if supersedes else None,
            holder_enterprise_id=supersedes.holder_enterprise_id if supersedes else (employer.id if employer else None),
            holder_region_id=supersedes.holder_region_id if supersedes else (employer.region_id if employer else None))
        if supersedes is not None:
            supersedes.status = "superseded"
            db.session.flush()
        db.session.add(certificate)
        db.session.flush()
        return certificate

    # ---- after the certificate ----
    def post(self, code="ln-director", region="LN"):
        from lms.appointments.models import Post

        found = db.session.scalar(db.select(Post).where(Post.code == code))
        if found is None:
            found = Post(code=code, title=code, region=self.regions[region], levels=["director"], rank=1)
            db.session.add(found)
            db.session.flush()
        return found

    def appoint(self, person, enterprise, starts_on, ended_on=None, post="ln-director"):
        from lms.appointments.models import Appointment

        appointment = Appointment(user_id=person.id, enterprise_id=self.enterprises[enterprise].id,
                                  post_id=self.post(post).id, starts_on=starts_on,
                                  status="ended" if ended_on else "active", ended_on=ended_on,
                                  end_reason="left" if ended_on else None)
        db.session.add(appointment)
        db.session.flush()
        return appointment

    def file(self, person, enterprise, accepted_on, certificate, post="ln-director"):
        from lms.talent.models import Filing, TalentEntry

        appointment = self.appoint(person, enterprise, accepted_on, post=post)
        filing = Filing(user_id=person.id, appointment_id=appointment.id, enterprise_id=appointment.enterprise_id,
                        certificate_id=certificate.id, status="accepted", form={}, filing_no=f"F{next(_n)}")
        db.session.add(filing)
        db.session.flush()
        entry = TalentEntry(filing_id=filing.id, user_id=person.id, enterprise_id=appointment.enterprise_id,
                            post_id=appointment.post_id, certificate_id=certificate.id, accepted_on=accepted_on)
        db.session.add(entry)
        db.session.flush()
        return entry

    def ce_activity(self, region="SH-A", day=date(2025, 5, 1), hours=6.0):
        from lms.ce.models import CeActivity

        activity = CeActivity(title="沙龙", kind="salon", category="professional", hours=hours, capacity=50,
                              starts_at=datetime(day.year, day.month, day.day, 1, tzinfo=UTC),
                              ends_at=datetime(day.year, day.month, day.day, 5, tzinfo=UTC),
                              region=self.regions[region])
        db.session.add(activity)
        db.session.flush()
        return activity

    def attend_ce(self, person, activity):
        from lms.ce import ledger
        from lms.ce.enums import Category, CreditSource

        day = activity.starts_at.date()
        ledger.credit(person.id, CreditSource.ACTIVITY, activity.id, hours=activity.hours,
                      category=Category.PROFESSIONAL, title=activity.title, earned_on=day)
        db.session.flush()


def _application_model():
    from lms.enrollment.models import Application

    return Application


@pytest.fixture
def world(make_region, make_institution):
    from lms.orgs.models import Enterprise

    w = World()
    sh = make_region("R310000", "上海市", "province")
    ln = make_region("R210000", "辽宁省", "province")
    w.regions = {"SH": sh, "SH-A": make_region("R310105", "长宁区", "district", sh),
                 "SH-B": make_region("R310106", "静安区", "district", sh),
                 "LN": ln, "LN-SY": make_region("R210100", "沈阳市", "city", ln)}
    w.regions["LN-SY-HP"] = make_region("R210102", "和平区", "district", w.regions["LN-SY"])
    w.institution = make_institution(region=w.regions["SH-A"])
    from lms.demo import demo_uscc

    for key, region, industry, ownership in ([("a1", "SH-A", "C", "private"), ("b1", "SH-B", "I", "state"),
                                                            ("sy", "LN-SY", "C", "state"),
                                                            ("hp", "LN-SY-HP", "G", "private")]):
        w.enterprises[key] = Enterprise(uscc=demo_uscc("310105", 8800 + next(_n)), name=f"企业{key}",
                                        region=w.regions[region], industry_section=industry, ownership=ownership)
        db.session.add(w.enterprises[key])
    db.session.flush()
    return w
