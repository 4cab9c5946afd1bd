"""Item statistics on a small data set computed by hand."""
from __future__ import annotations

import pytest

from lms.exams import services
from lms.exams.analysis import analyse, reliability, update_question_stats
from lms.extensions import db
from tests.exams.conftest import shown

# 5 trainees × 4 single-choice questions (1 point): 1 = right
GRID = {
    "S1": [1, 1, 1, 0, 0],
    "S2": [1, 1, 0, 0, 0],
    "S3": [0, 1, 0, 0, 0],
    "S4": [1, 1, 1, 0, 1],
}


def test_item_and_exam_statistics(setup, make_user, enroll):
    s = setup(blueprint=None, shuffle_questions=False, shuffle_options=False)
    services.change_paper(s.staff, s.exam, lambda e: services.set_fixed_paper(
        e, [("exam-bank", q, 1) for q in GRID]))
    db.session.commit()
    trainees = [s.trainee] + [make_user("trainee") for _ in range(4)]
    for n, trainee in enumerate(trainees):
        if n:
            enroll(s.cohort, trainee)
        attempt, _ = services.start(trainee, s.exam.id)
        db.session.flush()
        for seq, item in enumerate(attempt.items, 1):
            answer = "B" if GRID[item.question.external_id][n] else ("A" if n % 2 else "C")  # the bank's keys
            services.save_answer(trainee, attempt.id, item.revision_id, shown(item, answer), seq)
        services.submit(trainee, attempt.id)
        db.session.commit()
    stats = analyse(db.session.get(services.Exam, s.exam.id))
    # totals 3, 4, 2, 0, 1: mean 2, population variance 2
    assert stats.n == 5 and stats.mean == 2 and stats.sd == pytest.approx(1.41, abs=0.01)
    # p = .6 .4 .2 .8 → Σpq = .8; KR-20 = 4/3 (1 − .8/2) = .8
    assert stats.reliability_method == "KR-20" and stats.reliability == pytest.approx(0.8)
    by_id = {i.external_id: i for i in stats.items}
    assert [by_id[q].facility for q in GRID] == [0.6, 0.4, 0.2, 0.8]
    # 27 % of 5 → groups of 1: upper = trainee 2 (4), lower = trainee 4 (0)
    assert by_id["S1"].discrimination == 1.0 and by_id["S3"].discrimination == 1.0
    assert by_id["S4"].discrimination == 1.0
    assert by_id["S1"].options == {"A": 1, "B": 3, "C": 1}
    update_question_stats(stats)
    db.session.commit()
    db.session.expire_all()
    from lms.banks.models import Question
    from sqlalchemy import select

    s3 = db.session.scalar(select(Question).where(Question.external_id == "S3"))
    assert s3.facility == 0.2 and s3.discrimination == 1.0 and s3.times_used == 5


def test_cronbach_alpha_for_partial_scores():
    # item 1 (2 points): 2, 1, 0; item 2 (2 points): 1, 1, 0 → alpha = 2 (1 − (2/3 + 2/9) / (14/9)) = 6/7
    value, method = reliability([[2, 1], [1, 1], [0, 0]], [2, 2])
    assert method == "Cronbach's alpha" and value == pytest.approx(6 / 7, abs=1e-4)


def test_reliability_needs_spread_and_items():
    assert reliability([[1, 1], [1, 1]], [1, 1]) == (None, None)
    assert reliability([[1], [0]], [1]) == (None, None)
