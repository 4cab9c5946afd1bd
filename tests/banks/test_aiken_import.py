"""Aiken files."""
from __future__ import annotations

from sqlalchemy import select

from lms.banks.models import Question
from lms.extensions import db

AIKEN = """\
根据《标准化法》，行业标准属于哪一类标准？
A. 强制性标准
B. 推荐性标准
C) 团体标准
ANSWER: B

下列属于标准的有哪些？
A．国家标准
B、团体标准
C. 工作总结
ANSWER: A, B
强制性标准由谁制定？
A. 国务院有关部门
B. 社会团体
答案：A
"""


def test_aiken_file(load_bank):
    report = load_bank(("law.aiken.txt", AIKEN), bank_code="aiken-demo", category_code="LAW")
    assert report.ok, report.files[0].errors
    questions = {q.current.stem: q for q in db.session.scalars(select(Question))}
    first = questions["根据《标准化法》，行业标准属于哪一类标准？"].current
    assert first.type == "single" and first.data["answer"] == "B"
    assert [o["text"] for o in first.data["options"]] == ["强制性标准", "推荐性标准", "团体标准"]
    second = questions["下列属于标准的有哪些？"].current
    assert second.type == "multiple" and second.data["answer"] == ["A", "B"]
    assert questions["强制性标准由谁制定？"].current.data["answer"] == "A"
    assert {q.category.code for q in questions.values()} == {"LAW"}
    assert all(q.external_id.startswith("Q-") for q in questions.values())
    again = load_bank(("law.aiken.txt", AIKEN), bank_code="aiken-demo", category_code="LAW", dry_run=True)
    assert len(again.files[0].unchanged) == 3


def test_broken_aiken_names_the_line(load_bank):
    text = AIKEN.replace("ANSWER: B\n", "ANSWER: E\n").replace("C. 工作总结\n", "C. 工作总结\n这一行不对\n")
    text += "没有答案的题\nA. 甲\nB. 乙\n"
    errors = load_bank(("bad.aiken.txt", text), bank_code="b").files[0].errors
    lines = text.splitlines()

    def line_no(needle):
        return next(n for n, line in enumerate(lines, 1) if needle in line)

    assert any(e.startswith(f"bad.aiken.txt 第 {line_no('ANSWER: E')} 行") and "E" in e for e in errors), errors
    assert any(e.startswith(f"bad.aiken.txt 第 {line_no('这一行不对')} 行") for e in errors), errors
    assert any(e.startswith(f"bad.aiken.txt 第 {line_no('没有答案的题')} 行") and "缺少答案行" in e
               for e in errors), errors
    assert db.session.scalar(select(Question)) is None
