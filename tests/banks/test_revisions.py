"""Revisions: edits make revision n+1, identical content does not; revisions never change;
used questions are retired, not deleted."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.banks import services
from lms.banks.models import Question, QuestionRevision
from lms.core.errors import ValidationFailed
from lms.extensions import db


def question(external_id: str) -> Question:
    db.session.expire_all()
    return db.session.scalar(select(Question).where(Question.external_id == external_id))


def test_reimport_with_a_change_creates_a_new_revision(load_bank, small_bank_text):
    load_bank(("small.yaml", small_bank_text))
    first = question("S-1").current
    first_id = first.id
    load_bank(("small.yaml", small_bank_text.replace("answer: B", "answer: A")))
    q = question("S-1")
    assert q.current_number == 2
    assert q.current.data["answer"] == "A"
    old = db.session.get(QuestionRevision, first_id)
    assert old.number == 1 and old.data["answer"] == "B"  # what old attempts were given


def test_identical_content_makes_no_revision(load_bank, small_bank_text):
    load_bank(("small.yaml", small_bank_text))
    report = load_bank(("small.yaml", small_bank_text))
    assert len(report.files[0].unchanged) == 5
    assert db.session.scalar(select(db.func.count()).select_from(QuestionRevision)) == 5


def test_editing_creates_a_revision_and_keeps_the_old_one(load_bank, small_bank_text):
    load_bank(("small.yaml", small_bank_text))
    q = question("S-3")
    content = services.content_of(q.current)
    services.save_question(None, q.bank, {**content, "answer": False}, category_code="IMPL", question=q)
    db.session.commit()
    q = question("S-3")
    assert [r.number for r in q.revisions] == [1, 2]
    assert q.revisions[0].data["answer"] is True and q.current.data["answer"] is False
    services.save_question(None, q.bank, {**content, "answer": False}, category_code="IMPL", question=q)
    db.session.commit()
    assert len(question("S-3").revisions) == 2


def test_editing_with_bad_content_changes_nothing(load_bank, small_bank_text):
    load_bank(("small.yaml", small_bank_text))
    q = question("S-1")
    with pytest.raises(ValidationFailed) as caught:
        services.save_question(None, q.bank, {**services.content_of(q.current), "answer": "Z"},
                               category_code="GEN", question=q)
    assert "answer" in caught.value.fields
    db.session.rollback()
    assert question("S-1").current_number == 1


def test_a_revision_row_cannot_be_changed(load_bank, small_bank_text):
    load_bank(("small.yaml", small_bank_text))
    revision = question("S-1").current
    revision.stem = "偷偷修改"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_deleting_a_used_question_retires_it(load_bank, small_bank_text):
    load_bank(("small.yaml", small_bank_text))
    q = question("S-1")
    q.times_used = 3
    assert services.delete_question(None, q) == "retired"
    db.session.commit()
    q = question("S-1")
    assert q.retired and len(q.revisions) == 1


def test_deleting_an_unused_question_removes_it(load_bank, small_bank_text):
    load_bank(("small.yaml", small_bank_text))
    assert services.delete_question(None, question("S-2")) == "deleted"
    db.session.commit()
    assert question("S-2") is None


def test_a_usage_check_added_by_exams_protects_a_question(load_bank, small_bank_text, monkeypatch):
    load_bank(("small.yaml", small_bank_text))
    monkeypatch.setattr(services, "USAGE_CHECKS", [lambda q: q.external_id == "S-4"])
    assert services.delete_question(None, question("S-4")) == "retired"
