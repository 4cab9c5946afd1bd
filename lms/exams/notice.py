"""The 考前须知 (what a trainee reads before a formal sitting): the time they will have, the
attempts left and what another one means, the tab-switch rule, automatic submission.
Plain values for the page; the page's start button posts to the usual start."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from lms.exams.attempts import attempts_of, start_refusal
from lms.exams.exams import effective_pass_mark, extension_minutes, trainee_exam
from lms.exams.models import AttemptStatus, Exam, ExamPurpose
from lms.exams.papers import paper_size


@dataclass(frozen=True)
class ExamNotice:
    exam: Exam
    minutes: int              # the time a sitting started now would have (duration + extension, capped)
    extension: int            # extra minutes granted to this trainee
    capped: bool              # the window closes before the full duration would end
    deadline: datetime        # when a sitting started now would end at the latest
    questions: int
    total_points: float
    pass_mark: float
    attempts_allowed: int
    attempts_used: int
    number: int               # the number the next sitting would have (1 = first)
    refusal: str | None       # why a sitting cannot start now
    open_attempt_id: int | None

    @property
    def attempts_left(self) -> int:
        return max(0, self.attempts_allowed - self.attempts_used)

    @property
    def formal(self) -> bool:
        return self.exam.purpose == ExamPurpose.FORMAL

    @property
    def last_chance(self) -> bool:
        return self.attempts_left == 1


def exam_notice(actor, exam_id: int, now: datetime) -> ExamNotice:
    exam = trainee_exam(actor, exam_id)
    previous = attempts_of(exam.id, actor.id)
    open_one = next((a for a in previous if a.status == AttemptStatus.IN_PROGRESS), None)
    refusal = None if open_one else start_refusal(actor, exam, now, previous)
    extension = extension_minutes(exam.id, actor.id)
    full = now + timedelta(minutes=exam.duration_minutes + extension)
    deadline = min(full, exam.closes_at)
    minutes = max(0, int((deadline - max(now, exam.opens_at)).total_seconds() // 60))
    count, points = paper_size(exam)
    return ExamNotice(exam=exam, minutes=minutes if now >= exam.opens_at else exam.duration_minutes + extension,
                      extension=extension, capped=full > exam.closes_at, deadline=deadline, questions=count,
                      total_points=points, pass_mark=effective_pass_mark(exam),
                      attempts_allowed=exam.attempts_allowed, attempts_used=len(previous),
                      number=len(previous) + (0 if open_one else 1),
                      refusal=str(refusal) if refusal is not None else None,
                      open_attempt_id=open_one.id if open_one else None)
