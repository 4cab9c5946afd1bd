"""Demo exams (called by `flask lms seed-demo`; idempotent, found by cohort + title).

- SH-DIR-RUN: the formal exam (90 minutes, blueprint over the shipped banks, 100 points,
  one essay) and a practice quiz (5 questions, 1 minute) that `trainee` can sit now;
- SH-DIR-DONE: the final exam, long closed, with `graduate`'s passed and graded attempt.
"""
from __future__ import annotations

import random
from datetime import time, timedelta

from sqlalchemy import insert, select

from lms.accounts.models import User
from lms.banks.models import QuestionRevision
from lms.enrollment.cohorts import local_datetime, local_today
from lms.enrollment.models import Cohort
from lms.exams import papers
from lms.exams.grading import score_attempt
from lms.exams.models import Attempt, AttemptItem, AttemptStatus, Exam, ExamPurpose, PaperMode, ReleasePolicy, \
    ReviewPolicy
from lms.extensions import db

FORMAL_BLUEPRINT = """\
std-law LAW-GEN single 1 4 2
std-law LAW-MAKE single 2 6 2
std-law LAW-MAKE multiple 3 3 3
director-system DIR single 2 8 2
director-system DIR truefalse 1 3 1
director-system DIR truefalse 2 3 1
director-system CSO single 3 5 2
director-system DIR multiple 3 4 3
policy-practice PRACTICE single 2 5 2
policy-practice POLICY truefalse 2 3 1
policy-practice POLICY fill 2 2 2
policy-practice PRACTICE essay 5 1 10
"""
PRACTICE_BLUEPRINT = "director-system DIR single 2 3 20\ndirector-system DIR truefalse 1 2 20\n"
DONE_BLUEPRINT = """\
std-law LAW-MAKE single 2 8 5
director-system DIR single 2 8 5
director-system DIR truefalse 1 2 5
director-system DIR truefalse 2 2 5
"""

BASE = dict(shuffle_questions=True, shuffle_options=True, pass_mark=60, multiple_partial=False,
            review_policy=ReviewPolicy.AFTER_CLOSE, requires_attendance=False, anonymous_grading=False)


def demo_exam(cohort: Cohort, title: str, blueprint: str, **settings) -> Exam:
    """A demo exam of the cohort with this blueprint, found by title or created."""
    exam = db.session.scalar(select(Exam).where(Exam.cohort_id == cohort.id, Exam.title == title))
    if exam is not None:
        return exam
    exam = Exam(cohort=cohort, title=title, paper_mode=PaperMode.BLUEPRINT, **{**BASE, **settings})
    db.session.add(exam)
    db.session.flush()
    papers.set_blueprint(exam, papers.parse_blueprint(blueprint, cohort.institution_id))
    db.session.flush()
    return exam


def _correct(revision: QuestionRevision):
    answer = revision.data.get("answer")
    if revision.type == "fill":
        return [a if isinstance(a, str) else a[0] for a in answer]
    return answer


def passed_attempt(exam: Exam, user: User) -> None:
    """The trainee's graded sitting of the exam, all but two answers right (a pass), unless one exists."""
    if db.session.scalar(select(Attempt.id).where(Attempt.exam_id == exam.id, Attempt.user_id == user.id)):
        return
    rng = random.Random(2026)  # noqa: S311 - a reproducible order, not a secret
    drawn = papers.draw(exam, rng)
    started = exam.opens_at + timedelta(minutes=5)
    attempt = Attempt(exam_id=exam.id, user_id=user.id, number=1, status=AttemptStatus.IN_PROGRESS, seed=2026,
                      started_at=started, deadline=min(started + timedelta(minutes=exam.duration_minutes),
                                                       exam.closes_at),
                      max_score=sum(d.points for d in drawn), tab_switches=0)
    db.session.add(attempt)
    db.session.flush()
    revisions = {r.id: r for r in db.session.scalars(
        select(QuestionRevision).where(QuestionRevision.id.in_([d.revision_id for d in drawn])))}
    rows = []
    for position, item in enumerate(drawn, 1):
        revision = revisions[item.revision_id]
        response = _correct(revision) if position > 2 else None  # two left blank: 90 of 100
        rows.append(dict(attempt_id=attempt.id, position=position, question_id=item.question_id,
                         revision_id=item.revision_id, category_id=item.category_id,
                         option_order=[o["key"] for o in revision.options], points=item.points, response=response,
                         seq=position if response is not None else 0, needs_manual=False, grader_comment="",
                         saved_at=started + timedelta(minutes=position)))
    db.session.execute(insert(AttemptItem), rows)
    submitted = started + timedelta(minutes=40)
    attempt.status, attempt.submitted_at = AttemptStatus.SUBMITTED, submitted
    db.session.flush()
    score_attempt(db.session, attempt.id, submitted)


def seed_exams() -> None:
    today = local_today()
    running = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-RUN"))
    if running is not None:
        opens = local_datetime(today - timedelta(days=1), time(0))
        closes = local_datetime(running.ends_on + timedelta(days=1), time(0))
        demo_exam(running, "结业考试（正式）", FORMAL_BLUEPRINT, opens_at=opens, closes_at=closes,
                  duration_minutes=90, attempts_allowed=2, release_policy=ReleasePolicy.AFTER_GRADING,
                  max_tab_switches=5)
        demo_exam(running, "练习测验（5题，1分钟）", PRACTICE_BLUEPRINT, opens_at=opens, closes_at=closes,
                  duration_minutes=1, attempts_allowed=10, release_policy=ReleasePolicy.IMMEDIATE,
                  review_policy=ReviewPolicy.NEVER, answers_on_submit=True,
                  purpose=ExamPurpose.PRACTICE)
    done = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-DONE"))
    graduate = db.session.scalar(select(User).where(User.username == "graduate"))
    if done is not None and graduate is not None:
        opens = local_datetime(done.ends_on, time(9))
        exam = demo_exam(done, "结业考试", DONE_BLUEPRINT, opens_at=opens, closes_at=opens + timedelta(hours=3),
                         duration_minutes=90, attempts_allowed=2, release_policy=ReleasePolicy.IMMEDIATE)
        passed_attempt(exam, graduate)
