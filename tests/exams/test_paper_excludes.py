"""A paper never holds two questions of one `excludes` group: the blueprint draw skips them,
the shortage check counts only what the draw can always give, a fixed paper refuses them."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from lms.banks.imports import import_files
from lms.banks.models import Question
from lms.core.errors import ValidationFailed
from lms.exams import papers, services
from lms.extensions import db
from tests.exams.conftest import bank_yaml

# S1–S6 single (A, 2); M1, M2 multiple (A, 3); T1–T3 truefalse (B, 1)
EXCLUDES = "excludes:\n  - [S1, S2, S3]\n  - [S3, S4]\n  - [M1, S5]\n  - [T1, T2]\n"


def add_excludes(text: str = EXCLUDES) -> None:
    report = import_files(None, [("exam-bank.yaml", (bank_yaml() + text).encode())])
    assert report.ok, [f.errors for f in report.files]
    db.session.commit()


def external_ids(items) -> set[str]:
    ids = [i.question_id for i in items]
    return set(db.session.scalars(select(Question.external_id).where(Question.id.in_(ids))))


def test_many_draws_never_hold_two_of_a_group(setup):
    s = setup(blueprint=None)
    add_excludes()
    blueprint = "exam-bank A single 2 3 1\nexam-bank A multiple 3 1 2\nexam-bank B truefalse 1 2 1\n"
    services.change_paper(s.staff, s.exam, lambda e: services.set_blueprint(
        e, services.parse_blueprint(blueprint, s.institution.id)))
    db.session.commit()
    groups = [{"S1", "S2", "S3"}, {"S3", "S4"}, {"M1", "S5"}, {"T1", "T2"}]
    seen = set()
    for seed in range(300):
        drawn = external_ids(papers.draw(s.exam, random.Random(seed)))
        assert len(drawn) == 6, (seed, drawn)
        for group in groups:
            assert len(drawn & group) <= 1, (seed, drawn, group)
        seen |= drawn
    assert seen >= {"S1", "S2", "S3", "S4", "S5", "S6", "M1", "M2", "T1", "T2", "T3"}  # all still used


def test_without_groups_the_draw_is_the_plain_sample(setup):
    s = setup(blueprint=None)
    services.change_paper(s.staff, s.exam, lambda e: services.set_blueprint(
        e, services.parse_blueprint("exam-bank A single 2 3 1\n", s.institution.id)))
    db.session.commit()
    rows = db.session.execute(select(Question.id, Question.external_id).where(
        Question.external_id.in_([f"S{i}" for i in range(1, 7)])).order_by(Question.id)).all()
    expected = [e for _id, e in random.Random(7).sample(rows, 3)]
    drawn = papers.draw(s.exam, random.Random(7))
    names = dict(rows)
    assert sorted(names[i.question_id] for i in drawn) == sorted(expected)


def test_shortage_counts_what_the_groups_leave(setup):
    s = setup(blueprint=None)
    add_excludes()
    # S1–S4 are linked (two groups): the draw can always give one of them, plus S5 and S6
    ok = services.parse_blueprint("exam-bank A single 2 3 1\n", s.institution.id)
    assert services.shortages(ok) == {}
    short = services.parse_blueprint("exam-bank A single 2 4 1\n", s.institution.id)
    message = services.shortages(short)["rule 1"]
    assert "需要 4 题" in message and "有 6 题可用" in message and "只能保证 3 题" in message and "缺 1 题" in message
    with pytest.raises(ValidationFailed):
        services.set_blueprint(s.exam, short)
    # M1 is drawn first, so S5 (its group) cannot be counted for the later single cell
    both = services.parse_blueprint("exam-bank A multiple 3 2 2\nexam-bank A single 2 3 1\n", s.institution.id)
    assert "只能保证 2 题" in services.shortages(both)["rule 2"]


def test_fixed_paper_refuses_two_of_a_group(setup):
    s = setup(blueprint=None)
    add_excludes()
    with pytest.raises(ValidationFailed) as error:
        services.set_fixed_paper(s.exam, [("exam-bank", "S1", 1), ("exam-bank", "S6", 1), ("exam-bank", "S3", 1)])
    message = error.value.fields["line 3"]
    assert "S3" in message and "S1" in message and "互斥组" in message
    services.set_fixed_paper(s.exam, [("exam-bank", "S1", 1), ("exam-bank", "S4", 1), ("exam-bank", "M1", 2)])
