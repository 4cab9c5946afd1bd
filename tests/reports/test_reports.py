"""Targets, the /reports page, the list behind each number, the API, the workbook and the CLI:
what a bureau or an administrator sees, and that they all show the same numbers."""
from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from lms.extensions import db
from lms.reports import services
from lms.reports.models import Target

TODAY = services.today()


@pytest.fixture
def filled(world):
    """Shanghai: three people certified in 长宁 and 静安 this year and before; Liaoning: two filed."""
    year = TODAY.year
    people = [world.person(n) for n in ("甲一", "乙二", "丙三", "丁四", "戊五")]
    world.certify(people[0], date(year - 2, 5, 1), enterprise="a1")
    world.certify(people[1], date(year, 1, 15), enterprise="a1")
    world.certify(people[2], date(year, 2, 1), enterprise="b1")
    cd = world.certify(people[3], date(year - 1, 3, 1), region="LN-SY", enterprise="sy")
    ce = world.certify(people[4], date(year - 1, 3, 1), region="LN-SY", enterprise="hp")
    world.file(people[3], "sy", date(year, 1, 10), cd)
    world.file(people[4], "hp", date(year, 1, 20), ce, post="ln-specialist")
    world.enroll(people[0], world.cohort("SH-B", date(year, 1, 5)))
    db.session.commit()
    return world


def bureau_of(make_user, world, key):
    return make_user("bureau", world.regions[key])


# ---- targets ---------------------------------------------------------------------------------

def test_the_seed_targets_ship_once(world, runner):
    from lms.orgs.services import region_by_code  # noqa: F401

    for code, name in (("310000", "上海市"), ("210000", "辽宁省"), ("330000", "浙江省")):
        from lms.orgs.services import add_region
        add_region(code, name, "province", None)
    db.session.commit()
    assert "3 target(s) added" in runner.invoke(args=["lms", "report", "seed-targets"]).output
    assert "0 target(s) added" in runner.invoke(args=["lms", "report", "seed-targets"]).output
    targets = {t.region.code: t for t in db.session.scalars(db.select(Target))}
    assert targets["310000"].filters == {"levels": ["director"]} and targets["310000"].value == 1000
    assert targets["210000"].filters == {"posts": ["ln-cso", "ln-director", "ln-specialist"]}
    assert targets["330000"].metric == "trained_person_times" and targets["330000"].value == 10000
    assert {t.deadline for t in targets.values()} == {date(2025, 12, 31)}


def test_a_passed_deadline_says_reached_or_missed_and_by_how_much(world):
    for i in range(3):
        world.certify(world.person(), date(2024, 3 + i, 1), enterprise="a1")
    world.certify(world.person(), date(2026, 1, 10), enterprise="b1")  # after the deadline
    reached = Target(region=world.regions["SH"], metric="certified_people", filters={}, title="达成", value=2,
                     starts_on=date(2024, 1, 1), deadline=date(2025, 12, 31))
    missed = Target(region=world.regions["SH"], metric="certified_people", filters={"levels": ["cso"]},
                    title="未达成", value=5, starts_on=date(2024, 1, 1), deadline=date(2025, 12, 31))
    db.session.add_all([reached, missed])
    db.session.commit()
    p = services.progress(reached, date(2026, 12, 5))
    assert (p.status, p.at_deadline, p.current, p.difference) == ("reached", 3, 4, 1)
    q = services.progress(missed, date(2026, 12, 5))
    assert (q.status, q.at_deadline, q.difference) == ("missed", 0, -5)
    ahead = services.progress(reached, date(2024, 6, 1))  # mid-way: projected from the pace so far
    assert ahead.status == "reached" and ahead.current == 3
    behind = services.progress(missed, date(2024, 6, 1))
    assert behind.status == "behind" and behind.projected == 0


def test_admins_create_and_edit_targets_and_others_may_not(world, make_user, login, client):
    admin = make_user("admin")
    login(admin)
    form = {"region": "R310000", "metric": "certified_people", "levels": ["director"], "title": "2027年目标",
            "value": "1500", "starts_on": "2026-01-01", "deadline": "2027-12-31", "source": "方案"}
    assert client.post("/reports/targets/new", data=form).status_code == 302
    target = db.session.scalar(db.select(Target))
    assert (target.value, target.filters, target.deadline) == (1500, {"levels": ["director"]}, date(2027, 12, 31))
    bad = client.post(f"/reports/targets/{target.id}", data={**form, "value": "0", "deadline": "2025-01-01",
                                                             "posts": ["nope"]})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "请填写正整数" in page and "截止日期须晚于起始日期" in page
    db.session.expire_all()
    assert db.session.get(Target, target.id).value == 1500  # nothing changed
    assert client.post(f"/reports/targets/{target.id}", data={**form, "value": "1600"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Target, target.id).value == 1600
    client.post("/logout")
    login(bureau_of(make_user, world, "SH"))
    assert client.get("/reports/targets/new").status_code == 403
    assert client.post(f"/reports/targets/{target.id}", data=form).status_code == 403


def test_the_next_target_is_offered_after_a_passed_one(world, make_user, login, client):
    target = Target(region=world.regions["SH"], metric="certified_people", filters={"levels": ["director"]},
                    title="旧目标", value=10, starts_on=date(2021, 1, 1), deadline=date(2025, 12, 31))
    db.session.add(target)
    db.session.commit()
    login(make_user("admin"))
    page = client.get("/reports").get_data(as_text=True)
    assert f"/reports/targets/new?after={target.id}" in page
    form = client.get(f"/reports/targets/new?after={target.id}").get_data(as_text=True)
    assert 'value="2026-01-01"' in form and 'value="2030-12-31"' in form and 'value="director" checked' in form


# ---- the page and its numbers -----------------------------------------------------------------

def _links(html: str) -> list[tuple[str, int]]:
    return [(href.replace("&amp;", "&"), int(n.replace(",", "")))
            for href, n in re.findall(r'<a class="num" href="([^"]+)">([\d,]+)</a>', html)]


def test_every_number_on_the_page_links_to_a_list_of_as_many_rows(filled, make_user, login, client):
    login(bureau_of(make_user, filled, "SH"))
    page = client.get(f"/reports?year={TODAY.year}")
    assert page.status_code == 200
    links = _links(page.get_data(as_text=True))
    assert len(links) > 20 and any(n > 0 for _h, n in links)
    checked = 0
    for href, number in links:
        if number == 0 and checked > 10:
            continue
        listed = client.get(href)
        assert listed.status_code == 200, href
        html = listed.get_data(as_text=True)
        total = int(re.search(r'id="list-total">([\d,]+)<', html).group(1).replace(",", ""))
        assert total == number, href
        assert html.count("<tr><td>") == min(number, 50) or number == 0, href
        checked += 1


def test_a_district_bureau_sees_its_district_only(filled, make_user, login, client):
    login(bureau_of(make_user, filled, "SH-A"))
    page = client.get(f"/reports?year={TODAY.year}").get_data(as_text=True)
    assert "长宁区" in page
    listed = client.get(f"/reports/list?metric=certified_people&region=R310105&last={TODAY.isoformat()}")
    assert int(re.search(r'id="list-total">(\d+)<', listed.get_data(as_text=True)).group(1)) == 2
    assert client.get("/reports?region=R310106").status_code == 404  # the neighbour district
    assert client.get(f"/reports/list?metric=certified_people&region=R310000&last={TODAY}").status_code == 404
    assert client.get("/reports/summary.xlsx?region=R310000").status_code == 404


def test_the_home_page_leads_with_the_figures_and_work_waiting(filled, make_user, login, client):
    login(bureau_of(make_user, filled, "LN-SY"))
    home = client.get("/home/bureau").get_data(as_text=True)
    panels = re.findall(r'data-domain="(\w+)"', home)
    assert panels[0] == "reports"
    figures = dict((urlsplit(h).query and parse_qs(urlsplit(h).query)["metric"][0], n) for h, n in _links(home))
    assert figures["filed_people"] == 2 and figures["certified_people"] == 2


def test_people_who_cannot_see_reports(filled, make_user, login, client):
    login(make_user("trainee"))
    assert client.get("/reports").status_code == 403


# ---- API, workbook, CLI -----------------------------------------------------------------------

def test_the_api_answers_in_scope_only(filled, make_user, api_token, client):
    headers = api_token(bureau_of(make_user, filled, "LN-SY"))
    ok = client.get(f"/api/v1/reports/summary?year={TODAY.year}", headers=headers)
    assert ok.status_code == 200
    body = ok.get_json()
    assert body["region"]["code"] == "R210100" and body["metrics"]["filed_people"] == 2
    assert [r["code"] for r in body["by_region"]] == ["R210102"]
    assert body["by_region"][0]["metrics"]["filed_people"] == 1
    assert client.get("/api/v1/reports/summary?region=R310000", headers=headers).status_code == 404
    bad = client.get("/api/v1/reports/summary?year=1900", headers=headers)
    assert bad.status_code == 422 and "year" in bad.get_json()["error"]["fields"]
    trainee = api_token(make_user("trainee"))
    assert client.get("/api/v1/reports/targets", headers=trainee).status_code == 403


def test_targets_over_the_api(filled, make_user, api_token, client):
    db.session.add(Target(region=filled.regions["LN"], metric="filed_people",
                          filters={"posts": ["ln-director", "ln-specialist"]}, title="入库", value=2,
                          starts_on=date(2023, 1, 1), deadline=date(TODAY.year + 1, 12, 31)))
    db.session.add(Target(region=filled.regions["SH"], metric="certified_people", filters={}, title="上海",
                          value=9, starts_on=date(2023, 1, 1), deadline=date(TODAY.year + 1, 12, 31)))
    db.session.commit()
    found = client.get("/api/v1/reports/targets", headers=api_token(bureau_of(make_user, filled, "LN-SY"))).get_json()
    assert [(t["region_code"], t["current"], t["status"]) for t in found] == [("R210000", 2, "reached")]


def test_the_cli_workbook_has_the_apis_numbers(filled, make_user, api_token, client, runner, tmp_path):
    out = tmp_path / "summary.xlsx"
    result = runner.invoke(args=["lms", "report", "summary", "--region", "R310000", "--year", str(TODAY.year),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    api = client.get(f"/api/v1/reports/summary?region=R310000&year={TODAY.year}",
                     headers=api_token(make_user("admin"))).get_json()
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
    assert book.sheetnames == ["概况", "分地区", "分岗位", "分行业", "分月"]
    headline = list(book["概况"].iter_rows(min_row=4, max_row=10, values_only=True))
    assert [row[1] for row in headline] == [api["metrics"][k] for k in services.YEAR_METRICS]
    assert api["metrics"]["certified_people"] == 2  # 乙 and 丙 are new this year
    regions = list(book["分地区"].iter_rows(min_row=4, values_only=True))
    by_code = {row[0]: list(row[2:]) for row in regions if row[0]}
    for child in api["by_region"]:
        assert by_code[child["code"]] == [child["metrics"][k] for k in services.YEAR_METRICS]
    assert list(regions[-1][2:]) == [api["metrics"][k] for k in services.YEAR_METRICS]
    sheet = book["分地区"]
    assert sheet.cell(row=3, column=2).value == "地区"
    months = list(book["分月"].iter_rows(min_row=4, values_only=True))
    assert sum(row[3] for row in months) == api["metrics"]["trained_person_times"]


def test_the_cli_refuses_an_unknown_region(runner, tmp_path):
    result = runner.invoke(args=["lms", "report", "summary", "--region", "NOPE", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code != 0 and "unknown region code: NOPE" in result.output


def test_the_download_is_a4_landscape(filled, make_user, login, client):
    login(make_user("admin"))
    response = client.get(f"/reports/summary.xlsx?region=R310000&year={TODAY.year}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_rows


def test_a_list_with_bad_input_says_what_is_wrong(world, make_user, login, client):
    login(make_user("admin"))
    bad = client.get("/reports/list?metric=certified_people&last=2026-13-01")
    assert bad.status_code == 422 and "请填写日期，格式 YYYY-MM-DD" in bad.get_data(as_text=True)
    unknown = client.get("/reports/list?metric=nope")
    assert unknown.status_code == 302
    assert client.get("/reports?year=abc").status_code == 200  # this year instead, with the problem flashed


def test_a_regions_page_shows_the_targets_it_takes_part_in(world, make_user, login, client):
    for key, title in (("SH", "上海目标"), ("LN", "辽宁目标"), ("LN-SY", "沈阳目标")):
        db.session.add(Target(region=world.regions[key], metric="certified_people", filters={}, title=title,
                              value=5, starts_on=date(2023, 1, 1), deadline=date(2025, 12, 31)))
    db.session.commit()
    login(make_user("admin"))
    everything = client.get("/reports").get_data(as_text=True)
    assert all(t in everything for t in ("上海目标", "辽宁目标", "沈阳目标"))
    district = client.get("/reports?region=R210102").get_data(as_text=True)  # 和平区: its city's and province's
    assert "辽宁目标" in district and "沈阳目标" in district and "上海目标" not in district
