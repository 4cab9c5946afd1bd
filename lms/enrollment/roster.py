"""Excel rosters: an institution invites a whole list to a cohort at once.

All or nothing: every bad cell is reported as sheet / row / column with the reason, and
nothing is imported unless the whole file is valid.

Identity. A roster names people by ID number, and an ID number may already belong to an
account, perhaps one another institution never had anything to do with. So an import never
enrolls anyone and never shows the importer anything about an existing account: every row
gets the same answer, an invitation and a first-login code, whether the ID number is new,
belongs to an account of that name, or belongs to an account of another name.

- ID number new: the account and profile are created from the row (username `t` + ID number,
  the code as its first password), with an invitation;
- ID number of an account whose profile has the same name: an invitation to that account;
  its profile is not touched;
- ID number of an account with another name: nothing at all (the row may be a typo, or
  someone else's number), though the answer looks the same.

An invitation (`invited`) is seen only by the invitee until they answer it (notification,
"my applications", `POST /api/v1/applications/{id}/confirm`): accepting takes a seat then
(approved, or waitlisted if the cohort is full by now); declining leaves nothing the
institution can see.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_ngettext
from sqlalchemy import select

from lms.accounts.models import RoleGrant, User
from lms.accounts.passwords import hash_password
from lms.core import audit
from lms.core.errors import ValidationFailed
from lms.core.ids import normalize_id_number
from lms.core.masking import mask_id_number
from lms.enrollment.applications import INVITED, PRIVATE
from lms.enrollment.decisions import link
from lms.enrollment.cohorts import require_manage
from lms.enrollment.enums import ApplicationStatus, Gender
from lms.enrollment.models import Application, Cohort, TraineeProfile
from lms.enrollment.profiles import check_profile, save_profile
from lms.enrollment.sheets import (CellProblems, file_values, read_sheet, shown_values, value_at,  # noqa: F401
                                   workbook_bytes)
from lms.enrollment.sheets import ATTENDANCE_COLUMNS, attendance_template, import_attendance  # noqa: F401
from lms.extensions import db
from lms.notifications.services import notify
from lms.programs.facts import AppointmentStatus, EducationLevel, PositionLevel, TitleLevel

ROSTER_SHEET = "学员名单"
_YES_NO = {"是": True, "否": False}
# Statuses from which a person may be invited (again); any other application of theirs in the
# cohort is one the institution already sees, and the row is refused as a duplicate.
REINVITABLE = (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED, *PRIVATE)


def _columns() -> list[tuple[str, str, dict[str, Any] | None, bool]]:
    """(header, profile field, cell value -> value or None for text, required)."""
    return [
        ("姓名", "name", None, True), ("性别", "gender", file_values(Gender), True),
        ("身份证号码", "id_number", None, True), ("手机号码", "phone", None, True),
        ("单位统一社会信用代码", "enterprise_uscc", None, True), ("单位名称", "enterprise_name", None, True),
        ("职务", "position", None, True),
        ("学历", "education", file_values(EducationLevel, 高中=EducationLevel.HIGH_SCHOOL, 硕士=EducationLevel.MASTER,
                                          博士=EducationLevel.DOCTORATE), True),
        ("所学专业", "major", None, True), ("是否标准化专业", "standardization_major", _YES_NO, True),
        ("职称", "title_level", file_values(TitleLevel), True), ("标准化工作年限", "standardization_years", None, True),
        ("任职状态", "appointment_status", file_values(AppointmentStatus), True),
        # added later, optional: rosters made from an older template still import
        ("职务层级", "position_level", file_values(PositionLevel, 部门负责人=PositionLevel.DEPARTMENT_HEAD,
                                                   中层=PositionLevel.DEPARTMENT_HEAD,
                                                   副总经理=PositionLevel.DEPUTY_HEAD), False),
    ]


ROSTER_COLUMNS = [(header, name) for header, name, _values, _required in _columns()]


def roster_template() -> bytes:
    notes = [_("在第一个工作表“学员名单”中每行填写一名学员，不要修改表头。")]
    notes += [_("%(header)s：%(values)s", header=header, values=shown_values(values))
              for header, _f, values, _r in _columns() if values]
    notes += [_("身份证号码：18位，末位可为X；单位统一社会信用代码：18位。系统会校验校验位。"),
              _("标准化工作年限：数字，如 3 或 2.5。职务层级一列可以不填。"),
              _("任何一处有误则整份名单都不导入；系统会列出每个错误所在的行和列。"),
              _("名单中的每个人都会收到参加本班次的邀请，本人接受后才录取。导入后会为每一行显示一个首次登录密码："
                "尚无账户的学员用账户名“t+身份证号码”和该密码登录；已有账户的学员用自己的账户登录。")]
    return workbook_bytes(ROSTER_SHEET, [header for header, _name in ROSTER_COLUMNS], notes=notes,
                          notes_title=_("填写说明"))


@dataclass
class RosterResult:
    # one line per row, alike for everyone: name, masked ID number, username to try, first-login password
    invited: list[tuple[str, str, str, str]] = field(default_factory=list)


def _read_rows(cohort: Cohort, data: bytes):
    """Each valid row as (row number, profile record); 422 naming every bad cell otherwise."""
    columns = _columns()
    sheet, found, body = read_sheet(data, [header for header, _n, _v, required in columns if required])
    problems = CellProblems(sheet)
    records, seen = [], {}
    for row, values in body:
        record: dict[str, Any] = {}
        for header, name, mapping, _required in columns:
            text = value_at(values, found.get(header))
            if mapping is None:
                record[name] = text
            elif text in mapping:
                record[name] = mapping[text]
            elif text or header != "职务层级":
                problems.add(row, found[header], header, _("“%(value)s”不是有效值，应为 %(allowed)s 之一",
                                                           value=text, allowed=shown_values(mapping)))
        record["id_number"] = normalize_id_number(record["id_number"])
        _clean, field_problems = check_profile(record, unique=False)
        for name, reason in field_problems.items():
            header = next(h for h, f, _m, _r in columns if f == name)
            problems.add(row, found[header], header, reason, replace=False)
        id_number, id_column = record["id_number"], found["身份证号码"]
        if id_number and id_number in seen:
            problems.add(row, id_column, "身份证号码", _("与第%(row)s行重复", row=seen[id_number]))
        seen.setdefault(id_number, row)
        if _visible_application(cohort, id_number) is not None:
            problems.add(row, id_column, "身份证号码", _("该学员已报名本班次，请在报名审核中处理"))
        records.append((row, record))
    if not problems and len(records) > cohort.seats_left:
        problems["file"] = _("名额不足：本班次剩余 %(left)s 个名额，名单有 %(rows)s 人", left=cohort.seats_left,
                             rows=len(records))
    if problems:
        raise ValidationFailed(lazy_ngettext("名单有 %(num)d 处错误，未导入任何记录",
                                             "名单有 %(num)d 处错误，未导入任何记录", len(problems)), dict(problems))
    return records


def _visible_application(cohort: Cohort, id_number: str) -> Application | None:
    """The application in this cohort, which the institution already sees, of whoever holds
    this ID number (a duplicate to settle in the review queue, not to import)."""
    return db.session.scalar(select(Application).join(TraineeProfile, TraineeProfile.user_id == Application.user_id)
                             .where(Application.cohort_id == cohort.id, TraineeProfile.id_number == id_number,
                                    Application.status.not_in(REINVITABLE)))


def _new_username(id_number: str) -> str:
    """`t` + ID number, or with a suffix when someone chose that name by hand."""
    base = f"t{id_number.lower()}"
    taken = set(db.session.scalars(select(User.username).where(User.username.like(f"{base}%"))))
    return next(candidate for n in range(1, len(taken) + 2)
                if (candidate := base if n == 1 else f"{base}-{n}") not in taken)


def _invite(actor, cohort: Cohort, user: User) -> None:
    application = db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                              Application.user_id == user.id))
    if application is not None and application.status == ApplicationStatus.INVITED:
        return  # already asked; one notification is enough
    application = application or Application(cohort=cohort, user_id=user.id)
    application.status, application.eligibility, application.enterprise_id = ApplicationStatus.INVITED, None, None
    application.decided_by_id, application.decided_at, application.decision_note = actor.id, None, ""
    application.waitlisted_at = application.withdrawn_at = None
    application.recommended_by_id = application.recommended_at = None
    db.session.add(application)
    db.session.flush()
    notify(user.id, INVITED, link(application), institution=cohort.institution.name, cohort=cohort.title)


def import_roster(actor, cohort: Cohort, data: bytes) -> RosterResult:
    """Invite every person of the file to the cohort (see the module's docstring)."""
    require_manage(actor, cohort)
    result = RosterResult()
    for _row, record in _read_rows(cohort, data):
        password = secrets.token_urlsafe(9)
        password_hash = hash_password(password)  # for every row: an import takes as long either way
        username = f"t{record['id_number'].lower()}"
        holder = db.session.scalar(select(TraineeProfile).where(TraineeProfile.id_number == record["id_number"]))
        if holder is None:
            username = _new_username(record["id_number"])
            user = User(username=username, name=record["name"], phone=record["phone"], password_hash=password_hash)
            user.grants.append(RoleGrant(role="trainee"))
            db.session.add(user)
            db.session.flush()
            save_profile(actor, record, user=user)
            _invite(actor, cohort, user)
        elif holder.name.strip() == record["name"]:
            _invite(actor, cohort, holder.user)
        result.invited.append((record["name"], mask_id_number(record["id_number"]), username, password))
    audit.record(actor, "cohort.roster_import", cohort, rows=len(result.invited))
    return result
