"""Item analysis of an exam's graded attempts.

- facility index: mean of score / points (1 = everyone right);
- discrimination index: upper–lower groups, 27 % each by total score (ties broken by attempt
  id): mean score ratio of the upper group minus that of the lower group, among the attempts
  that had the question (random papers give each question to a subset);
- option distribution: how often each of the bank's options (or true/false, or no answer) was
  chosen, whatever letter each trainee saw it under (responses are stored in the bank's keys);
- exam: mean, population standard deviation, and reliability over the questions every attempt
  had: KR-20 when every such item was scored right/wrong only, otherwise Cronbach's alpha
  (both with population variances, so they agree on dichotomous data).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from lms.banks.models import Question, QuestionRevision
from lms.exams.models import Attempt, AttemptItem, AttemptStatus, Exam
from lms.extensions import db


@dataclass
class ItemStats:
    question_id: int
    external_id: str
    stem: str
    type: str
    points: float
    n: int
    facility: float | None
    discrimination: float | None
    options: dict[str, int] = field(default_factory=dict)  # bank option key, "true"/"false" or NO_ANSWER


@dataclass
class ExamStats:
    n: int
    mean: float | None
    sd: float | None
    max_score: float | None
    reliability: float | None
    reliability_method: str | None
    common_items: int
    items: list[ItemStats]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _pvariance(values: list[float]) -> float:
    mu = _mean(values)
    return sum((v - mu) ** 2 for v in values) / len(values)


NO_ANSWER = ""


def _chosen(response) -> list[str]:
    if response is None or response == [] or response == "":
        return [NO_ANSWER]
    if isinstance(response, bool):
        return ["true" if response else "false"]
    if isinstance(response, list):
        return [str(r) for r in response]
    return [str(response)]


def reliability(matrix: list[list[float]], maxima: list[float]) -> tuple[float | None, str | None]:
    """KR-20 (dichotomous items) or Cronbach's alpha, for persons × items scores."""
    k = len(maxima)
    if k < 2 or len(matrix) < 2:
        return None, None
    totals = [sum(row) for row in matrix]
    total_var = _pvariance(totals)
    if total_var == 0:
        return None, None
    columns = [[row[j] for row in matrix] for j in range(k)]
    dichotomous = all(all(v in (0, maxima[j]) for v in col) for j, col in enumerate(columns))
    if dichotomous:
        pq = 0.0
        for j, col in enumerate(columns):
            p = sum(1 for v in col if v == maxima[j]) / len(col)
            pq += p * (1 - p) * maxima[j] ** 2
        return round(k / (k - 1) * (1 - pq / total_var), 4), "KR-20"
    item_var = sum(_pvariance(col) for col in columns)
    return round(k / (k - 1) * (1 - item_var / total_var), 4), "Cronbach's alpha"


def analyse(exam: Exam) -> ExamStats:
    attempts = {a.id: a.score or 0.0 for a in db.session.scalars(
        select(Attempt).where(Attempt.exam_id == exam.id, Attempt.status == AttemptStatus.GRADED))}
    rows = db.session.execute(
        select(AttemptItem.attempt_id, AttemptItem.question_id, AttemptItem.points, AttemptItem.score,
               AttemptItem.response, QuestionRevision.type, QuestionRevision.stem, Question.external_id)
        .join(QuestionRevision, QuestionRevision.id == AttemptItem.revision_id)
        .join(Question, Question.id == AttemptItem.question_id)
        .where(AttemptItem.attempt_id.in_(list(attempts) or [-1]))
        .order_by(AttemptItem.question_id, AttemptItem.attempt_id)).all()
    ranked = sorted(attempts, key=lambda a: (attempts[a], a))
    by_question: dict[int, dict] = {}
    for attempt_id, question_id, points, score, response, kind, stem, external_id in rows:
        entry = by_question.setdefault(question_id, {"external_id": external_id, "stem": stem, "type": kind,
                                                     "points": points, "scores": {}, "options": {}})
        entry["scores"][attempt_id] = (score or 0.0, points)
        if kind in ("single", "multiple", "truefalse"):
            for label in _chosen(response):
                entry["options"][label] = entry["options"].get(label, 0) + 1
    items = []
    for question_id, entry in by_question.items():
        scores = entry["scores"]
        ratios = {a: (s / p if p else 0.0) for a, (s, p) in scores.items()}
        order = [a for a in ranked if a in ratios]
        group = max(1, round(0.27 * len(order)))
        discrimination = None
        if len(order) >= 2:
            lower, upper = order[:group], order[-group:]
            discrimination = round(_mean([ratios[a] for a in upper]) - _mean([ratios[a] for a in lower]), 4)
        items.append(ItemStats(question_id, entry["external_id"], entry["stem"], entry["type"], entry["points"],
                               len(ratios), round(_mean(list(ratios.values())), 4), discrimination,
                               dict(sorted(entry["options"].items()))))
    common = [q for q, e in by_question.items() if len(e["scores"]) == len(attempts)]
    matrix = [[by_question[q]["scores"][a][0] for q in common] for a in ranked]
    value, method = reliability(matrix, [by_question[q]["points"] for q in common])
    totals = list(attempts.values())
    maximum = db.session.scalar(select(func.max(Attempt.max_score)).where(Attempt.exam_id == exam.id))
    return ExamStats(len(totals), round(_mean(totals), 2) if totals else None,
                     round(math.sqrt(_pvariance(totals)), 2) if totals else None, maximum, value, method,
                     len(common), sorted(items, key=lambda i: i.external_id))


def update_question_stats(stats: ExamStats) -> int:
    """Feed the exam's item statistics back into the questions' statistics panel."""
    used = dict(db.session.execute(select(AttemptItem.question_id, func.count()).where(
        AttemptItem.question_id.in_([i.question_id for i in stats.items] or [-1]))
        .group_by(AttemptItem.question_id)).all())
    for item in stats.items:
        db.session.execute(update(Question).where(Question.id == item.question_id).values(
            facility=item.facility, discrimination=item.discrimination, times_used=used.get(item.question_id, 0))
            .execution_options(synchronize_session=False))
    return len(stats.items)
