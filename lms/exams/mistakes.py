"""The 错题本: questions a trainee got wrong in practice quizzes, to practise again.

Nothing is copied when a quiz is handed in: the book is read from the trainee's graded practice
attempts whose answers they may see (lms.exams.grading.review_open), one entry per question
(the revision they met last). Practising a question again and getting it right records a
`MistakeClear`; the question returns if a later practice quiz gets it wrong again.
Essays are left out: they have no single right answer to check against.

Options are lettered A, B, C… in the revision's own order (lms.exams.responses), as on the result."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.banks.models import QuestionRevision
from lms.banks.types import type_label
from lms.banks.types.fill import blank_count
from lms.core.errors import NotFound
from lms.core.time import utcnow
from lms.exams.grading import item_score, review_open
from lms.exams.models import Attempt, AttemptItem, AttemptStatus, Exam, ExamPurpose, MistakeClear
from lms.exams.present import describe
from lms.exams.responses import shown_keys, to_shown, to_stored
from lms.extensions import db

CHECKED_TYPES = ("single", "multiple", "truefalse", "fill")


@dataclass
class Mistake:
    question_id: int
    revision: QuestionRevision
    exam_title: str
    times: int                 # how often it was answered wrong in practice
    last_wrong_at: datetime
    last_response: str         # the last wrong answer, in words

    @property
    def type(self) -> str:
        return self.revision.type

    @property
    def type_label(self) -> str:
        return type_label(self.revision.type)

    @property
    def options(self) -> list[tuple[str, str]]:
        order = [o["key"] for o in self.revision.options]
        texts = {o["key"]: o["text"] for o in self.revision.options}
        return list(zip(shown_keys(order), (texts[k] for k in order), strict=True))

    @property
    def blanks(self) -> int:
        return max(1, blank_count(self.revision.stem)) if self.type == "fill" else 0

    @property
    def answer(self) -> str:
        return shown_answer(self.revision)

    @property
    def explanation(self) -> str:
        return self.revision.data.get("explanation") or ""


def _order(revision: QuestionRevision) -> list[str]:
    return [o["key"] for o in revision.options]


def shown_answer(revision: QuestionRevision) -> str:
    answer = revision.data.get("answer")
    if revision.type in ("single", "multiple"):
        answer = to_shown(revision.type, answer, _order(revision))
    return describe(answer)


def mistakes(actor) -> list[Mistake]:
    """The trainee's 错题本, the most recently missed first."""
    rows = db.session.execute(
        select(AttemptItem, Attempt, Exam.title)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id).join(Exam, Exam.id == Attempt.exam_id)
        .where(Attempt.user_id == actor.id, Exam.purpose == ExamPurpose.PRACTICE,
               Attempt.status == AttemptStatus.GRADED, AttemptItem.score.is_not(None),
               AttemptItem.score < AttemptItem.points)
        .order_by(Attempt.submitted_at, AttemptItem.position)).all()
    cleared = dict(db.session.execute(select(MistakeClear.question_id, MistakeClear.cleared_at)
                                      .where(MistakeClear.user_id == actor.id)).all())
    reviewable: dict[int, bool] = {}
    found: dict[int, Mistake] = {}
    for item, sitting, title in rows:
        if item.revision.type not in CHECKED_TYPES:
            continue
        if sitting.id not in reviewable:
            reviewable[sitting.id] = review_open(sitting)
        if not reviewable[sitting.id]:
            continue
        at = sitting.submitted_at or sitting.graded_at
        # lettered as this page letters the options (the revision's order), not as the shuffled paper did
        response = describe(to_shown(item.revision.type, item.response, _order(item.revision)))
        entry = found.get(item.question_id)
        if entry is None:
            found[item.question_id] = Mistake(item.question_id, item.revision, title, 1, at, response)
        else:
            entry.times += 1
            entry.revision, entry.exam_title, entry.last_wrong_at, entry.last_response = \
                item.revision, title, at, response
    kept = [m for m in found.values()
            if m.question_id not in cleared or cleared[m.question_id] < m.last_wrong_at]
    return sorted(kept, key=lambda m: m.last_wrong_at, reverse=True)


def mistake(actor, question_id: int) -> Mistake:
    for entry in mistakes(actor):
        if entry.question_id == question_id:
            return entry
    raise NotFound(_l("错题本中没有这道题"))


def response_from_form(entry: Mistake, values: list[str]) -> Any:
    """What the practice form sent (a list of strings) as a response of the question's shape,
    lettered as shown; anything else is no answer."""
    values = [v for v in values if isinstance(v, str)]
    if entry.type == "single":
        return values[0] if values else None
    if entry.type == "multiple":
        return sorted(set(values))
    if entry.type == "truefalse":
        return {"true": True, "false": False}.get(values[0]) if values else None
    return [v.strip()[:500] for v in values[:entry.blanks]]


@dataclass(frozen=True)
class PracticeResult:
    entry: Mistake
    correct: bool
    response: str  # in words


def practise(actor, question_id: int, values: list[str]) -> PracticeResult:
    """Check an answer to a question of the book; a right one takes it out of the book."""
    entry = mistake(actor, question_id)
    response = response_from_form(entry, values)
    stored = to_stored(entry.type, response, _order(entry.revision))
    score, _manual = item_score(entry.revision, 1.0, stored, False)
    correct = score is not None and score >= 1.0 - 1e-9
    if correct:
        clear = db.session.scalar(select(MistakeClear).where(MistakeClear.user_id == actor.id,
                                                             MistakeClear.question_id == question_id))
        if clear is None:
            clear = MistakeClear(user_id=actor.id, question_id=question_id)
            db.session.add(clear)
        clear.cleared_at = utcnow()
        db.session.flush()
    return PracticeResult(entry, correct, describe(response))
