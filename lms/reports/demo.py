"""Demo: the seeds' targets and a plausible history for the dashboards (seed-demo, after the others).

Six years (2021 to this year) of cohorts in Shanghai districts, Liaoning cities and Zhejiang
cities, held by three history institutions; a few hundred people of enterprises across those
regions, admitted, attending, certified; appointed and (Liaoning) filed into the talent pool;
continuing-education activities with their attendance credited. Rows are written directly
(no PDFs are rendered: these people have no account to sign in with, and their certificates
have numbers beginning with DEMO), from a fixed random seed, so the figures are the same on
every machine. Idempotent: nothing is written when the history's first cohort exists.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, UTC

from sqlalchemy import insert, select

from lms.accounts.models import User
from lms.appointments.models import Appointment, Post
from lms.ce.models import CeActivity, CeAttendance, CeCredit
from lms.certificates.models import Certificate
from lms.certificates.samples import GIVEN, SURNAMES
from lms.enrollment.cohorts import local_today
from lms.enrollment.models import Application, Attendance, Cohort, CohortSession
from lms.extensions import db
from lms.orgs.attributes import Industry, Ownership
from lms.orgs.models import Enterprise, Institution
from lms.orgs.services import region_by_code
from lms.programs.models import Module, Program, ProgramLevel
from lms.reports.services import seed_targets
from lms.talent.models import Filing, TalentEntry

FIRST_YEAR = 2021
MARKER = "HIST-2021-SH-1"
# province -> (institution code, name, serial, region; programs; the regions its cohorts are held in; enterprise regions)
PROVINCES = {
    "SH": ("SH-SRI", "上海市标准化研究院培训部（演示）", 3, "310104", ("SH-DIR",),
           ["310104", "310105", "310106", "310115", "310112"],
           ["310101", "310104", "310105", "310106", "310107", "310110", "310112", "310115", "310114", "310117"]),
    "LN": ("LN-LSI", "辽宁省标准化研究院培训中心（演示）", 4, "210100", ("LN-CSO", "LN-DIR", "LN-SPE"),
           ["210100", "210200", "210300"],
           ["210100", "210200", "210300", "210400", "210600", "210800", "211100"]),
    "ZJ": ("ZJ-ZSI", "浙江省标准化研究院培训中心（演示）", 5, "330100", ("ZJ-SPE",),
           ["330100", "330200", "330300", "330600"],
           ["330100", "330200", "330300", "330400", "330600", "330700", "331000"]),
}
ZJ_PROGRAM = dict(code="ZJ-SPE", title="浙江省企业标准化人员培训班", level=ProgramLevel.SPECIALIST, region="330000",
                  modules=[("BAS", "企业标准化基础", 8), ("PRA", "企业标准编写与自我声明公开", 8)])
WORDS = ["精密", "智能", "海联", "恒信", "长江", "东方", "华远", "启明", "新材", "锦程", "安达", "瑞丰"]
KINDS = [("制造有限公司", Industry.C), ("科技有限公司", Industry.I), ("物流有限公司", Industry.G),
         ("建设工程有限公司", Industry.E), ("电力设备有限公司", Industry.D), ("检测认证有限公司", Industry.M),
         ("食品有限公司", Industry.C), ("商贸有限公司", Industry.F)]
POSTS_OF = {"SH": ("sh-director",), "LN": ("ln-cso", "ln-director", "ln-specialist"), "ZJ": ("zj-chief",)}


def seed_reports() -> None:
    seed_targets()
    if db.session.scalar(select(Cohort.id).where(Cohort.code == MARKER)) is None and region_by_code("310000"):
        History(random.Random(20261205), local_today()).build()  # noqa: S311 - a reproducible history
    db.session.flush()


class History:
    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today, self.serial = rng, today, 0

    def _id(self, model, **values) -> int:
        return db.session.execute(insert(model).values(**values).returning(model.id)).scalar_one()

    def build(self) -> None:
        from lms.demo import demo_uscc

        self._zj_program()
        programs = {p.code: p for p in db.session.scalars(select(Program))}
        posts = {p.code: p for p in db.session.scalars(select(Post))}
        hash_ = "!"  # no password: nobody signs in as these people
        for province, (code, name, serial, home, program_codes, cohort_regions, firm_regions) in PROVINCES.items():
            institution = db.session.scalar(select(Institution).where(Institution.code == code))
            if institution is None:
                institution = Institution(code=code, name=name, uscc=demo_uscc(home, serial),
                                          region=region_by_code(home), accreditation_no=f"{code}〔2020〕001号",
                                          accreditation_scope="企业标准化人员培训", accredited_from=date(2020, 6, 1),
                                          accredited_until=date(2030, 5, 31))
                db.session.add(institution)
                db.session.flush()
            firms = self._enterprises(province, firm_regions, demo_uscc)
            self._cohorts(province, institution, [programs[c] for c in program_codes if c in programs],
                          cohort_regions, firms, hash_, [posts[c] for c in POSTS_OF[province] if c in posts])
            self._ce(province, institution, cohort_regions)

    def _zj_program(self) -> None:
        if db.session.scalar(select(Program.id).where(Program.code == ZJ_PROGRAM["code"])) is None:
            program = Program(code=ZJ_PROGRAM["code"], title=ZJ_PROGRAM["title"], level=ZJ_PROGRAM["level"],
                              region=region_by_code(ZJ_PROGRAM["region"]), min_attendance_ratio=0.9, exam_pass_mark=60,
                              certificate_validity_years=3, ce_hours_per_year=12, description="统一课程设置和考核要求。")
            for position, (mcode, title, hours) in enumerate(ZJ_PROGRAM["modules"], 1):
                program.modules.append(Module(code=mcode, title=title, hours=hours, position=position))
            db.session.add(program)
            db.session.flush()

    def _enterprises(self, province, regions, demo_uscc) -> list[Enterprise]:
        firms = []
        for i, region_code in enumerate(regions):
            region = region_by_code(region_code)
            for j in range(2):
                kind, industry = KINDS[(i + j * 3) % len(KINDS)]
                word = WORDS[(i * 2 + j) % len(WORDS)]
                uscc = demo_uscc(region_code[:6], 300 + i * 2 + j)
                firm = db.session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
                if firm is None:
                    firm = Enterprise(uscc=uscc, name=f"{region.name}{word}{kind}（演示）", region=region,
                                      industry=str(industry.label)[2:], industry_section=industry,
                                      ownership=[Ownership.PRIVATE, Ownership.STATE, Ownership.FOREIGN,
                                                 Ownership.PRIVATE][(i + j) % 4])
                    db.session.add(firm)
                firms.append(firm)
        db.session.flush()
        return firms

    def _person(self, hash_) -> int:
        self.serial += 1
        name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self._id(User, username=f"hist{self.serial:04d}", name=name, password_hash=hash_,
                        created_at=datetime(2021, 1, 1, tzinfo=UTC))

    def _cohorts(self, province, institution, programs, regions, firms, hash_, posts) -> None:
        rng = self.rng
        people: list[tuple[int, Enterprise, date, int, int]] = []  # person, firm, certified on, certificate id, level
        for year in range(FIRST_YEAR, self.today.year + 1):
            growth = 1 + (year - FIRST_YEAR) * 0.35
            for n in range(1, 3):
                starts_on = date(year, rng.choice((3, 4, 5, 6, 9, 10, 11)), rng.randint(1, 25))
                if starts_on + timedelta(days=5) > self.today:
                    continue
                program = programs[(n - 1 + year) % len(programs)]
                region = region_by_code(regions[(n + year) % len(regions)])
                code = f"HIST-{year}-{province}-{n}"
                cohort_id = self._id(Cohort, code=code, title=f"{program.title}（{year}年第{n}期）",
                                     program_id=program.id, institution_id=institution.id, region_id=region.id,
                                     starts_on=starts_on, ends_on=starts_on + timedelta(days=3), capacity=60,
                                     seats_taken=0, applications_open_on=starts_on - timedelta(days=45),
                                     applications_close_on=starts_on - timedelta(days=10), place="培训教室",
                                     created_at=datetime(year, 1, 1, tzinfo=UTC))
                module = program.modules[0]
                at = datetime(starts_on.year, starts_on.month, starts_on.day, 1, tzinfo=UTC)
                session_id = self._id(CohortSession, cohort_id=cohort_id, module_id=module.id, starts_at=at,
                                      ends_at=at + timedelta(hours=4), hours=4, place="培训教室")
                applicants = int(rng.randint(6, 10) * growth)
                issued_on = starts_on + timedelta(days=rng.randint(20, 40))
                applications, attendance, certificates, seats = [], [], [], 0
                for _ in range(applicants):
                    firm = rng.choice(firms)
                    person = self._person(hash_)
                    admitted = rng.random() < 0.88
                    status = "approved" if admitted else rng.choice(("rejected", "withdrawn", "waitlisted"))
                    applications.append(dict(cohort_id=cohort_id, user_id=person, enterprise_id=firm.id, status=status,
                                             submitted_at=at - timedelta(days=20), decision_note=""))
                    seats += admitted
                app_ids = db.session.execute(insert(Application).returning(Application.id, Application.user_id,
                                                                           Application.status, Application.enterprise_id,
                                                                           sort_by_parameter_order=True),
                                             applications).all()
                by_id = {f.id: f for f in firms}
                for app_id, person, status, firm_id in app_ids:
                    if status != "approved":
                        continue
                    attended = rng.random() < 0.95
                    if attended:
                        attendance.append(dict(session_id=session_id, application_id=app_id, status="present",
                                               method="staff", recorded_at=at))
                    if attended and rng.random() < 0.85 and issued_on <= self.today:
                        self.serial += 1
                        firm = by_id[firm_id]
                        certificates.append(dict(
                            cert_no=f"DEMO-{province}-{year}-{self.serial:05d}", version=1, status="valid",
                            application_id=app_id, cohort_id=cohort_id, user_id=person, program_id=program.id,
                            institution_id=institution.id, holder_name="", holder_gender="male",
                            holder_id_number="", program_code=program.code, program_title=program.title,
                            institution_code=institution.code, institution_name=institution.name,
                            hours=program.total_hours, modules=[], issued_on=issued_on,
                            valid_until=date(issued_on.year + 3, issued_on.month, min(issued_on.day, 28)),
                            issued_at=datetime(issued_on.year, issued_on.month, issued_on.day, 2, tzinfo=UTC),
                            template="director", token="", pdf_path="", pdf_sha256="", pdf_size=0,
                            revoked_reason="", reissue_reason="", holder_enterprise_id=firm.id,
                            holder_region_id=firm.region_id))
                db.session.execute(Cohort.__table__.update().where(Cohort.id == cohort_id).values(seats_taken=seats))
                if attendance:
                    db.session.execute(insert(Attendance), attendance)
                if certificates:
                    for cert_id, person, firm_id in db.session.execute(
                            insert(Certificate).returning(Certificate.id, Certificate.user_id,
                                                          Certificate.holder_enterprise_id,
                                                          sort_by_parameter_order=True), certificates).all():
                        people.append((person, by_id[firm_id], issued_on, cert_id, program.level))
        self._names(people)
        self._after(people, posts)

    def _names(self, people) -> None:
        names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_([p[0] for p in people]))).all())
        for person, _firm, _day, cert_id, _level in people:
            db.session.execute(Certificate.__table__.update().where(Certificate.id == cert_id)
                               .values(holder_name=names[person]))

    def _after(self, people, posts) -> None:
        """Appointments for most of the certified, some ended; Liaoning files half of them."""
        rng = self.rng
        if not posts:
            return
        for person, firm, certified_on, cert_id, level in people:
            if rng.random() > 0.7:
                continue
            fitting = [p for p in posts if level in p.levels] or posts
            post = fitting[0] if rng.random() < 0.6 else rng.choice(fitting)
            starts_on = certified_on + timedelta(days=rng.randint(10, 120))
            if starts_on > self.today:
                continue
            ended_on = None
            if rng.random() < 0.12:
                ended_on = starts_on + timedelta(days=rng.randint(200, 700))
                if ended_on >= self.today:
                    ended_on = None
            appointment = self._id(Appointment, user_id=person, enterprise_id=firm.id, post_id=post.id,
                                   status="ended" if ended_on else "active", starts_on=starts_on, full_time=True,
                                   document_no="", letter_name="", letter_type="", ended_on=ended_on,
                                   end_reason="term_ended" if ended_on else None, end_note="",
                                   created_at=datetime(starts_on.year, starts_on.month, starts_on.day,
                                                       tzinfo=UTC))
            accepted_on = starts_on + timedelta(days=rng.randint(20, 90))
            if post.code.startswith("ln-") and ended_on is None and accepted_on <= self.today and rng.random() < 0.75:
                self.serial += 1
                stamp = datetime(accepted_on.year, accepted_on.month, accepted_on.day, 2, tzinfo=UTC)
                filing = self._id(Filing, user_id=person, appointment_id=appointment, enterprise_id=firm.id,
                                  certificate_id=cert_id, status="accepted", filing_no=f"DEMO-{self.serial:05d}",
                                  form={"name": "", "enterprise_name": firm.name, "post_title": post.title},
                                  created_at=stamp, updated_at=stamp, accepted_at=stamp, return_reason="")
                self._id(TalentEntry, filing_id=filing, user_id=person, enterprise_id=firm.id, post_id=post.id,
                         certificate_id=cert_id, accepted_on=accepted_on, achievements_text="")

    def _ce(self, province, institution, regions) -> None:
        """Two activities a year from 2022 in the province; certified people of the province attend."""
        rng = self.rng
        holders = db.session.execute(
            select(Certificate.user_id, Certificate.issued_on).join(Cohort, Cohort.id == Certificate.cohort_id)
            .where(Cohort.code.like(f"HIST-%-{province}-%"))).all()
        for year in range(FIRST_YEAR + 1, self.today.year + 1):
            for n, (month, kind, hours) in enumerate(((4, "lecture", 6.0), (10, "forum", 8.0)), 1):
                day = date(year, month, 18)
                if day > self.today:
                    continue
                at = datetime(year, month, 18, 1, tzinfo=UTC)
                eligible = [u for u, issued in holders if issued < day]
                present = [u for u in eligible if rng.random() < 0.45][:200]
                title = f"{year}年企业标准化{'专题讲座' if kind == 'lecture' else '论坛'}（第{n}场）"
                activity = self._id(CeActivity, title=title, kind=kind, category="professional", starts_at=at,
                                    ends_at=at + timedelta(hours=4), place="报告厅", description="", hours=hours,
                                    capacity=max(len(present), 1) + 20, seats_taken=0, institution_id=institution.id,
                                    region_id=region_by_code(regions[n % len(regions)]).id, published_at=at,
                                    created_at=at)
                if not present:
                    continue
                db.session.execute(insert(CeAttendance), [dict(activity_id=activity, user_id=u, present=True,
                                                               method="list", recorded_at=at) for u in present])
                db.session.execute(insert(CeCredit), [dict(user_id=u, year=year, earned_on=day, hours=hours,
                                                           category="professional", source="activity",
                                                           source_id=activity, title=title, credited_at=at)
                                                      for u in present])
