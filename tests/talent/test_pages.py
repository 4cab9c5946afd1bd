"""The pages a person, HR and a bureau use to move a filing along."""
import re

from sqlalchemy import select

from lms.extensions import db
from lms.talent.models import Filing, FilingStatus


def _form(**overrides) -> dict:
    data = {"ethnicity": "汉族", "political_status": "masses", "email": "zhao@example.cn", "title_name": "工程师",
            "school": "东北大学", "remarks": "",
            "work_history-0-start": "2010-07", "work_history-0-end": "", "work_history-0-employer": "沈阳某厂",
            "work_history-0-job": "技术员",
            "work_history-1-start": "", "work_history-1-end": "", "work_history-1-employer": "",
            "work_history-1-job": "",
            "work_history-2-start": "2020-01", "work_history-2-end": "2019-01", "work_history-2-employer": "乙",
            "work_history-2-job": "丙",
            "achievements-0-kind": "", "achievements-0-title": "", "achievements-0-number": "",
            "achievements-0-role": ""}
    data.update(overrides)
    return data


def test_the_person_starts_fills_in_and_submits_from_the_pages(world, appoint, client, login):
    appointment = appoint()
    login(world.person)
    assert "填写信息备案表" in client.get("/my/filings").get_data(as_text=True)
    started = client.post("/my/filings/new", data={"appointment_id": str(appointment.id)})
    filing = db.session.scalar(select(Filing))
    assert started.headers["Location"].endswith(f"/talent/filings/{filing.id}/edit")
    edit_url = f"/talent/filings/{filing.id}/edit"
    page = client.get(edit_url).get_data(as_text=True)
    assert filing.form["id_number"] in page and 'name="work_history-1-start"' in page  # two empty rows offered

    bad = client.post(edit_url, data=_form(then="save")).get_data(as_text=True)
    # the problem of the second kept period is shown on the form's third row (the blank one was skipped)
    row = re.search(r'id="work-3"(.*?)</fieldset>', bad, re.S).group(1)
    assert "第 2 条：结束年月早于开始年月" in row and 'id="work_history-2-end"' in row
    assert "结束年月早于开始年月" not in bad.split('id="work-3"')[0]  # not repeated at the top
    db.session.expire_all()
    assert db.session.get(Filing, filing.id).form["work_history"] == []  # nothing saved

    good = _form(then="submit", **{"work_history-2-end": "2021-01"})
    response = client.post(edit_url, data=good)
    assert response.status_code == 302
    db.session.expire_all()
    filing = db.session.get(Filing, filing.id)
    assert filing.status == FilingStatus.SUBMITTED and len(filing.form["work_history"]) == 2
    assert client.get(edit_url).status_code == 302  # no longer editable


def test_hr_returns_with_a_reason_then_endorses(world, filing_at, client, login):
    filing = filing_at("submitted")
    login(world.hr)
    assert world.person.name in client.get("/enterprise/filings").get_data(as_text=True)
    assert world.person.name in client.get("/home/enterprise").get_data(as_text=True)  # waiting on the home page
    refused = client.post(f"/talent/filings/{filing.id}/return", data={"reason": ""}, follow_redirects=True)
    assert "请填写退回原因" in refused.get_data(as_text=True)
    client.post(f"/talent/filings/{filing.id}/return", data={"reason": "请补充业绩"})
    db.session.expire_all()
    assert db.session.get(Filing, filing.id).status == FilingStatus.RETURNED
    client.post("/logout")
    login(world.person)
    assert "退回原因：请补充业绩" in client.get(f"/talent/filings/{filing.id}").get_data(as_text=True)
    client.post(f"/talent/filings/{filing.id}/submit")
    client.post("/logout")
    login(world.hr)
    client.post(f"/talent/filings/{filing.id}/endorse")
    db.session.expire_all()
    assert db.session.get(Filing, filing.id).status == FilingStatus.ENDORSED


def test_the_city_bureau_sees_what_waits_on_its_home_page_and_in_talent(world, filing_at, client, login):
    filing = filing_at("endorsed")
    login(world.city_bureau)
    assert "1 份备案表待受理" in client.get("/home/bureau").get_data(as_text=True)
    assert f"/talent/filings/{filing.id}" in client.get("/talent").get_data(as_text=True)


def test_an_unknown_step_is_not_found(world, filing_at, client, login):
    filing = filing_at("submitted")
    login(world.hr)
    assert client.post(f"/talent/filings/{filing.id}/delete").status_code == 404
