"""The exams service layer in one import, for views, the API, the CLI and other domains.

For certificates: `passed_attempt(user, cohort)` tells whether a trainee passed a formal exam
of the cohort (a graded attempt with `passed`; practice quizzes never count); `passed_users`
answers the same for many trainees of a cohort at once."""
from sqlalchemy import select

from lms.exams.attempts import (  # noqa: F401
    AttemptClosed, SaveResult, attempts_of, close_if_overdue, close_overdue, finalize, get_attempt, grace,
    open_attempt, remaining_seconds, save_answer, start, start_refusal, submit)
from lms.exams.exams import (  # noqa: F401
    change_paper, get_exam, grading_exams, has_attempts, release_results, require_manage, save_exam,
    set_extension, trainee_exam, trainee_exams, visible_exams)
from lms.exams.grading import (  # noqa: F401
    category_report, complete_if_graded, get_gradable_item, grade_item, grading_queue, is_released,
    review_open, score_attempt)
from lms.exams.models import Attempt, Exam
from lms.exams.papers import (  # noqa: F401
    blueprint_text, paper_size, parse_blueprint, set_blueprint, set_fixed_paper, shortages)
from lms.extensions import db


def passed_attempt(user, cohort) -> Attempt | None:
    return db.session.scalar(select(Attempt).join(Exam, Exam.id == Attempt.exam_id).where(
        Exam.cohort_id == cohort.id, Exam.purpose == "formal", Attempt.user_id == user.id, Attempt.status == "graded",
        Attempt.passed.is_(True)).order_by(Attempt.graded_at).limit(1))


def passed_users(cohort_id: int, user_ids) -> set[int]:
    """Of these trainees, the ids of those who passed a formal exam of the cohort (one query)."""
    return set(db.session.scalars(select(Attempt.user_id).join(Exam, Exam.id == Attempt.exam_id).where(
        Exam.cohort_id == cohort_id, Exam.purpose == "formal", Attempt.user_id.in_(list(user_ids)),
        Attempt.status == "graded", Attempt.passed.is_(True)).distinct()))


def passed_exam(application) -> bool:
    """Whether the enrolled trainee has passed a formal exam of the cohort (the certificate requirement)."""
    return passed_attempt(application.user, application.cohort) is not None
