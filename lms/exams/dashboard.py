"""Home-page panels for exams: a trainee's exams, a grader's queue."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.core.time import utcnow
from lms.dashboard import panel
from lms.exams import services
from lms.exams.grading import grading_queue
from lms.exams.models import Attempt, Exam
from lms.exams.present import my_exam_json
from lms.extensions import db


@panel("trainee", "exams/panels/trainee.html", order=5)
def trainee_panel(user) -> dict | None:
    now = utcnow()
    exams = [(exam, my_exam_json(user, exam, now)) for exam in db.session.scalars(services.trainee_exams(user))
             if exam.closes_at >= now]
    return {"exams": exams} if exams else None


def _grading_panel(user) -> dict | None:
    """Essay answers waiting for a score, per exam."""
    queue = grading_queue(user, services.grading_exams(user).with_only_columns(Exam.id)).subquery()
    counts = dict(db.session.execute(
        select(Attempt.exam_id, func.count()).select_from(queue).join(Attempt, Attempt.id == queue.c.attempt_id)
        .group_by(Attempt.exam_id)).all())
    if not counts and not user.has_role("grader"):
        return None
    exams = db.session.scalars(select(Exam).where(Exam.id.in_(list(counts) or [-1])).order_by(Exam.opens_at)).all()
    return {"pending": [(exam, counts[exam.id]) for exam in exams]}


panel("grader", "exams/panels/grading.html", order=10)(_grading_panel)
panel("institution", "exams/panels/grading.html", order=20)(_grading_panel)
