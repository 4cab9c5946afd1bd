"""The trainee and staff JSON endpoints: profile (422 per field), open cohorts, applying with the
eligibility verdict, decisions and attendance."""
import pytest
from sqlalchemy import select

from lms.enrollment.models import Attendance, Enterprise
from lms.extensions import db
from tests.enrollment.conftest import profile_data


def test_me_has_no_profile_until_one_is_saved(client, make_user, api_token, make_region):
    make_region("310105", "长宁区")
    user = make_user("trainee")
    headers = api_token(user)
    assert client.get("/api/v1/me", headers=headers).get_json()["profile"] is None
    data = profile_data(enterprise_name="新登记企业")
    response = client.put("/api/v1/me/profile", json=data, headers=headers)
    assert response.status_code == 200, response.get_json()
    profile = client.get("/api/v1/me", headers=headers).get_json()["profile"]
    assert profile["id_number"] == data["id_number"] and profile["title_level"] == "intermediate"
    # a USCC the system did not know creates the enterprise, pending verification
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.uscc == data["enterprise_uscc"]))
    assert enterprise.status == "pending" and enterprise.name == "新登记企业"


def test_bad_profile_gets_422_with_a_message_per_field(client, make_user, api_token):
    headers = api_token(make_user("trainee"))
    data = profile_data(id_number="310105198506121234", gender="unknown", phone="12345",
                        standardization_years="many", enterprise_uscc="91310105MA1000000A",
                        standardization_major="yes")
    response = client.put("/api/v1/me/profile", json=data, headers=headers)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert "校验位" in fields["id_number"]
    assert set(fields) >= {"gender", "phone", "standardization_years", "enterprise_uscc", "standardization_major"}
    assert client.get("/api/v1/me", headers=headers).get_json()["profile"] is None  # nothing saved


def test_open_cohorts_are_public(client, make_cohort):
    open_one, closed = make_cohort(capacity=30), make_cohort(open_now=False)
    listed = client.get("/api/v1/cohorts?open=1").get_json()
    assert [c["code"] for c in listed] == [open_one.code]
    assert set(listed[0]) >= {"code", "title", "program_code", "level", "starts_on", "ends_on", "capacity",
                              "seats_left"}
    assert listed[0]["seats_left"] == 30
    assert client.get("/api/v1/cohorts").status_code == 401  # the staff list needs a caller
    assert closed.code not in str(listed)


def test_apply_returns_the_verdict_at_once(client, make_cohort, make_trainee, api_token):
    cohort = make_cohort()
    trainee = make_trainee(title_level="junior", standardization_years=5)
    headers = api_token(trainee)
    response = client.post(f"/api/v1/cohorts/{cohort.code}/applications", headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "review" and body["eligibility"]["result"] == "review"
    assert any("学历背景" in r for r in body["eligibility"]["reasons"])
    again = client.post(f"/api/v1/cohorts/{cohort.code}/applications", headers=headers)
    assert again.status_code == 409
    assert client.get("/api/v1/me/applications", headers=headers).get_json()[0]["cohort_code"] == cohort.code


def test_apply_needs_a_profile_and_an_open_cohort(client, make_cohort, make_user, make_trainee, api_token):
    cohort = make_cohort()
    response = client.post(f"/api/v1/cohorts/{cohort.code}/applications", headers=api_token(make_user("trainee")))
    assert response.status_code == 422 and "个人资料" in response.get_json()["error"]["message"]
    closed = make_cohort(open_now=False)
    response = client.post(f"/api/v1/cohorts/{closed.code}/applications", headers=api_token(make_trainee()))
    assert response.status_code == 404


def test_decision_endpoint(client, make_cohort, make_trainee, make_user, make_application, api_token):
    cohort = make_cohort(capacity=1)
    first, second = make_application(cohort, make_trainee()), make_application(cohort, make_trainee())
    staff = api_token(make_user("institution", scope=cohort.institution))
    url = "/api/v1/applications/{}/decision"
    response = client.post(url.format(first.id), json={"decision": "approve"}, headers=staff)
    assert response.get_json()["status"] == "approved"
    assert client.post(url.format(second.id), json={"decision": "approve"}, headers=staff).get_json()["status"] \
        == "waitlisted"
    missing_reason = client.post(url.format(second.id), json={"decision": "reject"}, headers=staff)
    assert missing_reason.status_code == 422 and "note" in missing_reason.get_json()["error"]["fields"]
    bad = client.post(url.format(second.id), json={"decision": "maybe"}, headers=staff)
    assert bad.status_code == 422 and "decision" in bad.get_json()["error"]["fields"]
    # the trainee cannot decide; another institution cannot even see the application
    assert client.post(url.format(first.id), json={"decision": "reject", "note": "x"},
                       headers=api_token(first.user)).status_code == 403
    other = api_token(make_user("institution", scope=make_cohort().institution))
    assert client.post(url.format(first.id), json={"decision": "approve"}, headers=other).status_code == 404


def test_attendance_endpoint(client, make_cohort, make_trainee, make_user, make_application, make_session,
                             api_token):
    from lms.enrollment.decisions import decide

    cohort = make_cohort()
    staff_user = make_user("institution", scope=cohort.institution)
    application = make_application(cohort, make_trainee())
    outsider = make_application(cohort, make_trainee())
    decide(staff_user, application, "approve")
    db.session.commit()
    session = make_session(cohort)
    staff = api_token(staff_user)
    url = f"/api/v1/cohorts/{cohort.code}/attendance"
    ok = client.put(url, json={"session_id": session.id, "records": [{"application_id": application.id,
                                                                     "status": "late"}]}, headers=staff)
    assert ok.status_code == 200 and ok.get_json()["recorded"] == 1
    assert db.session.scalar(select(Attendance.status)) == "late"
    bad = client.put(url, json={"session_id": session.id, "records": [
        {"application_id": application.id, "status": "present"},
        {"application_id": outsider.id, "status": "present"}]}, headers=staff)
    assert bad.status_code == 422
    assert bad.get_json()["error"]["fields"] == {f"records.{outsider.id}": "该学员未录取在本班次"}
    db.session.expire_all()
    assert db.session.scalar(select(Attendance.status)) == "late"  # nothing changed
    assert client.put(url, json={"session_id": "x", "records": {}}, headers=staff).status_code == 422


def test_nomination_answer_progress_and_checkin_endpoints(client, make_cohort, make_trainee, make_user, api_token,
                                                          make_session):
    from lms.enrollment.applications import nominate
    from lms.enrollment.decisions import decide
    from lms.enrollment.checkin import current_code
    from lms.enrollment.profiles import profile_of

    cohort = make_cohort()
    trainee = make_trainee()
    hr = make_user("enterprise", scope=profile_of(trainee).enterprise)
    application = nominate(hr, cohort, trainee)
    db.session.commit()
    headers = api_token(trainee)
    url = f"/api/v1/applications/{application.id}"
    assert client.post(f"{url}/confirm", json={"accept": "yes"}, headers=headers).status_code == 422
    answered = client.post(f"{url}/confirm", json={"accept": True}, headers=headers).get_json()
    assert answered["status"] == "eligible" and answered["eligibility"]["result"] == "eligible"
    assert client.get(f"{url}/progress", headers=headers).status_code == 409  # not enrolled yet

    decide(make_user("institution", scope=cohort.institution), application, "approve")
    db.session.commit()
    session = make_session(cohort, hours=4)
    token = current_code(session)["token"]
    checked = client.post(f"/api/v1/sessions/{session.id}/checkin", json={"token": token}, headers=headers)
    assert checked.status_code == 200 and checked.get_json() == {"session_id": session.id, "status": "late",
                                                                 "created": True}
    again = client.post(f"/api/v1/sessions/{session.id}/checkin", json={"token": token}, headers=headers)
    assert again.get_json()["created"] is False
    stale = client.post(f"/api/v1/sessions/{session.id}/checkin", json={"token": "0" * 24}, headers=headers)
    assert stale.status_code == 409 and "不是本课次" in stale.get_json()["error"]["message"]

    progress = client.get(f"{url}/progress", headers=headers).get_json()
    assert progress["hours_by_module"] == {"M1": 4.0, "M2": 0.0} and progress["hours_done"] == 4.0
    assert progress["requirement_met"] is False
    # the employer sees it too; another trainee does not
    assert client.get(f"{url}/progress", headers=api_token(hr)).status_code == 200
    assert client.get(f"{url}/progress", headers=api_token(make_trainee())).status_code == 404


def test_position_level_is_saved_and_optional_for_older_clients(client, make_user, api_token, make_region):
    make_region("310105", "长宁区")
    headers = api_token(make_user("trainee"))
    data = profile_data()
    assert "position_level" not in data  # what a client written before the field sends
    response = client.put("/api/v1/me/profile", json=data, headers=headers)
    assert response.status_code == 200 and response.get_json()["position_level"] is None
    response = client.put("/api/v1/me/profile", json={**data, "position_level": "deputy_head"}, headers=headers)
    assert response.status_code == 200 and response.get_json()["position_level"] == "deputy_head"
    response = client.put("/api/v1/me/profile", json=data, headers=headers)  # not sent: kept
    assert response.get_json()["position_level"] == "deputy_head"
    response = client.put("/api/v1/me/profile", json={**data, "position_level": "ceo"}, headers=headers)
    assert response.status_code == 422 and "position_level" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("field", ["title_level", "education", "gender", "appointment_status", "position_level"])
@pytest.mark.parametrize("value", [{}, [], ["senior"], 3, True])
def test_an_enum_field_that_is_not_a_string_is_a_422_naming_it(client, make_user, api_token, field, value):
    headers = api_token(make_user("trainee"))
    response = client.put("/api/v1/me/profile", json={**profile_data(), field: value}, headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/me", headers=headers).get_json()["profile"] is None  # nothing saved


def test_eligibility_reasons_come_in_the_readers_language(client, make_cohort, make_trainee, api_token):
    cohort = make_cohort()
    trainee = make_trainee(title_level="junior", standardization_years=5)
    headers = api_token(trainee)
    chinese = client.post(f"/api/v1/cohorts/{cohort.code}/applications", headers=headers).get_json()
    assert chinese["eligibility"]["reasons"][0] == "需人工审核。"
    english = client.get("/api/v1/me/applications", headers={**headers, "Accept-Language": "en"}).get_json()
    reasons = english[0]["eligibility"]["reasons"]
    assert reasons[0] == "Manual review required."
    assert "Not met: Professional title at least Intermediate (currently: Junior)" in reasons
