"""The filing lifecycle and the pool over the API; every answer is checked against the OpenAPI
document by the test client."""
from lms.api import openapi
from tests.talent.conftest import FILLED


def test_the_lifecycle_over_the_api(world, appoint, client, api_token):
    person, hr, bureau = api_token(world.person), api_token(world.hr), api_token(world.city_bureau)
    appointment = appoint()
    created = client.post("/api/v1/me/filings", headers=person, json={"appointment_id": appointment.id})
    assert created.status_code == 201
    filing = created.get_json()
    assert filing["status"] == "draft" and filing["form"]["name"] == "赵标准" and filing["filing_no"] is None
    url = f"/api/v1/filings/{filing['id']}"
    refused = client.post(f"{url}/submit", headers=person)
    assert refused.status_code == 422 and "work_history" in refused.get_json()["error"]["fields"]
    bad = client.put(url, headers=person, json={"work_history": [{"from": "2020-05", "to": "2019-01",
                                                                   "employer": "甲", "job": "乙"}]})
    assert bad.status_code == 422 and "work_history.1.to" in bad.get_json()["error"]["fields"]
    saved = client.put(url, headers=person, json=FILLED)
    assert saved.status_code == 200 and saved.get_json()["form"]["school"] == "东北大学"
    assert client.post(f"{url}/submit", headers=person).get_json()["status"] == "submitted"
    assert client.post(f"{url}/accept", headers=bureau).status_code == 409
    returned = client.post(f"{url}/return", headers=hr, json={"reason": "请补充业绩"})
    assert returned.get_json()["status"] == "returned" and returned.get_json()["return_reason"] == "请补充业绩"
    assert client.post(f"{url}/submit", headers=person).status_code == 200
    assert client.post(f"{url}/endorse", headers=hr).get_json()["status"] == "endorsed"
    assert client.post(f"{url}/accept", headers=api_token(world.district_bureau)).status_code == 403
    accepted = client.post(f"{url}/accept", headers=bureau)
    assert accepted.status_code == 200 and accepted.get_json()["filing_no"].startswith("C2101-")
    mine = client.get("/api/v1/me/filings", headers=person).get_json()
    assert [(f["id"], f["status"]) for f in mine] == [(filing["id"], "accepted")]
    pdf = client.get(f"{url}/pdf", headers=hr)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert client.get(url, headers=api_token(world.other_bureau)).status_code == 404
    again = client.post("/api/v1/me/filings", headers=person, json={"appointment_id": appointment.id})
    assert again.status_code == 409


def test_starting_without_a_valid_certificate_names_the_field(world, make_person, appoint, client, api_token):
    person = make_person(world.enterprise, name="未持证")
    appointment = appoint(person)
    response = client.post("/api/v1/me/filings", headers=api_token(person), json={"appointment_id": appointment.id})
    assert response.status_code == 422 and "appointment_id" in response.get_json()["error"]["fields"]


def test_the_pool_answers_a_page_with_masked_rows(world, filing_at, client, api_token):
    filing = filing_at("accepted")
    response = client.get("/api/v1/talent-pool?region=C2101&post=t-specialist&page=1",
                          headers=api_token(world.city_bureau))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["page"]) == (1, 1)
    (item,) = body["items"]
    assert item["filing_no"] == filing.filing_no and "*" in item["id_number"] and "*" in item["phone"]
    assert client.get("/api/v1/talent-pool?industry=Z", headers=api_token(world.admin)).status_code == 422
    assert client.get("/api/v1/talent-pool", headers=api_token(world.hr)).status_code == 403


def test_the_endpoints_are_in_the_openapi_document(app):
    paths = openapi.document("test")["paths"]
    for path, methods in (("/me/filings", {"get", "post"}), ("/filings/{filing_id}", {"get", "put"}),
                          ("/filings/{filing_id}/submit", {"post"}), ("/filings/{filing_id}/endorse", {"post"}),
                          ("/filings/{filing_id}/accept", {"post"}), ("/filings/{filing_id}/return", {"post"}),
                          ("/filings/{filing_id}/pdf", {"get"}), ("/filings/summary.xlsx", {"get"}),
                          ("/talent-pool", {"get"})):
        assert methods <= set(paths[path]), path
    parameters = {p["name"] for p in paths["/talent-pool"]["get"]["parameters"]}
    assert {"region", "post", "q", "page", "industry", "ownership", "honour", "certificate"} <= parameters


def test_values_of_the_wrong_type_get_a_4xx_never_a_500(world, filing_at, client, api_token):
    filing = filing_at("draft")
    person = api_token(world.person)
    for value in ([1], {"a": 1}, 3.5, True, "x"):
        body = {"ethnicity": value, "political_status": value, "email": value, "title_name": value, "school": value,
                "remarks": value, "work_history": value, "achievements": value}
        assert client.put(f"/api/v1/filings/{filing.id}", headers=person, json=body).status_code == 422
        items = {"work_history": [{"from": value, "to": value, "employer": value, "job": value}],
                 "achievements": [{"kind": value, "title": value, "number": value, "role": value}]}
        assert client.put(f"/api/v1/filings/{filing.id}", headers=person, json=items).status_code == 422
        assert client.post("/api/v1/me/filings", headers=person, json={"appointment_id": value}).status_code == 422
    assert client.put(f"/api/v1/filings/{filing.id}", headers=person, json="text").status_code == 400
