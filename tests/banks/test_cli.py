"""`flask lms import-bank` and `flask lms export-bank`."""
from __future__ import annotations

import yaml
from sqlalchemy import select

from lms.banks.models import Question
from lms.extensions import db


def test_import_then_export_yaml(runner, tmp_path, small_bank_text):
    path = tmp_path / "small.yaml"
    path.write_text(small_bank_text, encoding="utf-8")
    result = runner.invoke(args=["lms", "import-bank", str(path)])
    assert result.exit_code == 0, result.output
    assert "新增 5" in result.output and "导入完成" in result.output
    out = tmp_path / "out.yaml"
    result = runner.invoke(args=["lms", "export-bank", "demo-small", "--format", "yaml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = yaml.safe_load(out.read_text(encoding="utf-8"))
    original = yaml.safe_load(small_bank_text)
    assert exported == original


def test_import_errors_exit_non_zero_and_store_nothing(runner, tmp_path, small_bank_text):
    path = tmp_path / "bad.yaml"
    path.write_text(small_bank_text.replace("difficulty: 3", "difficulty: 0"), encoding="utf-8")
    result = runner.invoke(args=["lms", "import-bank", str(path)])
    assert result.exit_code == 1
    assert "bad.yaml 第 " in result.output and "难度" in result.output
    assert db.session.scalar(select(Question)) is None


def test_export_unknown_bank(runner):
    result = runner.invoke(args=["lms", "export-bank", "nope"])
    assert result.exit_code == 1 and "不存在" in result.output


def test_gift_with_bank_category_and_institution_options(runner, tmp_path, make_institution):
    from lms.banks.models import QuestionBank

    institution = make_institution()
    path = tmp_path / "q.gift.txt"
    path.write_text("::G1::强制性标准必须执行。{T}\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "import-bank", str(path), "--bank", "gift-bank", "--category", "LAW",
                                 "--institution", institution.code])
    assert result.exit_code == 0, result.output
    bank = db.session.scalar(select(QuestionBank))
    assert (bank.code, bank.owner_institution_id) == ("gift-bank", institution.id)
    assert db.session.scalar(select(Question)).category.code == "LAW"
    result = runner.invoke(args=["lms", "export-bank", "gift-bank", "--format", "gift"])
    assert result.exit_code == 0 and "::G1::强制性标准必须执行。 {TRUE}" in result.output
    result = runner.invoke(args=["lms", "import-bank", str(path), "--institution", "NOPE"])
    assert result.exit_code == 1 and "NOPE" in result.output
