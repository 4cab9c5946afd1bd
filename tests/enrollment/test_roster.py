"""Roster and attendance import from Excel: every bad cell reported by sheet/row/column; all or nothing."""
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.core.errors import ValidationFailed
from lms.enrollment.models import Application, Attendance, Cohort
from lms.enrollment.roster import ATTENDANCE_COLUMNS, ROSTER_COLUMNS, attendance_template, import_attendance, \
    import_roster, roster_template
from lms.extensions import db
from tests.enrollment.conftest import make_id_number

HEADERS = [c[0] for c in ROSTER_COLUMNS]


def _xlsx(rows, headers=HEADERS, title="学员名单") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(**overrides):
    from lms.demo import demo_uscc

    values = {"姓名": "赵一", "性别": "男", "身份证号码": make_id_number(), "手机号码": "13811112222",
              "单位统一社会信用代码": demo_uscc("310105", 101), "单位名称": "导入测试企业", "职务": "标准化专员",
              "学历": "本科", "所学专业": "化学", "是否标准化专业": "否", "职称": "中级", "标准化工作年限": 4,
              "任职状态": "拟任"}
    values.update(overrides)
    return [values[h] for h in HEADERS]


@pytest.fixture
def setting(make_cohort, make_user, make_region):
    make_region("310105", "长宁区")
    cohort = make_cohort(capacity=3)
    return cohort, make_user("institution", scope=cohort.institution)


def test_template_has_the_chinese_headers():
    book = load_workbook(io.BytesIO(roster_template()))
    assert [c.value for c in book["学员名单"][1]] == HEADERS
    assert "填写说明" in book.sheetnames


def test_every_bad_cell_is_reported_and_nothing_is_imported(setting):
    cohort, staff = setting
    duplicate = make_id_number()
    rows = [_row(), _row(**{"身份证号码": "310105198506121234", "性别": "M"}),
            _row(**{"职称": "高级", "标准化工作年限": "三年"}), _row(**{"身份证号码": duplicate}),
            _row(**{"身份证号码": duplicate, "手机号码": "123"})]
    users_before = db.session.scalar(select(func.count()).select_from(User))
    with pytest.raises(ValidationFailed) as error:
        import_roster(staff, cohort, _xlsx(rows))
    fields = error.value.fields
    assert fields["学员名单!C3"].startswith("工作表“学员名单”第3行 C列（身份证号码）：") and "校验位" in fields["学员名单!C3"]
    assert "“M”不是有效值" in fields["学员名单!B3"]
    assert "“高级”不是有效值，应为 无、初级、中级、副高级、正高级 之一" in fields["学员名单!K4"]
    assert "标准化工作年限" in fields["学员名单!L4"]
    assert "与第5行重复" in fields["学员名单!C6"]
    assert "手机号码" in fields["学员名单!D6"]
    assert "学员名单!C2" not in fields  # the good row has no error...
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before  # ...and was not imported
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_missing_headers_and_unreadable_files(setting):
    cohort, staff = setting
    with pytest.raises(ValidationFailed) as error:
        import_roster(staff, cohort, _xlsx([["x"]], headers=["姓名", "电话"]))
    assert "第1行缺少列：性别、身份证号码" in next(iter(error.value.fields.values()))
    with pytest.raises(ValidationFailed) as error:
        import_roster(staff, cohort, b"PK\x03\x04 not really a workbook")
    assert ".xlsx" in error.value.fields["file"]


def test_capacity_is_checked_before_importing(setting):
    cohort, staff = setting
    with pytest.raises(ValidationFailed) as error:
        import_roster(staff, cohort, _xlsx([_row() for _ in range(4)]))
    assert "剩余 3 个名额，名单有 4 人" in error.value.fields["file"]


def test_valid_roster_enrolls_everyone_and_attendance_imports(setting, make_session, make_trainee):
    cohort, staff = setting
    existing = make_trainee()
    from lms.enrollment.profiles import profile_of

    rows = [_row(), _row(**{"姓名": "钱二", "学历": "硕士"}), _row(**{"身份证号码": profile_of(existing).id_number})]
    result = import_roster(staff, cohort, _xlsx(rows))
    db.session.commit()
    assert result.enrolled == 3 and len(result.new_accounts) == 2
    assert {name for name, _u, _p in result.new_accounts} == {"赵一", "钱二"}
    assert db.session.get(Cohort, cohort.id).seats_taken == 3
    statuses = db.session.scalars(select(Application.status).where(Application.cohort_id == cohort.id)).all()
    assert statuses == ["approved"] * 3

    session = make_session(cohort)
    book = load_workbook(io.BytesIO(attendance_template(session)))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ATTENDANCE_COLUMNS and sheet.max_row == 4
    sheet["C3"] = "迟到"
    sheet["C4"] = "旷课"
    bad = io.BytesIO()
    book.save(bad)
    with pytest.raises(ValidationFailed) as error:
        import_attendance(staff, session, bad.getvalue())
    assert error.value.fields == {"考勤!C4": "工作表“考勤”第4行 C列（考勤）：“旷课”应为 出勤、迟到、缺勤、请假 之一"}
    sheet["C4"] = "请假"
    good = io.BytesIO()
    book.save(good)
    assert import_attendance(staff, session, good.getvalue()) == 3
    db.session.commit()
    assert sorted(db.session.scalars(select(Attendance.status))) == ["excused", "late", "present"]
