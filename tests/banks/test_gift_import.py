"""Moodle GIFT files as Moodle writes them (no lms comments)."""
from __future__ import annotations

from sqlalchemy import select

from lms.banks.importers.gift import escape, parse_question, unescape
from lms.banks.models import Question, QuestionBank
from lms.extensions import db

MOODLE = r"""// 标准化法练习（由 Moodle 导出）
// 这一行是注释

$CATEGORY: $course$/top/标准化法/LAW

::Q1::[html]根据《标准化法》，行业标准属于哪一类标准？{
=推荐性标准#正确
~强制性标准#错误
~团体标准
####第二条：行业标准是推荐性标准。
}

::Q2:: 下列属于标准化法所称标准的有哪些？ {
~%50%国家标准
~%50%团体标准
~%-100%工作总结
}

::Q3::强制性标准必须执行。{T}

::Q4::推荐性标准必须执行。{FALSE#不对，国家鼓励采用推荐性标准。####第二条第三款。}

$CATEGORY: $course$/top/ESSAY

::Q5::请论述企业标准化总监的岗位定位。{}

::Q6::国家鼓励企业、{=社会团体 =社团}和教育、科研机构等开展或者参与标准化工作。

::Q7::转义字符\: 等号\=、波浪号\~、井号\#、花括号\{\}与反斜杠\\都能保留。{=对 ~错}

::Q8::三选二 {~%33.33333%甲 ~%33.33333%乙 ~%33.33334%丙 ~%-100%丁}

谁埋葬在格兰特墓中？{=格兰特 =尤利西斯·格兰特}
"""


def test_moodle_gift_file(load_bank):
    report = load_bank(("moodle.gift", MOODLE), bank_code="gift-demo")
    assert report.ok, report.files[0].errors
    file_report = report.files[0]
    assert file_report.added[:8] == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"]
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.code == "gift-demo"))
    assert [c.code for c in bank.categories] == ["LAW", "ESSAY"]
    q = {x.external_id: x.current for x in db.session.scalars(select(Question))}
    cat = {x.external_id: x.category.code for x in db.session.scalars(select(Question))}

    assert q["Q1"].type == "single" and q["Q1"].stem == "根据《标准化法》，行业标准属于哪一类标准？"
    assert q["Q1"].data["answer"] == "A"
    assert [o["text"] for o in q["Q1"].data["options"]] == ["推荐性标准", "强制性标准", "团体标准"]
    assert q["Q1"].data["explanation"] == "第二条：行业标准是推荐性标准。"

    assert q["Q2"].type == "multiple" and q["Q2"].data["answer"] == ["A", "B"]
    assert q["Q2"].data["weights"] == {"A": 50, "B": 50, "C": -100}

    assert q["Q3"].type == "truefalse" and q["Q3"].data["answer"] is True
    assert q["Q4"].data["answer"] is False and q["Q4"].data["explanation"] == "第二条第三款。"

    assert q["Q5"].type == "essay" and cat["Q5"] == "ESSAY"
    assert q["Q5"].data["rubric"] == [{"criterion": "整体评价", "points": 10}]
    assert any("Q5" not in w and "评分细则" in w for w in file_report.warnings)

    assert q["Q6"].type == "fill" and cat["Q6"] == "ESSAY"
    assert q["Q6"].stem == "国家鼓励企业、____和教育、科研机构等开展或者参与标准化工作。"
    assert q["Q6"].data["answer"] == [["社会团体", "社团"]]

    assert q["Q7"].stem == "转义字符: 等号=、波浪号~、井号#、花括号{}与反斜杠\\都能保留。"
    assert q["Q8"].data["weights"] == {"A": 33.33333, "B": 33.33333, "C": 33.33334, "D": -100}

    untitled = [x for x in q.values() if x.stem.startswith("谁埋葬")]
    assert untitled and untitled[0].type == "fill" and untitled[0].stem.endswith("____")


def test_reimporting_an_untitled_question_is_unchanged(load_bank):
    load_bank(("moodle.gift", MOODLE), bank_code="gift-demo")
    report = load_bank(("moodle.gift", MOODLE), bank_code="gift-demo", dry_run=True)
    assert len(report.files[0].unchanged) == 9 and not report.files[0].added


def test_gift_needs_a_target_bank(load_bank):
    report = load_bank(("moodle.gift", MOODLE))
    assert "未指定目标题库" in report.files[0].errors[0]


def test_default_category_from_the_command_line(load_bank):
    report = load_bank(("x.gift.txt", "::A1::一加一等于二。{T}\n"), bank_code="b", category_code="MATH")
    assert report.ok
    assert db.session.scalar(select(Question)).category.code == "MATH"


def test_broken_gift_names_the_line(load_bank):
    text = MOODLE.replace("::Q3::强制性标准必须执行。{T}", "::Q3::强制性标准必须执行。{T")
    text = text.replace("~%50%国家标准", "~%50%国家标准 ->配对")
    text += "\n::N1::数值题 {#3.14:0.01}\n\n::N2::只有描述没有答案块\n"
    report = load_bank(("bad.gift", text), bank_code="gift-demo")
    errors = report.files[0].errors
    lines = text.splitlines()

    def line_no(needle):
        return next(n for n, line in enumerate(lines, 1) if needle in line)

    assert any(e.startswith(f"bad.gift 第 {line_no('{T')} 行") and "缺少结尾的 }" in e for e in errors), errors
    assert any("配对" in e and e.startswith(f"bad.gift 第 {line_no('::Q2::')} 行") for e in errors), errors
    assert any("数值题" in e and f"第 {line_no('::N1::')} 行" in e for e in errors), errors
    assert any("缺少答案块" in e and f"第 {line_no('::N2::')} 行" in e for e in errors), errors
    assert db.session.scalar(select(Question)) is None


def test_single_choice_without_a_right_answer(load_bank):
    report = load_bank(("x.gift", "::A::题干 {~甲 ~乙}\n"), bank_code="b")
    assert "没有正确选项" in report.files[0].errors[0] and "第 1 行" in report.files[0].errors[0]


def test_escape_round_trip():
    for text in ["a:b", "x=y~z#{}", "反斜杠\\在此", "两行\n文字"]:
        assert unescape(escape(text)) == text
    assert parse_question(r"::A\:1::题 {T}")["id"] == "A:1"
