"""The exams service layer in one import, for views, the API, the CLI and other domains.

For certificates: `passed_attempt(user, cohort)` tells whether a trainee passed a formal exam
of the cohort (a graded attempt scoring at least the exam's pass mark and the programme's
unified mark, 统一考核要求; practice quizzes never count); `passed_users` answers the same for
many trainees of a cohort at once."""
from sqlalchemy import select

from lms.exams.attempts import (  # noqa: F401
    AttemptClosed, SaveResult, attempts_of, close_if_overdue, close_overdue, finalize, get_attempt, grace,
    hand_in, open_attempt, remaining_seconds, save_answer, start, start_refusal, submit)
from lms.exams.exams import (  # noqa: F401
    GRADER_ROLES, can_manage, change_paper, cohorts_for_new_exams, effective_pass_mark, extensions_of, get_exam,
    grading_exams, has_attempts, pass_mark_floor, pass_mark_of, release_results, require_manage, save_exam,
    set_extension, set_extension_for, staff_attempt, staff_exam_list, trainee_exam, trainee_exams, visible_exams,
    with_programme)
from lms.exams.grading import (  # noqa: F401
    category_report, complete_if_graded, get_gradable_item, grade_item, graded_items, grading_queue, is_released,
    items_to_grade, next_to_grade, pending_by_exam, review_open, rubric_of, score_attempt)
from lms.exams.models import Attempt, AttemptStatus, Exam, ExamPurpose
from lms.exams.papers import (  # noqa: F401
    blueprint_text, paper_size, paper_text, parse_blueprint, parse_fixed_paper, set_blueprint, set_fixed_paper,
    shortages)
from lms.extensions import db


def _passed(cohort_id: int):
    """Graded attempts of the cohort's formal exams that reach the mark they are judged by."""
    return with_programme(select(Attempt).join(Exam, Exam.id == Attempt.exam_id)).where(
        Exam.cohort_id == cohort_id, Exam.purpose == ExamPurpose.FORMAL, Attempt.status == AttemptStatus.GRADED,
        Attempt.max_score > 0, Attempt.score + 1e-9 >= Attempt.max_score * pass_mark_of() / 100)


def passed_attempt(user, cohort) -> Attempt | None:
    return db.session.scalar(_passed(cohort.id).where(Attempt.user_id == user.id)
                             .order_by(Attempt.graded_at).limit(1))


def passed_users(cohort_id: int, user_ids) -> set[int]:
    """Of these trainees, the ids of those who passed a formal exam of the cohort (one query)."""
    return set(db.session.scalars(_passed(cohort_id).where(Attempt.user_id.in_(list(user_ids)))
                                  .with_only_columns(Attempt.user_id).distinct()))


def passed_exam(application) -> bool:
    """Whether the enrolled trainee has passed a formal exam of the cohort (the certificate requirement)."""
    return passed_attempt(application.user, application.cohort) is not None
