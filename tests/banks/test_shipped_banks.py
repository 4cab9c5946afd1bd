"""The sample banks shipped in question_banks/: valid, big enough, well mixed, sourced."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from lms.banks.demo import sample_bank_files
from lms.banks.models import Question, QuestionBank
from lms.extensions import db


def test_cli_dry_run_of_the_shipped_banks_reports_no_errors(runner):
    paths = [str(p) for p in sample_bank_files()]
    assert len(paths) == 4
    result = runner.invoke(args=["lms", "import-bank", *paths, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "试运行：0 个错误" in result.output
    assert db.session.scalar(select(QuestionBank)) is None


def test_shipped_banks_counts_mix_sources_and_rubrics(runner):
    result = runner.invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output
    shipped = select(QuestionBank.id).where(QuestionBank.owner_institution_id.is_(None))
    questions = db.session.scalars(select(Question).where(Question.bank_id.in_(shipped))).all()
    total = len(questions)
    assert total >= 200
    types = Counter(q.current.type for q in questions)
    assert types["single"] / total >= 0.40
    assert types["multiple"] / total >= 0.20
    assert types["truefalse"] / total >= 0.15
    assert types["fill"] > 0
    essays = [q.current for q in questions if q.current.type == "essay"]
    assert len(essays) >= 8
    for essay in essays:
        assert essay.data["rubric"] and sum(r["points"] for r in essay.data["rubric"]) == essay.points
    for q in questions:
        assert (q.current.data.get("source") or "").strip(), q.external_id
        assert (q.current.data.get("explanation") or "").strip(), q.external_id
    assert {b.code for b in db.session.scalars(select(QuestionBank).where(QuestionBank.id.in_(shipped)))} == {
        "std-law", "director-system", "group-enterprise-std", "policy-practice"}


def test_seed_demo_is_idempotent_for_banks(runner):
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    before = db.session.scalar(select(db.func.count()).select_from(Question))
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    assert db.session.scalar(select(db.func.count()).select_from(Question)) == before
    assert all(q.current_number == 1 for q in db.session.scalars(select(Question)))


def test_demo_institution_gets_a_practice_bank_of_its_own(runner):
    from lms.orgs.models import Institution

    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.code == "sh-stc-practice"))
    assert bank.owner_institution_id == db.session.scalar(select(Institution.id).where(Institution.code == "SH-STC"))
    assert db.session.scalar(select(db.func.count()).select_from(Question).where(Question.bank_id == bank.id)) == 12
