"""The yearly standing (required hours from the certificates valid that year, complete when the
year's credits reach it), who sees it, and the reminders."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lms.ce import ledger
from lms.ce.enums import Category, CreditSource
from lms.enrollment.profiles import profile_of
from lms.extensions import db
from lms.notifications.models import Notification


def _credit(person, hours, source_id, category=Category.PROFESSIONAL, day=date(2026, 5, 1),
            source=CreditSource.ACTIVITY):
    assert ledger.credit(person.id, source, source_id, hours=hours, category=category, title=f"来源{source_id}",
                         earned_on=day)
    db.session.commit()


def test_required_hours_are_the_largest_of_the_certificates_valid_that_year(make_trainee, make_certificate):
    person = make_trainee()
    make_certificate(person, hours_per_year=12, issued_on=date(2025, 3, 1))
    make_certificate(person, hours_per_year=20, issued_on=date(2026, 2, 1))
    make_certificate(person, hours_per_year=40, issued_on=date(2026, 2, 1), status="revoked")
    make_certificate(person, hours_per_year=30, issued_on=date(2020, 1, 1))  # valid until 2022-12-31
    assert ledger.standing(person.id, 2025).required_hours == 12
    assert ledger.standing(person.id, 2026).required_hours == 20
    assert ledger.standing(person.id, 2031).required_hours == 0


def test_the_year_is_complete_when_its_credits_reach_the_requirement(certified):
    person = certified(hours_per_year=12)
    _credit(person, 8, 1)
    _credit(person, 3, 2, category=Category.PUBLIC)
    _credit(person, 5, 3, day=date(2025, 12, 31))  # another year
    standing = ledger.standing(person.id, 2026)
    assert (standing.earned_hours, standing.complete, standing.missing_hours) == (11, False, 1)
    assert standing.by_category == {"professional": 8, "public": 3}
    _credit(person, 1, 4, source=CreditSource.CLAIM)
    assert ledger.standing(person.id, 2026).complete
    assert not ledger.credit(person.id, CreditSource.CLAIM, 4, hours=1, category=Category.PUBLIC, title="x",
                             earned_on=date(2026, 5, 1))  # the same source never credits twice


def test_my_standing_over_the_api(client, api_token, certified):
    person = certified()
    _credit(person, 2.5, 7)
    body = client.get("/api/v1/me/ce?year=2026", headers=api_token(person)).get_json()
    assert body["required_hours"] == 12 and body["earned_hours"] == 2.5 and body["complete"] is False
    assert body["by_category"] == {"public": 0, "professional": 2.5}
    assert [(c["source"], c["source_id"], c["title"]) for c in body["credits"]] == [("activity", 7, "来源7")]
    bad = client.get("/api/v1/me/ce?year=abc", headers=api_token(person))
    assert bad.status_code == 422 and "year" in bad.get_json()["error"]["fields"]


def test_hr_and_bureaus_in_scope_see_a_persons_standing(client, api_token, certified, make_user, make_region,
                                                        make_enterprise):
    person = certified()
    _credit(person, 4, 1)
    enterprise = profile_of(person).enterprise
    insiders = [make_user("enterprise", scope=enterprise), make_user("bureau", scope=make_region("310105", "长宁区")),
                make_user("admin")]
    outsiders = [make_user("enterprise", scope=make_enterprise()),
                 make_user("bureau", scope=make_region("210100", "沈阳市", level="city")), certified()]
    for viewer in insiders:
        headers = api_token(viewer)
        one = client.get(f"/api/v1/ce/people/{person.id}?year=2026", headers=headers)
        assert one.status_code == 200 and one.get_json()["earned_hours"] == 4
        listed = client.get("/api/v1/ce/people?year=2026", headers=headers).get_json()
        assert person.id in [row["user_id"] for row in listed]
    for viewer in outsiders:
        headers = api_token(viewer)
        assert client.get(f"/api/v1/ce/people/{person.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/ce/people", headers=api_token(outsiders[0])).get_json() == []
    assert client.get("/api/v1/ce/people", headers=api_token(outsiders[2])).status_code == 403


def test_the_people_pages_show_the_standing(client, login, certified, make_user):
    person = certified()
    _credit(person, 4, 1)
    login(make_user("enterprise", scope=profile_of(person).enterprise))
    listing = client.get("/ce/people?year=2026").get_data(as_text=True)
    assert person.name in listing and "尚差 8 学时" in listing
    page = client.get(f"/ce/people/{person.id}?year=2026").get_data(as_text=True)
    assert "来源1" in page


def _reminders(user_id):
    return db.session.scalars(select(Notification).where(Notification.user_id == user_id,
                                                         Notification.message_id == "ce.reminder")).all()


def test_reminders_go_out_on_the_configured_dates_once(runner, certified, app, monkeypatch):
    behind, done = certified(), certified()
    _credit(done, 12, 1)
    monkeypatch.setitem(app.config, "CE_REMIND_DATES", "11-01,12-01")
    quiet = runner.invoke(args=["lms", "ce", "remind", "--date", "2026-11-02"])
    assert "not a reminder date" in quiet.output and _reminders(behind.id) == []
    first = runner.invoke(args=["lms", "ce", "remind", "--date", "2026-12-01"])
    assert "reminded 1 of 1" in first.output, first.output
    again = runner.invoke(args=["lms", "ce", "remind", "--date", "2026-12-01"])
    assert "reminded 0 of 1" in again.output
    db.session.expire_all()
    (note,) = _reminders(behind.id)
    assert "尚差 12 学时" in note.text
    assert _reminders(done.id) == []
    forced = runner.invoke(args=["lms", "ce", "remind", "--date", "2026-12-02", "--force"])
    assert "reminded 1 of 1" in forced.output
