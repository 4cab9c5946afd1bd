"""The 汇总表 read back with openpyxl: header, one row per accepted filing, totals per post, and
its layout (widths, frozen header, A4 landscape); from the page, the API and the CLI."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from lms.enrollment.models import TraineeProfile
from lms.extensions import db
from lms.talent import summary
from sqlalchemy import select

HEADINGS = ["序号", "所在市", "姓名", "性别", "出生年月", "学历", "职称", "工作单位", "统一社会信用代码", "所属行业",
            "聘任岗位", "专职/兼职", "聘任时间", "合格证编号", "联系电话", "备注"]


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.fixture
def two_accepted(world, filing_at, make_person, certify):
    from lms.appointments.enterprises import save_profile

    save_profile(world.admin, world.enterprise, {"name": world.enterprise.name, "industry_section": "C",
                                                 "ownership": "state", "honours": []})
    first = filing_at("accepted")
    second_person = make_person(world.enterprise, name="=HYPERLINK(\"x\")", gender="female", born="19900301")
    certify(second_person, "cso")
    second = filing_at("accepted", person=second_person, post=world.cso)
    return first, second


def test_one_row_per_accepted_filing_with_the_listed_columns(world, two_accepted):
    first, second = two_accepted
    _name, data = summary.summary_workbook(world.city_bureau, "C2101")
    sheet = _sheet(data)
    assert sheet["A1"].value == "首席标准官和标准化专员信息汇总表"
    assert sheet["A2"].value == "填报单位（盖章）：沈阳市市场监督管理局"
    assert sheet["H2"].value == "联系人：沈阳市局" and sheet["J2"].value == "联系电话：13900001111"
    today = date.today()
    assert sheet["N2"].value == f"填报日期：{today.year}年{today.month}月{today.day}日"
    assert [cell.value for cell in sheet[3]] == HEADINGS
    profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == world.person.id))
    assert [cell.value for cell in sheet[4]] == [
        1, "沈阳市", "赵标准", "男", "1985-06", "本科", "工程师", world.enterprise.name, world.enterprise.uscc,
        "C 制造业", "标准化专员", "专职", first.form["appointed_on"], first.form["cert_no"], profile.phone,
        "兼任质量部副部长"]
    row = [cell.value for cell in sheet[5]]
    assert row[0] == 2 and row[2] == '=HYPERLINK("x")' and row[3] == "女" and row[10] == "首席标准官"
    assert sheet["C5"].data_type == "s"  # a name is text, never a live formula


def test_totals_per_post(world, two_accepted):
    sheet = _sheet(summary.summary_workbook(world.admin, "C2101")[1])
    rows = [[cell.value for cell in row][:4] for row in sheet.iter_rows(min_row=7)]
    assert rows == [["合计", None, "按聘任岗位", None], [None, None, "首席标准官", 1], [None, None, "标准化专员", 1],
                    [None, None, "总计", 2]]


def test_layout_widths_frozen_header_and_a4_landscape(world, two_accepted):
    sheet = _sheet(summary.summary_workbook(world.city_bureau, "C2101")[1])
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.column_dimensions["H"].width == 30 and sheet.column_dimensions["A"].width == 6
    assert "A1:P1" in {str(cells) for cells in sheet.merged_cells.ranges}


def test_a_year_keeps_only_that_years_acceptances_and_an_empty_table_still_has_its_header(world, two_accepted):
    sheet = _sheet(summary.summary_workbook(world.city_bureau, "C2101", date.today().year - 1)[1])
    assert [cell.value for cell in sheet[3]] == HEADINGS and sheet["A4"].value is None
    assert sheet["A1"].value == "首席标准官和标准化专员信息汇总表"


@pytest.mark.parametrize("who, region, status", [("other_bureau", "C2101", 404), ("district_bureau", "C2101", 404),
                                                 ("district_bureau", "D210102", 200), ("city_bureau", "NOPE", 404),
                                                 ("hr", "C2101", 403), ("city_bureau", "C2101", 200)])
def test_the_page_download_within_scope(world, two_accepted, client, login, who, region, status):
    login(getattr(world, who))
    response = client.get(f"/talent/summary.xlsx?region={region}")
    assert response.status_code == status
    if status == 200:
        assert response.mimetype.endswith("spreadsheetml.sheet") and _sheet(response.data)["C4"].value == "赵标准"


def test_a_bad_year_on_the_page_is_flashed_naming_it(world, two_accepted, client, login):
    login(world.city_bureau)
    response = client.get("/talent/summary.xlsx?region=C2101&year=twenty", follow_redirects=True)
    assert "年份应为四位数字" in response.get_data(as_text=True)


def test_the_api_download_and_its_refusals(world, two_accepted, client, api_token):
    headers = api_token(world.city_bureau)
    response = client.get("/api/v1/filings/summary.xlsx?region=C2101", headers=headers)
    assert response.status_code == 200 and _sheet(response.data)["B4"].value == "沈阳市"
    assert client.get("/api/v1/filings/summary.xlsx?region=C2102", headers=headers).status_code == 404
    bad = client.get("/api/v1/filings/summary.xlsx?region=C2101&year=20x6", headers=headers)
    assert bad.status_code == 422 and "year" in bad.get_json()["error"]["fields"]


def test_the_command_line_writes_the_workbook(world, two_accepted, runner, tmp_path):
    target = tmp_path / "汇总表.xlsx"
    result = runner.invoke(args=["lms", "report", "filings", "--region", "C2101", "--contact", "王五",
                                 "--phone", "024-1234", "-o", str(target)])
    assert result.exit_code == 0, result.output
    sheet = _sheet(target.read_bytes())
    assert sheet["H2"].value == "联系人：王五" and sheet["C4"].value == "赵标准"
    missing = runner.invoke(args=["lms", "report", "filings", "--region", "NOPE", "-o", str(target)])
    assert missing.exit_code != 0 and "未找到该地区" in missing.output
