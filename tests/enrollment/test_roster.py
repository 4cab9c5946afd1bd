"""Roster and attendance import from Excel: every bad cell reported by sheet/row/column; all or nothing;
a roster invites, it never enrolls, and its answer says nothing about who already has an account."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.core.errors import NotFound, ValidationFailed
from lms.enrollment import services
from lms.enrollment.models import Application, Attendance, Cohort
from lms.enrollment.profiles import profile_of
from lms.enrollment.roster import ROSTER_COLUMNS, import_roster, roster_template
from lms.enrollment.sheets import ATTENDANCE_COLUMNS, attendance_template, import_attendance
from lms.extensions import db
from lms.notifications.services import notifications_for, render
from tests.conftest import TEST_PASSWORD
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
              "职务层级": "一般员工", "学历": "本科", "所学专业": "化学", "是否标准化专业": "否", "职称": "中级", "标准化工作年限": 4,
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


def _answer(client, api_token, user, application, accept, password=TEST_PASSWORD):
    response = client.post(f"/api/v1/applications/{application.id}/confirm", json={"accept": accept},
                           headers=api_token(user, password))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["status"]


def test_a_roster_invites_everyone_alike_and_enrolls_no_one(setting, make_cohort, make_trainee, make_user, client,
                                                             api_token):
    cohort = make_cohort(capacity=4, institution=setting[0].institution)
    staff = setting[1]
    same = make_trainee(name="王测试", phone="13911112222")  # an account whose name matches the row
    other = make_trainee(name="李别人")  # an account the row's name does not match
    same_id, other_id = profile_of(same).id_number, profile_of(other).id_number
    rows = [_row(), _row(**{"姓名": "钱二", "学历": "硕士", "职务层级": ""}),
            _row(**{"姓名": "王测试", "身份证号码": same_id, "手机号码": "13800000000", "学历": "博士"}),
            _row(**{"姓名": "孙三", "身份证号码": other_id})]
    result = import_roster(staff, cohort, _xlsx(rows))
    db.session.commit()

    # every row gets the same kind of answer: name, masked ID number, `t` + ID number, a first-login password
    assert [name for name, *_rest in result.invited] == ["赵一", "钱二", "王测试", "孙三"]
    for (_name, masked, username, password), row in zip(result.invited, rows, strict=True):
        id_number = row[HEADERS.index("身份证号码")]
        assert masked == id_number[:3] + "*" * 11 + id_number[-4:] and username == f"t{id_number.lower()}"
        assert len(password) == 12
    # nobody is enrolled, no seat is taken, and the institution sees none of it
    assert db.session.get(Cohort, cohort.id).seats_taken == 0
    assert db.session.scalars(select(Application.status)).all() == ["invited"] * 3  # not for 孙三's row
    assert services.cohort_applications(staff, cohort) == [] and services.status_counts(staff, cohort) == {}
    assert services.cohort_applications(make_user("admin"), cohort) == []
    invitation = db.session.scalar(select(Application).where(Application.user_id == same.id))
    with pytest.raises(NotFound):
        services.get_application(staff, invitation.id)
    assert profile_of(same).phone == "13911112222" and profile_of(same).education == "bachelor"  # untouched
    assert "邀请您参加" in render(notifications_for(same)[0])
    assert notifications_for(other) == []

    # new people log in with what the roster page showed them
    _name, _masked, username, password = result.invited[0]
    newcomer = db.session.scalar(select(User).where(User.username == username))
    assert profile_of(newcomer).name == "赵一"
    newcomer_invitation = db.session.scalar(select(Application).where(Application.user_id == newcomer.id))
    assert _answer(client, api_token, newcomer, newcomer_invitation, False, password) == "declined"
    assert _answer(client, api_token, same, invitation, True) == "approved"
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).seats_taken == 1
    assert [a.user_id for a in services.cohort_applications(staff, cohort)] == [same.id]  # now the institution sees
    assert invitation.eligibility["result"] in ("eligible", "review", "ineligible")  # kept for the record


def test_an_accepted_invitation_waits_when_the_cohort_filled_meanwhile(
        setting, make_trainee, make_application, client, api_token):
    cohort, staff = setting
    invited = make_trainee(name="赵一")
    import_roster(staff, cohort, _xlsx([_row(**{"身份证号码": profile_of(invited).id_number})]))
    db.session.commit()
    for _ in range(3):  # three others take the three seats
        services.decide(staff, make_application(cohort, make_trainee()), "approve")
    db.session.commit()
    invitation = db.session.scalar(select(Application).where(Application.user_id == invited.id))
    assert _answer(client, api_token, invited, invitation, True) == "waitlisted"
    assert db.session.get(Cohort, cohort.id).seats_taken == 3


def test_the_import_page_reads_the_same_for_a_registered_and_an_unregistered_id_number(
        client, login, make_cohort, make_institution, make_user, make_trainee, make_region):
    make_region("310105", "长宁区")
    institution = make_institution()
    first, second = make_cohort(capacity=3, institution=institution), make_cohort(capacity=3, institution=institution)
    registered = make_trainee(name="赵一")
    login(make_user("institution", scope=institution))

    def page(cohort, row) -> str:
        response = client.post(f"/staff/cohorts/{cohort.code}/roster",
                               data={"file": (io.BytesIO(_xlsx([row])), "r.xlsx")}, content_type="multipart/form-data")
        assert response.status_code == 200
        html = response.get_data(as_text=True).replace(cohort.title, "COHORT").replace(cohort.code, "CODE")
        html = re.sub(r'name="csrf_token" type="hidden" value="[^"]*"|name="csrf_token" value="[^"]*"', "", html)
        return re.sub(r'<td class="code">[^<]*</td>', "<td/>", html)  # the per-person cells

    assert page(first, _row(**{"身份证号码": profile_of(registered).id_number})) == page(second, _row())
    assert page(first, _row(**{"姓名": "别人", "身份证号码": profile_of(registered).id_number})) == \
        page(second, _row(**{"姓名": "别人"}))


def test_a_row_already_applying_in_the_cohort_is_refused(setting, make_trainee, make_application):
    cohort, staff = setting
    trainee = make_trainee(name="赵一")
    make_application(cohort, trainee)  # the institution sees this application already
    with pytest.raises(ValidationFailed) as error:
        import_roster(staff, cohort, _xlsx([_row(**{"身份证号码": profile_of(trainee).id_number})]))
    assert "已报名本班次" in error.value.fields["学员名单!C2"]


def _hostile(kind: str) -> bytes:
    """A real workbook made hostile: a part that inflates to 21 MB, or a sheet with an external entity."""
    good, out = io.BytesIO(_xlsx([_row()])), io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if kind == "entity" and info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet', 1)
                data = data.replace(b"<v>", b"<v>&e;", 1)
            target.writestr(info, data)
        if kind == "bomb":
            target.writestr("xl/media/padding.xml", b" " * (21 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize("kind", ["bomb", "entity"])
def test_hostile_workbooks_are_refused_naming_the_file(setting, make_session, client, login, kind):
    cohort, staff = setting
    users_before = db.session.scalar(select(func.count()).select_from(User))
    with pytest.raises(ValidationFailed) as error:
        import_roster(staff, cohort, _hostile(kind))
    assert "file" in error.value.fields
    login(staff)
    response = client.post(f"/staff/cohorts/{cohort.code}/roster",
                           data={"file": (io.BytesIO(_hostile(kind)), "r.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422
    session = make_session(cohort)
    response = client.post(f"/staff/sessions/{session.id}/attendance/import",
                           data={"file": (io.BytesIO(_hostile(kind)), "a.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before


def test_attendance_imports_for_the_enrolled_and_names_are_never_formulas(
        setting, make_session, make_trainee, make_application):
    cohort, staff = setting
    for name in ("赵一", "钱二", "=HYPERLINK(\"http://evil.example\",\"点我\")"):
        services.decide(staff, make_application(cohort, make_trainee(name=name)), "approve")
    db.session.commit()

    session = make_session(cohort)
    book = load_workbook(io.BytesIO(attendance_template(session)))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ATTENDANCE_COLUMNS and sheet.max_row == 4
    formula = next(row[1] for row in sheet.iter_rows(min_row=2) if row[1].value.startswith("="))
    assert formula.data_type == "s"  # text, not a live formula in the staff member's spreadsheet
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
