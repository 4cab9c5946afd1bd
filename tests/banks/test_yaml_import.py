"""The YAML importer and the import service: reports, line numbers, all-or-nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.banks.models import Question, QuestionBank
from lms.extensions import db


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_valid_file_imports_everything(load_bank, small_bank_text):
    report = load_bank(("small.yaml", small_bank_text))
    assert report.ok and report.applied
    [file_report] = report.files
    assert file_report.added == ["S-1", "S-2", "S-3", "S-4", "S-5"]
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.code == "demo-small"))
    assert bank.title == "小题库" and bank.version == 2 and bank.shared
    assert [(c.code, c.module_code) for c in bank.categories] == [("GEN", "M01"), ("IMPL", None)]
    fill = db.session.scalar(select(Question).where(Question.external_id == "S-4"))
    assert fill.current.data["answer"] == [["社会团体", "社团"], "标准化"]
    assert fill.category.code == "IMPL"


def test_dry_run_reports_and_stores_nothing(load_bank, small_bank_text):
    report = load_bank(("small.yaml", small_bank_text), dry_run=True)
    assert report.ok and not report.applied
    assert len(report.files[0].added) == 5
    assert count(QuestionBank) == 0 and count(Question) == 0


def test_dry_run_after_a_change_reports_added_changed_unchanged(load_bank, small_bank_text):
    load_bank(("small.yaml", small_bank_text))
    edited = small_bank_text.replace("强制性标准必须执行。", "强制性标准必须执行，推荐性标准鼓励采用。") + """\
  - id: S-6
    category: GEN
    type: truefalse
    difficulty: 1
    points: 1
    stem: 团体标准由社会团体制定。
    answer: true
"""
    report = load_bank(("small.yaml", edited), dry_run=True).files[0]
    assert report.added == ["S-6"]
    assert report.changed == ["S-3"]
    assert report.unchanged == ["S-1", "S-2", "S-4", "S-5"]


def broken(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_wrong_answer_is_reported_with_file_and_line_and_nothing_is_stored(load_bank, small_bank_text):
    text = broken(small_bank_text, "answer: B", "answer: E")
    report = load_bank(("bad.yaml", text))
    assert not report.ok and not report.applied
    [error] = report.files[0].errors
    assert error.startswith(f"bad.yaml 第 {line_of(text, 'answer: E')} 行")
    assert "答案" in error and "E" in error
    assert report.files[0].rejected == ["S-1"]
    assert count(Question) == 0  # all or nothing: the four good questions are not stored either


def test_syntax_error_names_the_line(load_bank, small_bank_text):
    text = broken(small_bank_text, "stem: 强制性标准必须执行。", "stem: [强制性标准必须执行。")
    report = load_bank(("bad.yaml", text))
    [error] = report.files[0].errors
    assert error.startswith("bad.yaml 第 ") and "YAML 语法错误" in error
    line = int(error.split("第 ")[1].split(" 行")[0])
    assert abs(line - line_of(text, "[强制性标准")) <= 2


def test_unknown_field_and_category_and_duplicate_id(load_bank, small_bank_text):
    text = broken(small_bank_text, "    explanation: 第七条。", "    explantion: 第七条。")
    text = broken(text, "category: IMPL\n    type: essay", "category: NOPE\n    type: essay")
    text = broken(text, "id: S-2", "id: S-1")
    errors = load_bank(("bad.yaml", text)).files[0].errors
    assert any(f"第 {line_of(text, 'explantion')} 行" in e and "未知字段 'explantion'" in e for e in errors)
    assert any(f"第 {line_of(text, 'category: NOPE')} 行" in e and "NOPE" in e for e in errors)
    assert any("题号 S-1 重复" in e for e in errors)


def test_fill_blank_count_mismatch_names_the_answer_line(load_bank, small_bank_text):
    text = broken(small_bank_text, "answer: [[社会团体, 社团], 标准化]", "answer: [社会团体]")
    [error] = load_bank(("bad.yaml", text)).files[0].errors
    assert f"第 {line_of(text, 'answer: [社会团体]')} 行" in error and "2 个空" in error


def test_all_or_nothing_across_files(load_bank, small_bank_text):
    other = small_bank_text.replace("demo-small", "demo-other").replace("difficulty: 4", "difficulty: 9")
    report = load_bank(("a.yaml", small_bank_text), ("b.yaml", other))
    assert report.files[0].ok and not report.files[1].ok
    assert "b.yaml" in report.files[1].errors[0] and "难度" in report.files[1].errors[0]
    assert count(QuestionBank) == 0


def test_duplicate_stems_are_flagged(load_bank, small_bank_text):
    text = broken(small_bank_text, "stem: 下列属于标准的有哪些？", "stem: 行业标准属于哪一类标准？")
    report = load_bank(("dup.yaml", text), dry_run=True).files[0]
    assert report.ok
    assert any("S-1" in w and "重复" in w for w in report.warnings)


def test_size_limit(load_bank, small_bank_text):
    report = load_bank(("big.yaml", small_bank_text + "#" * 2000), max_bytes=1000)
    assert "超过上限" in report.files[0].errors[0]


def test_unknown_file_type(load_bank):
    report = load_bank(("bank.docx", b"PK"))
    assert "无法识别的文件类型" in report.files[0].errors[0]


def test_aliases_are_refused(load_bank):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\ncode: *b\n"
    report = load_bank(("bomb.yaml", bomb))
    assert "别名" in report.files[0].errors[0] and "第 2 行" in report.files[0].errors[0]


def test_not_a_mapping_and_not_utf8(load_bank):
    assert "映射" in load_bank(("x.yaml", "- 1\n- 2\n")).files[0].errors[0]
    report = load_bank(("x.yaml", "code: 题库\n".encode("gb18030") + b"\xff\xfe\xfd"))
    assert not report.ok


def test_bank_and_category_codes_are_checked(load_bank, small_bank_text):
    report = load_bank(("x.yaml", small_bank_text.replace("code: demo-small", "code: 'bad code; x'")))
    assert "题库代码只能包含" in report.files[0].errors[0]
    report = load_bank(("x.yaml", small_bank_text.replace("code: IMPL", "code: A/B")))
    assert any("A/B" in e and "不能包含" in e for e in report.files[0].errors)
