"""`excludes`: groups of questions that never share a paper, read from YAML, checked, stored,
exported again, and dropped with a deleted question."""
from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from lms.banks import services
from lms.banks.exporters import export_gift, export_yaml
from lms.banks.models import ExclusionGroup, ExclusionMember, Question
from lms.extensions import db


def with_excludes(text: str, excludes: str) -> str:
    return text + excludes


def groups(code: str = "demo-small") -> list[list[str]]:
    return services.exclusion_groups(services.bank_by_code(code))


def test_excludes_are_read_and_stored(load_bank, small_bank_text):
    excludes = "excludes:\n  - [S-1, S-3]\n  - [S-2, S-4, S-5]\n"
    report = load_bank(("small.yaml", with_excludes(small_bank_text, excludes)))
    assert report.ok, report.files[0].errors
    assert report.files[0].excludes_changed is True
    assert groups() == [["S-1", "S-3"], ["S-2", "S-4", "S-5"]]


def test_unknown_id_is_an_error_naming_file_and_line_and_nothing_is_stored(load_bank, small_bank_text):
    text = with_excludes(small_bank_text, "excludes:\n  - [S-1, S-3]\n  - [S-2, S-99]\n")
    line = text.splitlines().index("  - [S-2, S-99]") + 1
    report = load_bank(("small.yaml", text))
    assert not report.ok
    assert report.files[0].errors == [f"small.yaml 第 {line} 行（互斥组）：题号 S-99 不在题库中"]
    assert services.bank_by_code("demo-small") is None


@pytest.mark.parametrize("excludes,needle", [
    ("excludes: S-1\n", "excludes 应为题号组的列表"),
    ("excludes:\n  - S-1\n", "每一项应为题号列表"),
    ("excludes:\n  - [S-1]\n", "至少要有两道题"),
    ("excludes:\n  - [S-1, S-1]\n", "重复的题号"),
    ("excludes:\n  - [S-1, {a: b}]\n", "题号应为文本"),
])
def test_malformed_groups_are_errors(load_bank, small_bank_text, excludes, needle):
    report = load_bank(("small.yaml", with_excludes(small_bank_text, excludes)))
    assert not report.ok
    assert any(needle in e and "small.yaml 第" in e for e in report.files[0].errors), report.files[0].errors


def test_ids_already_in_the_bank_are_known(load_bank, small_bank_text):
    assert load_bank(("small.yaml", small_bank_text)).ok
    # a file with only the groups and one question: the other ids are the bank's
    head, _sep, _rest = small_bank_text.partition("questions:\n")
    first = small_bank_text.split("  - id: S-2")[0].partition("questions:\n")[2]
    report = load_bank(("small.yaml", head + "questions:\n" + first + "excludes:\n  - [S-1, S-5]\n"))
    assert report.ok, report.files[0].errors
    assert groups() == [["S-1", "S-5"]]


def test_reimport_replaces_groups_only_when_given_and_changed(load_bank, small_bank_text):
    text = with_excludes(small_bank_text, "excludes:\n  - [S-1, S-3]\n")
    assert load_bank(("small.yaml", text)).ok
    first_ids = set(db.session.scalars(select(ExclusionGroup.id)))
    again = load_bank(("small.yaml", text))
    assert again.files[0].excludes_changed is False
    assert set(db.session.scalars(select(ExclusionGroup.id))) == first_ids  # unchanged: not rewritten
    assert load_bank(("small.yaml", small_bank_text)).files[0].excludes_changed is None  # no key: kept
    assert groups() == [["S-1", "S-3"]]
    assert load_bank(("small.yaml", with_excludes(small_bank_text, "excludes: []\n"))).ok  # empty list: cleared
    assert groups() == []


def test_yaml_export_keeps_groups_and_gift_drops_them(load_bank, small_bank_text):
    assert load_bank(("small.yaml", with_excludes(small_bank_text, "excludes:\n  - [S-1, S-3]\n"))).ok
    bank = services.bank_by_code("demo-small")
    text = export_yaml(bank)
    assert "excludes:\n- [S-1, S-3]\n" in text
    assert yaml.safe_load(text)["excludes"] == [["S-1", "S-3"]]
    assert "S-3" in export_gift(bank) and "excludes" not in export_gift(bank)


def test_export_leaves_out_retired_questions_and_groups_that_fall_below_two(load_bank, small_bank_text):
    excludes = "excludes:\n  - [S-1, S-3]\n  - [S-2, S-4, S-5]\n"
    assert load_bank(("small.yaml", with_excludes(small_bank_text, excludes))).ok
    bank = services.bank_by_code("demo-small")
    for question in db.session.scalars(select(Question).where(Question.external_id.in_(["S-3", "S-4"]))):
        question.retired = True
    db.session.commit()
    assert yaml.safe_load(export_yaml(bank))["excludes"] == [["S-2", "S-5"]]
    assert groups() == [["S-1", "S-3"], ["S-2", "S-4", "S-5"]]  # the bank itself keeps them


def test_deleting_a_question_removes_it_from_its_groups(load_bank, small_bank_text):
    assert load_bank(("small.yaml", with_excludes(small_bank_text, "excludes:\n  - [S-2, S-4, S-5]\n"))).ok
    question = services.question_by_external_id(services.bank_by_code("demo-small"), "S-4")
    assert services.delete_question(None, question) == "deleted"
    db.session.commit()
    assert groups() == [["S-2", "S-5"]]
    assert db.session.scalar(select(db.func.count()).select_from(ExclusionMember)) == 2
