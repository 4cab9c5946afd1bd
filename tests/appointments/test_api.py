"""Posts, employees and appointments over the API; every answer is checked against the
OpenAPI document by the test client."""
from lms.api import openapi


def test_posts_are_listed_for_anyone_signed_in(world, client, api_token):
    response = client.get("/api/v1/posts", headers=api_token(world.person))
    assert response.status_code == 200
    codes = {p["code"]: p for p in response.get_json()}
    assert codes["t-cso"]["region_code"] == "P21" and codes["t-cso"]["usual_count"] == 1
    assert client.get("/api/v1/posts").status_code == 401


def test_hr_lists_its_employees_with_their_certificates_and_appointments(world, client, api_token, appoint):
    appoint()
    response = client.get("/api/v1/enterprise/employees", headers=api_token(world.hr))
    assert response.status_code == 200
    (person,) = response.get_json()
    assert person["id"] == world.person.id and person["certificates"][0]["level"] == "specialist"
    assert person["appointments"][0]["post_code"] == "t-specialist" and person["appointments"][0]["qualified"]
    assert client.get("/api/v1/enterprise/employees", headers=api_token(world.person)).status_code == 403


def test_appointing_ending_and_reading_back(world, client, api_token):
    hr = api_token(world.hr)
    created = client.post("/api/v1/appointments", headers=hr, json={
        "person_id": world.person.id, "post_code": "t-cso", "starts_on": "2026-02-01", "full_time": True,
        "document_no": "沈测〔2026〕9号"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["status"] == "active" and body["qualified"] is False and len(body["warnings"]) == 1
    bad = client.post(f"/api/v1/appointments/{body['id']}/end", headers=hr, json={"ended_on": "2026-01-01",
                                                                                   "reason": "left"})
    assert bad.status_code == 422 and "ended_on" in bad.get_json()["error"]["fields"]
    ended = client.post(f"/api/v1/appointments/{body['id']}/end", headers=hr, json={"ended_on": "2026-03-01",
                                                                                     "reason": "left"})
    assert ended.status_code == 200 and ended.get_json()["end_reason"] == "left"
    again = client.post(f"/api/v1/appointments/{body['id']}/end", headers=hr, json={"ended_on": "2026-03-01",
                                                                                     "reason": "left"})
    assert again.status_code == 409
    mine = client.get("/api/v1/me/appointments", headers=api_token(world.person)).get_json()
    assert [a["status"] for a in mine] == ["ended"]
    other = client.post(f"/api/v1/appointments/{body['id']}/end", headers=api_token(world.other_hr),
                        json={"ended_on": "2026-03-01", "reason": "left"})
    assert other.status_code == 404


def test_a_person_of_another_enterprise_is_refused_with_the_field_named(world, client, api_token):
    response = client.post("/api/v1/appointments", headers=api_token(world.hr), json={
        "person_id": world.outsider.id, "post_code": "t-specialist", "starts_on": "2026-02-01"})
    assert response.status_code == 422 and "person_id" in response.get_json()["error"]["fields"]


def test_the_endpoints_are_in_the_openapi_document(app):
    paths = openapi.document("test")["paths"]
    for path, method in (("/posts", "get"), ("/enterprise/employees", "get"), ("/appointments", "post"),
                         ("/appointments/{appointment_id}/end", "post"), ("/me/appointments", "get")):
        assert method in paths[path], path


def test_values_of_the_wrong_type_get_a_4xx_never_a_500(world, client, api_token, appoint):
    hr = api_token(world.hr)
    for value in ([1], {"a": 1}, 3.5, None, True, "x" * 500):
        body = {"person_id": value, "post_code": value, "starts_on": value, "full_time": value, "document_no": value}
        assert client.post("/api/v1/appointments", headers=hr, json=body).status_code == 422
    appointment = appoint()
    for value in ([1], {"a": 1}, 3.5, None):
        body = {"ended_on": value, "reason": value, "note": value}
        response = client.post(f"/api/v1/appointments/{appointment.id}/end", headers=hr, json=body)
        assert response.status_code == 422
    assert client.post("/api/v1/appointments", headers=hr, json=[1, 2]).status_code == 400
