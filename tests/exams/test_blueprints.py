"""Saving a blueprint checks the bank can fill it; a fixed paper is the same for everyone."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.exams import services
from lms.exams.models import AttemptItem
from lms.extensions import db


def test_short_cell_is_named_and_nothing_changes(setup):
    s = setup()
    before = services.blueprint_text(s.exam)
    cells = services.parse_blueprint("exam-bank A single 2 2 1\nexam-bank B truefalse 1 5 1\n", s.institution.id)
    with pytest.raises(ValidationFailed) as error:
        services.change_paper(s.staff, s.exam, lambda e: services.set_blueprint(e, cells))
    message = error.value.fields["rule 2"]
    assert "B 标准体系" in message and "判断题" in message and "难度 1" in message
    assert "需要 5 题" in message and "只有 3 题" in message and "缺 2 题" in message
    db.session.rollback()
    db.session.expire_all()
    assert services.blueprint_text(db.session.get(services.Exam, s.exam.id)) == before


def test_retired_questions_do_not_count(setup):
    from lms.banks.models import Question

    s = setup()
    for q in db.session.scalars(select(Question).where(Question.external_id.in_(["T1", "T2"]))):
        q.retired = True
    db.session.commit()
    cells = services.parse_blueprint("exam-bank B truefalse 1 2 1\n", s.institution.id)
    assert "只有 1 题" in services.shortages(cells)["rule 1"]


@pytest.mark.parametrize("text,needle", [
    ("exam-bank A single 2 2\n", "第 1 行"), ("exam-bank Z single 2 2 1\n", "没有分类 Z"),
    ("exam-bank A poem 2 2 1\n", "题型 poem"), ("exam-bank A single 9 2 1\n", "难度应为 1–5"),
    ("exam-bank A single 2 1 1\nexam-bank A single 2 1 1\n", "重复"), ("", "不能为空")])
def test_blueprint_lines_are_checked(setup, text, needle):
    s = setup()
    with pytest.raises(ValidationFailed) as error:
        services.parse_blueprint(text, s.institution.id)
    assert needle in " ".join(map(str, error.value.fields.values()))


def test_another_institutions_bank_cannot_be_used(setup, load_exam_bank, make_institution):
    from lms.banks.services import bank_by_code

    s = setup()
    load_exam_bank("private-bank")
    bank_by_code("private-bank").owner_institution_id = make_institution().id
    db.session.commit()
    with pytest.raises(ValidationFailed):
        services.parse_blueprint("private-bank A single 2 1 1\n", s.institution.id)


def test_fixed_paper_is_the_same_for_everyone(setup, make_user, enroll):
    s = setup(blueprint=None, shuffle_questions=False, shuffle_options=False)
    services.change_paper(s.staff, s.exam, lambda e: services.set_fixed_paper(
        e, [("exam-bank", "S3", 2), ("exam-bank", "T1", 1), ("exam-bank", "E1", 10)]))
    db.session.commit()
    papers = []
    for trainee in [s.trainee, make_user("trainee")]:
        enroll(s.cohort, trainee) if trainee is not s.trainee else None
        attempt, _ = services.start(trainee, s.exam.id)
        db.session.commit()
        papers.append([(i.question.external_id, i.points, tuple(i.option_order)) for i in attempt.items])
    assert papers[0] == papers[1]
    assert [p[0] for p in papers[0]] == ["S3", "T1", "E1"] and papers[0][0][2] == ("A", "B", "C", "D")


def test_fixed_paper_names_unknown_questions(setup):
    s = setup(blueprint=None)
    with pytest.raises(ValidationFailed) as error:
        services.set_fixed_paper(s.exam, [("exam-bank", "S1", 1), ("exam-bank", "NOPE", 1)])
    assert "第 2 题" in error.value.fields["line 2"] and "NOPE" in error.value.fields["line 2"]


def test_paper_is_locked_once_someone_sat(setup):
    s = setup()
    services.start(s.trainee, s.exam.id)
    db.session.commit()
    cells = services.parse_blueprint("exam-bank A single 2 1 1\n", s.institution.id)
    with pytest.raises(Conflict):
        services.change_paper(s.staff, s.exam, lambda e: services.set_blueprint(e, cells))


def test_only_the_cohorts_institution_manages_the_exam(setup, make_user, make_institution, exam_settings):
    s = setup()
    other = make_user("institution", scope=make_institution())
    with pytest.raises(Forbidden):
        services.save_exam(other, s.cohort, exam_settings())
    with pytest.raises(Exception) as error:
        services.get_exam(other, s.exam.id)
    assert getattr(error.value, "status", None) == 404


def test_bad_settings_name_the_field(setup, exam_settings):
    s = setup()
    data = exam_settings(duration_minutes=0, pass_mark=120, release_policy="soon")
    data["closes_at"] = data["opens_at"]
    with pytest.raises(ValidationFailed) as error:
        services.save_exam(s.staff, s.cohort, data)
    assert set(error.value.fields) >= {"duration_minutes", "pass_mark", "release_policy", "closes_at"}


def test_used_question_is_retired_not_deleted(setup):
    from lms.banks.services import delete_question

    s = setup()
    attempt, _ = services.start(s.trainee, s.exam.id)
    db.session.commit()
    item = db.session.scalar(select(AttemptItem).where(AttemptItem.attempt_id == attempt.id))
    assert delete_question(None, item.question) == "retired"
