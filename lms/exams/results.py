"""The staff results table of an exam and its Excel export."""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.core.xlsx import append_rows
from lms.exams.integrity import event_counts
from lms.exams.models import Attempt, Exam
from lms.extensions import db

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass
class ResultRow:
    attempt: Attempt
    name: str
    username: str
    events: int


def results(exam: Exam) -> list[ResultRow]:
    rows = db.session.execute(select(Attempt, User.name, User.username).join(User, User.id == Attempt.user_id)
                              .where(Attempt.exam_id == exam.id).order_by(User.username, Attempt.number)).all()
    counts = event_counts([a.id for a, _n, _u in rows])
    return [ResultRow(a, name, username, counts.get(a.id, 0)) for a, name, username in rows]


def _local(value):
    return value.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def results_xlsx(exam: Exam) -> bytes:
    """The results table as a workbook, in the reader's language; every name is written as text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("成绩")
    verdicts = {None: "", True: _("合格"), False: _("不合格")}
    append_rows(sheet, [
        [exam.title, exam.cohort.code, exam.cohort.title],
        [_("用户名"), _("姓名"), _("第几次"), _("状态"), _("开始时间"), _("交卷时间"), _("得分"), _("满分"),
         _("是否合格"), _("切屏次数"), _("过程记录条数")],
        *([row.username, row.name, row.attempt.number, row.attempt.status.label, _local(row.attempt.started_at),
           _local(row.attempt.submitted_at), row.attempt.score, row.attempt.max_score, verdicts[row.attempt.passed],
           row.attempt.tab_switches, row.events] for row in results(exam)),
    ])
    for column, width in zip("ABCDEFGHIJK", (14, 10, 7, 12, 20, 20, 8, 8, 9, 9, 12), strict=False):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
