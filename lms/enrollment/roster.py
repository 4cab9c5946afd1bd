"""Excel rosters: an institution enrolls a whole list at once, and imports attendance.

All or nothing: every bad cell is reported as sheet / row / column with the reason, and
nothing is imported unless the whole file is valid.
"""
from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.accounts.models import RoleGrant, User
from lms.accounts.passwords import hash_password
from lms.core import audit
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.ids import normalize_id_number
from lms.core.time import utcnow
from lms.enrollment.applications import _take_seat
from lms.enrollment.attendance import enrolled_in, mark_attendance
from lms.enrollment.cohorts import manages
from lms.enrollment.models import (APPOINTMENT_STATUSES, ATTENDANCE_STATUSES, EDUCATION_LEVELS, GENDERS, TITLE_LEVELS,
                                   Application, Cohort, CohortSession, TraineeProfile)
from lms.notifications.services import message, notify
from lms.enrollment.profiles import check_profile, profile_facts, save_profile
from lms.extensions import db
from lms.programs.eligibility import evaluate

ROSTER_SHEET = "学员名单"
ATTENDANCE_SHEET = "考勤"
_YES_NO = {"是": True, "否": False}

ADMITTED_FROM_ROSTER = message("enrollment.admitted_from_roster", _l("您已被录取：%(cohort)s"))


def _reverse(labels: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**{v: k for k, v in labels.items()}, **(extra or {})}


# column header -> (profile field, label -> value mapping or None for text)
ROSTER_COLUMNS: list[tuple[str, str, dict | None]] = [
    ("姓名", "name", None), ("性别", "gender", _reverse(GENDERS)), ("身份证号码", "id_number", None),
    ("手机号码", "phone", None), ("单位统一社会信用代码", "enterprise_uscc", None), ("单位名称", "enterprise_name", None),
    ("职务", "position", None), ("学历", "education", _reverse(EDUCATION_LEVELS, {"高中": "high_school", "硕士": "master",
                                                                           "博士": "doctorate"})),
    ("所学专业", "major", None), ("是否标准化专业", "standardization_major", _YES_NO),
    ("职称", "title_level", _reverse(TITLE_LEVELS)), ("标准化工作年限", "standardization_years", None),
    ("任职状态", "appointment_status", _reverse(APPOINTMENT_STATUSES)),
]
ATTENDANCE_COLUMNS = ["身份证号码", "姓名", "考勤"]


def _workbook_bytes(sheet_name: str, headers: list[str], rows: list[list[Any]] = (),
                    notes: list[str] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for i, header in enumerate(headers, 1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(12, len(header) * 2 + 4)
        for cell in sheet[letter]:
            cell.number_format = "@"  # text: long ID numbers keep every digit
    if notes:
        help_sheet = book.create_sheet("填写说明")
        for line in notes:
            help_sheet.append([line])
        help_sheet.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster_template() -> bytes:
    notes = ["在第一个工作表“学员名单”中每行填写一名学员，不要修改表头。"]
    notes += [f"{header}：{'、'.join(mapping)}" for header, _f, mapping in ROSTER_COLUMNS if mapping]
    notes += ["身份证号码：18位，末位可为X；单位统一社会信用代码：18位。系统会校验校验位。",
              "标准化工作年限：数字，如 3 或 2.5。",
              "任何一处有误则整份名单都不导入；系统会列出每个错误所在的行和列。",
              "新学员的账户名为“t+身份证号码”，初始密码在导入成功后显示一次。"]
    return _workbook_bytes(ROSTER_SHEET, [c[0] for c in ROSTER_COLUMNS], notes=notes)


def attendance_template(session: CohortSession) -> bytes:
    rows = []
    for application in enrolled_in(session.cohort_id):
        profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == application.user_id))
        rows.append([profile.id_number if profile else "", profile.name if profile else application.user.name, "出勤"])
    return _workbook_bytes(ATTENDANCE_SHEET, ATTENDANCE_COLUMNS, rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(data: bytes, expected: list[str]):
    """(sheet title, column index per header, data rows as (row number, values))."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload gets the same answer
        raise ValidationFailed("无法读取该文件", {"file": "请上传 .xlsx 格式的 Excel 文件（可下载模板填写）"}) from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [_cell_text(v) for v in (rows[0] if rows else [])]
    missing = [h for h in expected if h not in header]
    if missing:
        raise ValidationFailed("表头不符合模板", {f"{sheet.title}!1": f"工作表“{sheet.title}”第1行缺少列：{'、'.join(missing)}"})
    columns = {h: header.index(h) for h in expected}
    body = [(n, row) for n, row in enumerate(rows[1:], 2) if any(_cell_text(v) for v in row)]
    if not body:
        raise ValidationFailed("文件中没有数据", {"file": f"工作表“{sheet.title}”没有数据行"})
    return sheet.title, columns, body


def _where(sheet: str, row: int, column: int, header: str) -> tuple[str, str]:
    letter = get_column_letter(column + 1)
    return f"{sheet}!{letter}{row}", f"工作表“{sheet}”第{row}行 {letter}列（{header}）"


@dataclass
class RosterResult:
    enrolled: int = 0
    new_accounts: list[tuple[str, str, str]] = field(default_factory=list)  # name, username, initial password


def import_roster(actor, cohort: Cohort, data: bytes) -> RosterResult:
    """Enroll every trainee of the file in the cohort, creating accounts and profiles as needed."""
    if not manages(actor, cohort):
        raise Forbidden("只有承办机构可以导入本班次名单")
    sheet, columns, body = _read_sheet(data, [c[0] for c in ROSTER_COLUMNS])
    problems: dict[str, str] = {}
    plans, seen = [], {}
    for row, values in body:
        raw = {header: _cell_text(values[columns[header]] if columns[header] < len(values) else None)
               for header, _f, _m in ROSTER_COLUMNS}
        record: dict[str, Any] = {}
        for header, name, mapping in ROSTER_COLUMNS:
            text = raw[header]
            if mapping is not None:
                if text not in mapping:
                    key, place = _where(sheet, row, columns[header], header)
                    problems[key] = f"{place}：“{text}”不是有效值，应为 {'、'.join(mapping)} 之一"
                record[name] = mapping.get(text)
            else:
                record[name] = text
        id_number = normalize_id_number(record["id_number"])
        existing = db.session.scalar(select(TraineeProfile).where(TraineeProfile.id_number == id_number))
        _clean, field_problems = check_profile(record, existing.user if existing else None)
        for name, reason in field_problems.items():
            header = next(h for h, f, _m in ROSTER_COLUMNS if f == name)
            key, place = _where(sheet, row, columns[header], header)
            problems.setdefault(key, f"{place}：{reason}")
        key, place = _where(sheet, row, columns["身份证号码"], "身份证号码")
        if id_number and id_number in seen:
            problems[key] = f"{place}：与第{seen[id_number]}行重复"
        seen.setdefault(id_number, row)
        if existing is not None and db.session.scalar(select(Application.id).where(
                Application.cohort_id == cohort.id, Application.user_id == existing.user_id,
                Application.status == "approved")):
            problems[key] = f"{place}：该学员已录取在本班次"
        username = f"t{id_number.lower()}"
        if existing is None and db.session.scalar(select(User.id).where(User.username == username)):
            problems[key] = f"{place}：账户名 {username} 已被占用，请联系管理员"
        plans.append((record, existing, username))
    if len(plans) > cohort.seats_left and not problems:
        problems["file"] = f"名额不足：本班次剩余 {cohort.seats_left} 个名额，名单有 {len(plans)} 人"
    if problems:
        raise ValidationFailed(f"名单有 {len(problems)} 处错误，未导入任何记录", problems)

    result = RosterResult()
    for record, existing, username in plans:
        if existing is None:
            password = secrets.token_urlsafe(9)
            user = User(username=username, name=record["name"], phone=record["phone"],
                        password_hash=hash_password(password))
            user.grants.append(RoleGrant(role="trainee"))
            db.session.add(user)
            db.session.flush()
            profile = save_profile(actor, record, user=user)
            result.new_accounts.append((record["name"], username, password))
        else:
            user, profile = existing.user, existing
        if not _take_seat(cohort.id):
            raise Conflict("导入过程中名额已满，未导入任何记录")
        application = db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                                   Application.user_id == user.id))
        application = application or Application(cohort=cohort, user_id=user.id)
        db.session.add(application)
        application.status = "approved"
        application.eligibility = evaluate(cohort.program.eligibility_rules, profile_facts(profile)).as_json()
        application.enterprise_id = profile.enterprise_id
        application.decided_by_id, application.decided_at = actor.id, utcnow()
        application.decision_note, application.withdrawn_at = "机构导入名单", None
        db.session.flush()
        notify(user.id, ADMITTED_FROM_ROSTER, f"/my/applications/{application.id}", cohort=cohort.title)
        result.enrolled += 1
    db.session.expire(cohort)
    audit.record(actor, "cohort.roster_import", cohort, enrolled=result.enrolled, new_accounts=len(result.new_accounts))
    return result


def import_attendance(actor, session: CohortSession, data: bytes) -> int:
    """Set a session's attendance from a sheet of (身份证号码, 姓名, 考勤)."""
    if not manages(actor, session.cohort):
        raise Forbidden("只有承办机构可以导入考勤")
    sheet, columns, body = _read_sheet(data, ATTENDANCE_COLUMNS)
    by_id_number = {}
    for application in enrolled_in(session.cohort_id):
        profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == application.user_id))
        if profile is not None:
            by_id_number[profile.id_number] = application.id
    statuses = _reverse(ATTENDANCE_STATUSES)
    problems: dict[str, str] = {}
    records: dict[int, str] = {}
    for row, values in body:
        id_number = normalize_id_number(_cell_text(values[columns["身份证号码"]]))
        status_text = _cell_text(values[columns["考勤"]])
        if id_number not in by_id_number:
            key, place = _where(sheet, row, columns["身份证号码"], "身份证号码")
            problems[key] = f"{place}：“{id_number}”不是本班次已录取的学员"
        if status_text not in statuses:
            key, place = _where(sheet, row, columns["考勤"], "考勤")
            problems[key] = f"{place}：“{status_text}”应为 {'、'.join(statuses)} 之一"
        if id_number in by_id_number and status_text in statuses:
            records[by_id_number[id_number]] = statuses[status_text]
    if problems:
        raise ValidationFailed(f"考勤表有 {len(problems)} 处错误，未导入任何记录", problems)
    return mark_attendance(actor, session, records, method="import")
