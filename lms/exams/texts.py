"""The exam page's words for exam.js, in the reader's language.

The page is filled by script from the JSON API, so its words travel with the shell as one JSON
block (`<script type="application/json" id="exam-texts">`): `{n}`-style placeholders are filled
in by the script; a word that depends on a count comes as {"one": ..., "other": ...} and the
script picks the form with Intl.PluralRules for the page's language."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from lms.banks.types import QUESTION_TYPES, type_label


def exam_page_texts() -> dict:
    return {
        "saving": _("保存中…"), "saved": _("已保存"), "pending": _("待提交"), "allSaved": _("全部答案已保存"),
        "queued": {"one": ngettext("%(count)s 题答案待提交", "%(count)s 题答案待提交", 1, count="{n}"),
                   "other": ngettext("%(count)s 题答案待提交", "%(count)s 题答案待提交", 2, count="{n}")},
        "question": _("第 %(n)s 题", n="{n}"), "points": _("%(points)s 分", points="{p}"), "flag": _("标记此题"),
        "unanswered": {
            "one": ngettext("还有 %(count)s 题未作答：第 %(list)s 题。", "还有 %(count)s 题未作答：第 %(list)s 题。",
                            1, count="{n}", list="{list}"),
            "other": ngettext("还有 %(count)s 题未作答：第 %(list)s 题。", "还有 %(count)s 题未作答：第 %(list)s 题。",
                              2, count="{n}", list="{list}")},
        "listSeparator": _("、"), "allAnswered": _("所有题目都已作答。"),
        "true": _("正确"), "false": _("错误"), "blank": _("第 %(n)s 空", n="{n}"), "answer": _("作答"),
        "submitting": _("正在交卷…"), "timeUp": _("时间到，正在自动交卷…"), "failed": _("加载失败，请刷新页面重试"),
        "types": {name: type_label(name) for name in QUESTION_TYPES},
        # a group's heading: 一、单选题（共 20 题，20 分）
        "section": _("%(n)s、%(type)s", n="{n}", type="{type}"),
        "sectionNumbers": _("一,二,三,四,五,六,七,八,九,十").split(","),
        "sectionInfo": {
            "one": ngettext("（共 %(count)s 题，%(points)s 分）", "（共 %(count)s 题，%(points)s 分）", 1,
                            count="{n}", points="{p}"),
            "other": ngettext("（共 %(count)s 题，%(points)s 分）", "（共 %(count)s 题，%(points)s 分）", 2,
                              count="{n}", points="{p}")},
        "sheetLabel": _("答题卡：已答 %(n)s 题，共 %(total)s 题", n="{n}", total="{total}"),
    }
