"""A course's final quiz: `quiz_count` objective questions drawn at random from the course's bank
(current revisions of single, multiple and true/false questions), graded by the banks' type
registry, passed at `quiz_pass_mark` % of the points. A choice question's options are shown as
A, B, C… in the order drawn; answers use those letters and are mapped back to the bank's keys.
Submitting is exactly-once (one conditional UPDATE); a failed quiz can be taken again (a new draw).
"""
from __future__ import annotations

import random
import string
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from lms.banks.models import Question, QuestionRevision
from lms.banks.types import QUESTION_TYPES
from lms.ce import access, learning
from lms.ce.course_models import Course, QuizAttempt
from lms.core.errors import Conflict, NotFound
from lms.core.time import utcnow
from lms.extensions import db

OBJECTIVE = ("single", "multiple", "truefalse")
LETTERS = string.ascii_uppercase


def open_attempt(user_id: int, course: Course) -> QuizAttempt | None:
    return db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.course_id == course.id, QuizAttempt.submitted_at.is_(None)))


def start(actor, course: Course, rng: random.Random | None = None) -> QuizAttempt:
    """The open attempt, or a new draw once every lesson is complete."""
    access.require_person(actor)
    if not course.has_quiz:
        raise NotFound(_l("该课程没有结业测验"))
    if learning.quiz_passed(actor.id, course):
        raise Conflict(_l("您已通过该课程的结业测验"))
    lessons = {lesson.id for lesson in course.lessons}
    if not lessons <= learning.completed_lessons(actor.id, course):
        raise Conflict(_l("请先学完全部课时，再参加结业测验"))
    existing = open_attempt(actor.id, course)
    if existing is not None:
        return existing
    pool = db.session.scalars(
        select(QuestionRevision).join(Question, (Question.id == QuestionRevision.question_id)
                                      & (QuestionRevision.number == Question.current_number))
        .where(Question.bank_id == course.quiz_bank_id, Question.retired.is_(False),
               QuestionRevision.type.in_(OBJECTIVE)).order_by(QuestionRevision.id)).all()
    if len(pool) < course.quiz_count:
        raise Conflict(_l("题库中的客观题不足 %(n)s 道，请联系课程组织方", n=course.quiz_count))
    rng = rng or random.SystemRandom()
    paper = []
    for revision in rng.sample(pool, course.quiz_count):
        keys = [option["key"] for option in revision.options]
        rng.shuffle(keys)
        paper.append({"revision_id": revision.id, "keys": keys})
    attempt = QuizAttempt(user_id=actor.id, course_id=course.id, paper=paper)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def questions(attempt: QuizAttempt) -> list[dict]:
    """What the learner sees: stem and lettered options, never the answer."""
    revisions = {r.id: r for r in db.session.scalars(select(QuestionRevision).where(
        QuestionRevision.id.in_([item["revision_id"] for item in attempt.paper])))}
    shown = []
    for item in attempt.paper:
        revision = revisions[item["revision_id"]]
        text = {option["key"]: option["text"] for option in revision.options}
        shown.append({"id": revision.id, "type": revision.type, "stem": revision.stem,
                      "options": [{"key": LETTERS[i], "text": text[key]} for i, key in enumerate(item["keys"])]})
    return shown


def _bank_response(item: dict, kind: str, response):
    """A response in shown letters as the bank's keys (true/false answers pass as they are)."""
    keys = item["keys"]
    by_letter = {LETTERS[i]: key for i, key in enumerate(keys)}
    if kind == "single":
        return by_letter.get(response) if isinstance(response, str) else None
    if kind == "multiple":
        return [by_letter[r] for r in response if r in by_letter] if isinstance(response, list) else None
    return response if isinstance(response, bool) else None


def submit(actor, attempt: QuizAttempt, responses: dict[str, object], now: datetime | None = None) -> QuizAttempt:
    """Grade and close the attempt once; on a pass the course may complete and credit its hours."""
    if attempt.user_id != actor.id:
        raise NotFound(_l("未找到该测验"))
    now = now or utcnow()
    course = db.session.get(Course, attempt.course_id)
    revisions = {r.id: r for r in db.session.scalars(select(QuestionRevision).where(
        QuestionRevision.id.in_([item["revision_id"] for item in attempt.paper])))}
    score = total = 0.0
    for item in attempt.paper:
        revision = revisions[item["revision_id"]]
        response = _bank_response(item, revision.type, responses.get(str(revision.id)))
        graded = QUESTION_TYPES[revision.type].grade(revision, response)
        score, total = score + graded.points, total + graded.max_points
    passed = total > 0 and score * 100 >= course.quiz_pass_mark * total
    closed = db.session.execute(update(QuizAttempt).where(QuizAttempt.id == attempt.id,
                                                          QuizAttempt.submitted_at.is_(None))
                                .values(submitted_at=now, score=round(score, 2), max_score=round(total, 2),
                                        passed=passed).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(attempt)
    if closed and passed:
        learning.complete_course(actor.id, course, now)
    return attempt
