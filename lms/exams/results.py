"""The staff results table of an exam and its Excel export."""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from zoneinfo import ZoneInfo

from sqlalchemy import select

from lms.accounts.models import User
from lms.exams.integrity import event_counts
from lms.exams.models import ATTEMPT_STATUSES, Attempt, Exam
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
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "成绩"
    sheet.append([exam.title, exam.cohort.code, exam.cohort.title])
    sheet.append(["用户名", "姓名", "第几次", "状态", "开始时间", "交卷时间", "得分", "满分", "是否合格", "切屏次数",
                  "过程记录条数"])
    for row in results(exam):
        a = row.attempt
        sheet.append([row.username, row.name, a.number, ATTEMPT_STATUSES[a.status], _local(a.started_at),
                      _local(a.submitted_at), a.score, a.max_score,
                      "" if a.passed is None else ("合格" if a.passed else "不合格"), a.tab_switches, row.events])
    for column, width in zip("ABCDEFGHIJK", (14, 10, 7, 12, 20, 20, 8, 8, 9, 9, 12)):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
