"""Every page of programs and enrollment renders for the roles that use it (demo data), and the
main web flows work: profile, apply, review, roster, attendance, check-in, nomination, notifications."""
import io
import re

import pytest
from sqlalchemy import select

from lms.accounts.models import User
from lms.demo import DEMO_PASSWORD
from lms.enrollment import services
from lms.enrollment.checkin import current_code, is_open
from lms.enrollment.models import Application, Cohort
from lms.extensions import db
from lms.programs.models import Program, Teacher
from tests.enrollment.conftest import profile_data


@pytest.fixture
def demo(runner):
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0


def _login(client, username):
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def _ids():
    program = db.session.scalar(select(Program).where(Program.code == "SH-DIR"))
    running = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-RUN"))
    return program, running, running.sessions[0], db.session.scalar(select(Teacher))


def test_pages_render_for_their_roles(client, demo):
    program, running, session, teacher = _ids()
    trainee_app = db.session.scalar(select(Application).where(Application.cohort_id == running.id))
    pages = {
        "admin": ["/programs", f"/programs/{program.id}", "/admin/programs/new", f"/admin/programs/{program.id}/edit",
                  f"/admin/programs/{program.id}/rules", f"/admin/programs/{program.id}/rules?preset=liaoning_specialist",
                  "/teachers", "/staff/cohorts", f"/staff/cohorts/{running.code}"],
        "institution": ["/staff/cohorts", "/staff/cohorts/new", f"/staff/cohorts/{running.code}",
                        f"/staff/cohorts/{running.code}/edit", f"/staff/cohorts/{running.code}/applications",
                        f"/staff/applications/{trainee_app.id}", f"/staff/cohorts/{running.code}/roster",
                        f"/staff/cohorts/{running.code}/progress", f"/staff/sessions/{session.id}/attendance",
                        f"/staff/sessions/{session.id}/qr", "/teachers", f"/teachers/{teacher.id}/edit", "/teachers/new"],
        "bureau": ["/staff/cohorts", f"/staff/cohorts/{running.code}/applications", f"/staff/applications/{trainee_app.id}",
                   f"/staff/cohorts/{running.code}/progress", "/programs"],
        "trainee": ["/my/profile", "/cohorts", "/my/applications", f"/my/applications/{trainee_app.id}", "/notifications"],
        "enterprise": ["/enterprise/employees", "/notifications"],
    }
    for username, urls in pages.items():
        _login(client, username)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
    # downloads
    _login(client, "institution")
    for url in ("/staff/roster-template.xlsx", f"/staff/sessions/{session.id}/attendance.xlsx"):
        response = client.get(url)
        assert response.status_code == 200 and response.data.startswith(b"PK")
    data = client.get(f"/staff/sessions/{session.id}/qr.json").get_json()
    assert data["svg"].startswith("<svg") and f"/checkin/{session.id}/" in data["url"]


def test_roles_are_kept_out(client, demo):
    _program, running, session, _teacher = _ids()
    _login(client, "trainee")
    for url in ("/staff/cohorts", "/admin/programs/new", "/teachers", f"/staff/sessions/{session.id}/qr"):
        assert client.get(url).status_code in (403, 404), url
    _login(client, "bureau")
    assert client.get(f"/staff/sessions/{session.id}/qr").status_code == 403
    assert client.post(f"/staff/cohorts/{running.code}/roster").status_code == 403


def test_trainee_fills_profile_and_applies_then_institution_approves(client, demo):
    _login(client, "applicant")
    open_cohort = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-OPEN"))
    response = client.post(f"/cohorts/{open_cohort.code}/apply", follow_redirects=True)
    html = response.get_data(as_text=True)
    # the programme's rule tree, each condition marked with what the profile says
    assert "符合任职条件" in html and '<span class="rule-mark rule-mark-eligible">✓ 满足</span> ' \
        "标准化工作年限3年以上（当前：3.5年）" in html
    assert "等待承办机构审核录取" in html and "首先未满足" not in html
    application = db.session.scalar(select(Application).where(Application.cohort_id == open_cohort.id))
    _login(client, "institution")
    response = client.post(f"/staff/applications/{application.id}", data={"action": "reject", "note": ""})
    assert "请填写不予录取的理由" in response.get_data(as_text=True)
    response = client.post(f"/staff/applications/{application.id}", data={"action": "approve", "note": "欢迎"},
                           follow_redirects=True)
    assert response.status_code == 200
    db.session.expire_all()
    assert application.status == "approved"
    _login(client, "applicant")
    assert "恭喜，您已被录取" in client.get("/notifications").get_data(as_text=True)


def test_profile_form_shows_field_errors(client, make_user, login):
    login(make_user("trainee"))
    data = profile_data(id_number="110105194912310021", phone="999")
    data["standardization_major"] = ""
    response = client.post("/my/profile", data=data)
    html = response.get_data(as_text=True)
    assert "身份证号码校验位不正确" in html or "身份证号码" in html
    assert "请填写11位中国大陆手机号码" in html


def test_checkin_url_records_once_and_asks_unknown_visitors_to_log_in(client, demo):
    running = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-RUN"))
    today_session = next(s for s in running.sessions if is_open(s))
    url = f"/checkin/{today_session.id}/{current_code(today_session)['token']}"
    response = client.get(url)  # not logged in: verified, then the login page
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/login?next=/checkin/pending", data={"username": "trainee", "password": DEMO_PASSWORD},
                           follow_redirects=True)
    assert "签到成功" in response.get_data(as_text=True)
    assert "您已签到" in client.get(url).get_data(as_text=True)
    stale = client.get(f"/checkin/{today_session.id}/0123456789abcdef01234567")
    assert stale.status_code == 409 and "不是本课次的签到码" in stale.get_data(as_text=True)


def test_enterprise_nominates_an_employee(client, demo):
    _login(client, "enterprise")
    applicant = db.session.scalar(select(User).where(User.username == "applicant"))
    open_cohort = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-OPEN"))
    response = client.post("/enterprise/employees", data={"trainee_id": applicant.id, "cohort_id": open_cohort.id},
                           follow_redirects=True)
    assert "已推荐，等待员工本人确认" in response.get_data(as_text=True)
    application = db.session.scalar(select(Application).where(Application.user_id == applicant.id))
    assert application.status == "nominated"
    _login(client, "applicant")
    client.post(f"/my/applications/{application.id}/confirm")
    db.session.expire_all()
    assert application.status == "eligible"


def test_staff_mark_attendance_on_the_page(client, demo):
    running = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-RUN"))
    session = running.sessions[-1]
    enrolled = services.enrolled_in(running.id)[0]
    _login(client, "institution")
    response = client.post(f"/staff/sessions/{session.id}/attendance", data={f"status-{enrolled.id}": "excused"},
                           follow_redirects=True)
    assert "考勤已保存" in response.get_data(as_text=True)
    assert services.attendance_of(session)[enrolled.id].status == "excused"


def test_admin_edits_rules_with_json_errors_shown(client, demo):
    program = db.session.scalar(select(Program).where(Program.code == "SH-DIR"))
    _login(client, "admin")
    response = client.post(f"/admin/programs/{program.id}/rules", data={"rules": "{not json"})
    assert "不是有效的 JSON" in response.get_data(as_text=True)
    response = client.post(f"/admin/programs/{program.id}/rules", data={"rules": '{"any": []}'})
    assert "应为非空列表" in response.get_data(as_text=True)
    response = client.post(f"/admin/programs/{program.id}/rules",
                           data={"rules": '{"field": "education", "op": "gte", "value": "bachelor"}'})
    assert response.status_code == 302
    db.session.expire_all()
    assert program.eligibility_rules == {"field": "education", "op": "gte", "value": "bachelor"}


def test_roster_upload_page_lists_every_error(client, demo):
    from openpyxl import Workbook

    from lms.enrollment.roster import ROSTER_COLUMNS

    book = Workbook()
    book.active.title = "学员名单"
    book.active.append([c[0] for c in ROSTER_COLUMNS])
    book.active.append(["", "男", "123", "", "", "", "", "本科", "", "否", "中级", "3", "拟任"])
    out = io.BytesIO()
    book.save(out)
    _login(client, "institution")
    response = client.post("/staff/cohorts/SH-DIR-OPEN/roster", data={"file": (io.BytesIO(out.getvalue()), "r.xlsx")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "未导入任何记录" in html
    assert len(re.findall("工作表“学员名单”第2行", html)) >= 4


def test_document_and_photo_uploads_through_the_pages(client, demo):
    from tests.enrollment.test_files import PDF, _jpeg_with_exif

    _login(client, "trainee")
    application = db.session.scalar(select(Application).join(User, Application.user_id == User.id)
                                     .where(User.username == "trainee"))
    url = f"/my/applications/{application.id}/documents"
    response = client.post(url, data={"file": (io.BytesIO(b"<html>fake</html>"), "证书.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "只接受 PDF、JPEG 或 PNG" in response.get_data(as_text=True)
    response = client.post(url, data={"file": (io.BytesIO(PDF), "证书.pdf")}, content_type="multipart/form-data",
                           follow_redirects=True)
    assert "材料已上传" in response.get_data(as_text=True) and "证书.pdf" in response.get_data(as_text=True)

    response = client.post("/my/profile/photo", data={"photo": (io.BytesIO(_jpeg_with_exif()), "me.jpg")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "照片已更新" in response.get_data(as_text=True)
    trainee = db.session.scalar(select(User).where(User.username == "trainee"))
    photo = client.get(f"/profiles/{trainee.id}/photo")
    assert photo.status_code == 200 and b"SpyCam" not in photo.data
    photo.close()
    _login(client, "enterprise")  # sees progress, not photos or documents
    assert client.get(f"/profiles/{trainee.id}/photo").status_code == 404
    _login(client, "institution")
    photo = client.get(f"/profiles/{trainee.id}/photo")
    assert photo.status_code == 200
    photo.close()


def test_institution_opens_a_cohort_and_schedules_a_session(client, demo):
    from lms.orgs.models import Institution, Region

    program = db.session.scalar(select(Program).where(Program.code == "SH-DIR"))
    institution = db.session.scalar(select(Institution).where(Institution.code == "SH-STC"))
    region = db.session.scalar(select(Region).where(Region.code == "310105"))
    _login(client, "institution")
    data = {"code": "SH-DIR-2030", "title": "2030年研修班", "program_id": program.id, "institution_id": institution.id,
            "region_id": region.id, "starts_on": "2030-03-01", "ends_on": "2030-03-05",
            "applications_open_on": "2030-01-01", "applications_close_on": "2030-02-01", "capacity": "30",
            "place": "长宁"}
    html = client.post("/staff/cohorts/new", data=data).get_data(as_text=True)
    assert "承办机构资质有效期（2025-01-01 至 2029-12-31）未覆盖班次日期，不能开班" in html
    data.update(code="SH-DIR-2029", starts_on="2029-03-01", ends_on="2029-03-05", applications_open_on="2029-01-01",
                applications_close_on="2029-02-01")
    response = client.post("/staff/cohorts/new", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/cohorts/SH-DIR-2029")

    unqualified = Teacher(institution=institution, name="新老师", qualifications=[])
    db.session.add(unqualified)
    db.session.commit()
    session = {"module_id": program.modules[0].id, "teacher_id": unqualified.id, "day": "2029-03-01",
               "begins": "09:00", "ends": "12:00", "hours": "4", "place": ""}
    html = client.post("/staff/cohorts/SH-DIR-2029", data=session).get_data(as_text=True)
    assert "教师新老师不满足本项目师资条件，缺少：高级职称或10年以上标准化工作经历" in html
    qualified = db.session.scalar(select(Teacher).where(Teacher.name == "陈立新"))
    response = client.post("/staff/cohorts/SH-DIR-2029", data={**session, "teacher_id": qualified.id},
                           follow_redirects=True)
    assert "课次已添加" in response.get_data(as_text=True)


@pytest.mark.parametrize("target, lands", [("https://evil.example/x", "/my/profile"), ("//evil.example", "/my/profile"),
                                           ("/\\evil.example", "/my/profile"), ("/cohorts", "/cohorts")])
def test_the_profile_form_goes_on_only_to_a_local_page(client, make_user, login, make_region, target, lands):
    make_region("310105", "长宁区")
    login(make_user("trainee"))
    data = profile_data(position_level="department_head")
    data["standardization_major"] = ""
    response = client.post("/my/profile", query_string={"next": target}, data=data)
    assert response.status_code == 302 and response.headers["Location"] == lands


def test_the_profile_form_asks_the_position_level(client, make_user, login, make_region):
    from lms.enrollment.profiles import profile_of

    make_region("310105", "长宁区")
    user = make_user("trainee")
    login(user)
    assert 'name="position_level"' in client.get("/my/profile").get_data(as_text=True)
    data = profile_data(position_level="")
    data["standardization_major"] = ""
    response = client.post("/my/profile", data=data)
    assert response.status_code == 200 and "请选择职务层级" in response.get_data(as_text=True)
    response = client.post("/my/profile", data={**data, "position_level": "deputy_head"})
    assert response.status_code == 302 and profile_of(user).position_level == "deputy_head"


def test_an_invited_newcomer_signs_in_with_the_roster_line_and_accepts(client, demo):
    from openpyxl import Workbook

    from lms.demo import demo_uscc
    from lms.enrollment.roster import ROSTER_COLUMNS
    from tests.enrollment.conftest import make_id_number

    id_number = make_id_number()
    values = {"姓名": "周受邀", "性别": "女", "身份证号码": id_number, "手机号码": "13811112222",
              "单位统一社会信用代码": demo_uscc("310105", 101), "单位名称": "", "职务": "标准化专员", "学历": "本科",
              "所学专业": "化学", "是否标准化专业": "否", "职称": "中级", "标准化工作年限": 2, "任职状态": "拟任",
              "职务层级": "一般员工"}
    book = Workbook()
    book.active.append([header for header, _name in ROSTER_COLUMNS])
    book.active.append([values[header] for header, _name in ROSTER_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    _login(client, "institution")
    html = client.post("/staff/cohorts/SH-DIR-OPEN/roster", data={"file": (io.BytesIO(out.getvalue()), "r.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "已向 1 人发出邀请" in html
    username, password = re.findall(r'<td class="code">([^<]+)</td>', html)[1:3]
    assert username == f"t{id_number.lower()}"

    client.post("/logout")
    assert client.post("/login", data={"username": username, "password": password}).status_code == 302
    invitation = db.session.scalar(select(Application).join(User, Application.user_id == User.id)
                                   .where(User.username == username))
    page = client.get(f"/my/applications/{invitation.id}").get_data(as_text=True)
    assert "承办机构邀请，待本人确认" in page and "接受邀请" in page
    response = client.post(f"/my/applications/{invitation.id}/confirm", follow_redirects=True)
    assert "已录取" in response.get_data(as_text=True)
