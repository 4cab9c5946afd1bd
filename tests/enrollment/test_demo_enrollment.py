from sqlalchemy import select

from lms.accounts.models import User
from lms.enrollment import services
from lms.enrollment.models import Application, Cohort
from lms.extensions import db
from lms.programs.eligibility import SHANGHAI_DIRECTOR


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def test_demo_has_open_running_and_finished_cohorts(runner):
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    open_codes = [c.code for c in db.session.scalars(services.open_cohorts())]
    assert open_codes == ["SH-DIR-OPEN"]
    assert db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-OPEN")).program.eligibility_rules \
        == SHANGHAI_DIRECTOR

    running = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-RUN"))
    enrolled = services.enrollment(_user("trainee"), running)
    progress = services.progress(enrolled)
    assert 0 < progress.hours_done < progress.hours_required  # attendance recorded so far

    finished = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-DONE"))
    done = services.progress(services.enrollment(_user("graduate"), finished))
    assert done.hours_done == done.hours_required == 40 and done.requirement_met

    applicant = _user("applicant")
    assert services.profile_of(applicant) is not None
    assert db.session.scalars(select(Application).where(Application.user_id == applicant.id)).all() == []


def test_demo_programs_carry_the_seeds_rules_for_every_liaoning_tier(runner):
    from lms.enrollment.demo import _OLD_LIAONING_CSO
    from lms.programs.eligibility import LIAONING_CSO, LIAONING_DIRECTOR, LIAONING_SPECIALIST
    from lms.programs.models import Program

    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    rules = {p.code: (p.level, p.eligibility_rules) for p in db.session.scalars(select(Program))}
    assert rules["LN-CSO"] == ("cso", LIAONING_CSO)  # no "3 years": seed 001 asks for a 副总经理 or above
    assert rules["LN-DIR"] == ("director", LIAONING_DIRECTOR)
    assert rules["LN-SPE"] == ("specialist", LIAONING_SPECIALIST)
    assert services.profile_of(_user("trainee")).position_level == "department_head"

    # a demo seeded before keeps its data but gets the corrected CSO rule
    cso = db.session.scalar(select(Program).where(Program.code == "LN-CSO"))
    cso.eligibility_rules = _OLD_LIAONING_CSO
    db.session.commit()
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert cso.eligibility_rules == LIAONING_CSO
