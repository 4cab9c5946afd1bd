"""The Excel template: it downloads, imports as is, and errors name sheet, row and column."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from lms.banks.importers.xlsx import QUESTION_HEADERS, build_template
from lms.banks.models import Question, QuestionBank
from lms.extensions import db


def edited_template(edit) -> bytes:
    workbook = load_workbook(io.BytesIO(build_template()))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column(header: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(QUESTION_HEADERS.index(header) + 1)


def test_the_template_imports_as_it_is(load_bank):
    report = load_bank(("题库模板.xlsx", build_template()))
    assert report.ok, report.files[0].errors
    assert report.files[0].added == ["EX-0001", "EX-0002", "EX-0003", "EX-0004", "EX-0005"]
    bank = db.session.scalar(select(QuestionBank))
    assert (bank.code, bank.title) == ("my-bank", "我的题库")
    q = {x.external_id: x.current for x in db.session.scalars(select(Question))}
    assert q["EX-0001"].data["answer"] == "B" and q["EX-0001"].data["tags"] == ["标准体系", "推荐性标准"]
    assert q["EX-0002"].data["answer"] == ["A", "B", "C"]
    assert q["EX-0003"].data["answer"] is True
    assert q["EX-0004"].data["answer"] == [["社会团体", "社团"], "标准化"]
    assert q["EX-0005"].data["rubric"] == [{"criterion": "岗位定位", "points": 4},
                                           {"criterion": "职责要点", "points": 6}]


def test_errors_name_sheet_row_and_column(load_bank):
    def break_it(workbook):
        sheet = workbook["试题"]
        sheet[f"{column('答案')}2"] = "E"
        sheet[f"{column('难度')}4"] = 9
        sheet[f"{column('题型')}5"] = "连线"

    report = load_bank(("bad.xlsx", edited_template(break_it)))
    errors = report.files[0].errors
    assert any(e.startswith(f"bad.xlsx 工作表“试题”第 2 行 {column('答案')} 列（答案）") for e in errors), errors
    assert any(e.startswith(f"bad.xlsx 工作表“试题”第 4 行 {column('难度')} 列（难度）") for e in errors), errors
    assert any(e.startswith(f"bad.xlsx 工作表“试题”第 5 行 {column('题型')} 列（题型）") and "连线" in e
               for e in errors), errors
    assert db.session.scalar(select(Question)) is None


def test_missing_columns_and_unknown_headers(load_bank):
    def break_it(workbook):
        sheet = workbook["试题"]
        sheet[f"{column('答案')}1"] = "正确答案"

    errors = load_bank(("bad.xlsx", edited_template(break_it))).files[0].errors
    assert any(f"第 1 行 {column('答案')} 列（正确答案）" in e and "未知的列名" in e for e in errors), errors
    assert any("缺少列：答案" in e for e in errors), errors


def test_not_a_workbook(load_bank):
    assert "不是有效的 Excel" in load_bank(("x.xlsx", b"not a zip")).files[0].errors[0]
