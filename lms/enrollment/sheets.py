"""Excel sheets of enrollment, in and out: reading an upload row by row with every bad cell named
by sheet / row / column, writing a template or a list, and attendance sheets.

The files' headers and values are Chinese (男, 本科, 出勤...): that is the file format, whatever
language the staff member reads the page in. Uploads go through `lms.core.xlsx.open_workbook`
(no zip bombs, no XML entities); exports through `append_rows` (text stays text).
"""
from __future__ import annotations

import io
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from lms.core.enums import LabeledEnum
from lms.core.errors import ValidationFailed
from lms.core.ids import normalize_id_number
from lms.core.xlsx import append_rows, open_workbook
from lms.enrollment.attendance import enrolled_in, mark_attendance
from lms.enrollment.cohorts import require_manage
from lms.enrollment.enums import AttendanceMethod, AttendanceStatus
from lms.enrollment.models import CohortSession
from lms.enrollment.profiles import profiles_by_user

ATTENDANCE_SHEET = "考勤"
ATTENDANCE_COLUMNS = ["身份证号码", "姓名", "考勤"]


def file_values(enum: type[LabeledEnum], **aliases: LabeledEnum) -> dict[str, LabeledEnum]:
    """What a cell may say for each member: its Chinese label (the file format), its code value,
    and any customary short forms."""
    with force_locale("zh_CN"):
        values = {member.label: member for member in enum}
    return {**values, **{member.value: member for member in enum}, **aliases}


def shown_values(values: dict[str, Any]) -> str:
    """The values a column accepts, as the template and the error messages list them."""
    return _("、").join(value for value in values if not value.isascii())


def workbook_bytes(sheet_name: str, headers: list[str], rows: list[list[Any]] = (), notes: list[str] = (),
                   notes_title: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    append_rows(sheet, [headers, *rows])
    for i, header in enumerate(headers, 1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(12, len(header) * 2 + 4)
        for cell in sheet[letter]:
            cell.number_format = "@"  # text: long ID numbers keep every digit
    if notes:
        help_sheet = book.create_sheet(notes_title)
        append_rows(help_sheet, [[line] for line in notes])
        help_sheet.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(data: bytes, expected: list[str]):
    """(sheet title, column index per header found, data rows as (row number, values)); every
    expected header must be there, optional ones are indexed when present."""
    book = open_workbook(data, "file")
    sheet = book.worksheets[0]
    try:  # a read-only workbook parses its sheet only now
        rows = list(sheet.iter_rows(values_only=True))
    except Exception:  # noqa: BLE001 - openpyxl and the XML parser raise many kinds; all mean "not a workbook"
        raise ValidationFailed(_l("无法读取该文件"), {"file": _l("不是有效的 Excel (.xlsx) 文件")}) from None
    header = [cell_text(v) for v in (rows[0] if rows else [])]
    missing = [h for h in expected if h not in header]
    if missing:
        raise ValidationFailed(_l("表头不符合模板"), {f"{sheet.title}!1": _l(
            "工作表“%(sheet)s”第1行缺少列：%(columns)s", sheet=sheet.title, columns=_("、").join(missing))})
    columns = {h: i for i, h in enumerate(header) if h}
    body = [(n, row) for n, row in enumerate(rows[1:], 2) if any(cell_text(v) for v in row)]
    if not body:
        raise ValidationFailed(_l("文件中没有数据"), {"file": _l("工作表“%(sheet)s”没有数据行", sheet=sheet.title)})
    return sheet.title, columns, body


def value_at(values, column: int | None) -> str:
    return cell_text(values[column]) if column is not None and column < len(values) else ""


class CellProblems(dict):
    """Problems keyed `sheet!C3`, each saying where in words and what is wrong."""

    def __init__(self, sheet: str):
        super().__init__()
        self.sheet = sheet

    def key(self, row: int, column: int) -> str:
        return f"{self.sheet}!{get_column_letter(column + 1)}{row}"

    def add(self, row: int, column: int, header: str, reason, replace: bool = True) -> None:
        key = self.key(row, column)
        if replace or key not in self:
            place = _("工作表“%(sheet)s”第%(row)s行 %(column)s列（%(header)s）", sheet=self.sheet, row=row,
                      column=get_column_letter(column + 1), header=header)
            self[key] = _("%(place)s：%(reason)s", place=place, reason=reason)


# ---- attendance -------------------------------------------------------------------------------

def attendance_template(session: CohortSession) -> bytes:
    """The session's enrolled trainees, each marked 出勤, to correct and upload again."""
    enrolled = enrolled_in(session.cohort_id)
    profiles = profiles_by_user(a.user_id for a in enrolled)
    with force_locale("zh_CN"):
        present = AttendanceStatus.PRESENT.label
    rows = [[p.id_number if (p := profiles.get(a.user_id)) else "", p.name if p else a.user.name, present]
            for a in enrolled]
    return workbook_bytes(ATTENDANCE_SHEET, ATTENDANCE_COLUMNS, rows)


def import_attendance(actor, session: CohortSession, data: bytes) -> int:
    """Set a session's attendance from a sheet of (身份证号码, 姓名, 考勤)."""
    require_manage(actor, session.cohort)
    sheet, columns, body = read_sheet(data, ATTENDANCE_COLUMNS)
    enrolled = enrolled_in(session.cohort_id)
    profiles = profiles_by_user(a.user_id for a in enrolled)
    by_id_number = {p.id_number: a.id for a in enrolled if (p := profiles.get(a.user_id)) is not None}
    statuses = file_values(AttendanceStatus)
    problems = CellProblems(sheet)
    records: dict[int, AttendanceStatus] = {}
    for row, values in body:
        id_number = normalize_id_number(value_at(values, columns["身份证号码"]))
        status_text = value_at(values, columns["考勤"])
        if id_number not in by_id_number:
            problems.add(row, columns["身份证号码"], "身份证号码",
                         _("“%(value)s”不是本班次已录取的学员", value=id_number))
        if status_text not in statuses:
            problems.add(row, columns["考勤"], "考勤", _("“%(value)s”应为 %(allowed)s 之一", value=status_text,
                                                        allowed=shown_values(statuses)))
        if id_number in by_id_number and status_text in statuses:
            records[by_id_number[id_number]] = statuses[status_text]
    if problems:
        raise ValidationFailed(lazy_ngettext("考勤表有 %(num)d 处错误，未导入任何记录",
                                             "考勤表有 %(num)d 处错误，未导入任何记录", len(problems)), dict(problems))
    return mark_attendance(actor, session, records, method=AttendanceMethod.IMPORT)


PROGRESS_SHEET = "学员进度"


def progress_workbook(cohort, rows) -> bytes:
    """The class roster with its progress, for staff: one row per admitted trainee (name, unit,
    position, level, phone, the deciding totals, then hours per module). Chinese headers, like
    every file of the system; text cells stay text (a phone number is not a number)."""
    book = Workbook()
    sheet = book.active
    sheet.title = PROGRESS_SHEET
    modules = list(cohort.program.modules)
    with force_locale("zh_CN"):
        header = ["姓名", "单位", "职务", "职务层级", "手机号码", "已修学时", "应修学时", "出勤率", "考试资格"]
        header += [f"{m.title}（{m.hours:g} 学时）" for m in modules]
        body = []
        for application, profile, progress in rows:
            level = profile.position_level.label if profile and profile.position_level else ""
            body.append([
                profile.name if profile else application.user.name,
                profile.enterprise.name if profile and profile.enterprise else "",
                profile.position if profile else "", str(level), profile.phone if profile else "",
                progress.hours_done, progress.hours_required, round(progress.ratio, 4),
                "达到" if progress.requirement_met else "未达到",
                *[progress.hours_by_module.get(m.code, 0) for m in modules]])
    append_rows(sheet, [header, *body])
    for row in sheet.iter_rows(min_row=2):
        row[7].number_format = "0%"
        for cell in row[:5]:
            cell.number_format = "@"  # text, as typed: a phone number keeps its leading digits
    for index, width in enumerate([10, 24, 14, 14, 14, 9, 9, 8, 9], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
