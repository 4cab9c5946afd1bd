"""Declared hours: bad input refused with the field named and nothing stored; reviewed by the
certificate's institution or the person's bureau; approval credits once, possibly fewer hours."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.ce import claims, ledger
from lms.ce.enums import Category, ClaimStatus, CreditSource
from lms.ce.models import CeClaim
from lms.enrollment.cohorts import local_today
from lms.core.errors import ValidationFailed
from lms.extensions import db
from tests.ce.conftest import credits_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _form(**overrides):
    data = {"title": "团体标准起草培训", "kind": "training", "category": "professional", "hours": "6",
            "happened_on": (local_today() - timedelta(days=3)).isoformat()}
    data.update(overrides)
    return data


def _post(client, headers, proof=PDF, name="证明.pdf", **overrides):
    data = _form(**overrides)
    if proof is not None:
        data["proof"] = (io.BytesIO(proof), name)
    return client.post("/api/v1/me/ce/claims", data=data, headers=headers, content_type="multipart/form-data")


def _count():
    return db.session.scalar(select(func.count()).select_from(CeClaim))


def _stored_files(app):
    from pathlib import Path

    root = Path(app.instance_path) / "uploads" / "ce-proofs"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_certified_person_declares_hours_with_proof(client, api_token, certified):
    person = certified()
    response = _post(client, api_token(person), proof=PNG, name="photo.png")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending" and body["hours"] == 6 and body["ended_on"] == body["happened_on"]
    assert [c["id"] for c in client.get("/api/v1/me/ce/claims", headers=api_token(person)).get_json()] == [body["id"]]


def test_bad_claims_are_refused_with_the_field_named_and_nothing_stored(app, client, api_token, certified):
    person = certified()  # certified on 2026-01-10
    headers = api_token(person)
    before = _stored_files(app)
    cases = [
        (dict(hours="-2"), "hours"),
        (dict(hours="0"), "hours"),
        (dict(hours="9"), "hours"),  # more than 8 hours in one day
        (dict(happened_on=(local_today() + timedelta(days=1)).isoformat()), "happened_on"),
        (dict(happened_on="2025-12-30"), "happened_on"),  # before certification
        (dict(happened_on="someday"), "happened_on"),
        (dict(ended_on=(local_today() - timedelta(days=9)).isoformat()), "ended_on"),
        (dict(category="leisure"), "category"),
        (dict(proof=b"PK\x03\x04 zip archive named as a pdf"), "proof"),
        (dict(proof=None), "proof"),
    ]
    for overrides, field in cases:
        response = _post(client, headers, **overrides)
        assert response.status_code == 422, (overrides, response.get_json())
        assert field in response.get_json()["error"]["fields"], (overrides, response.get_json())
    # an oversized proof (through the service: the test client spools a big body to a file it leaves open)
    with pytest.raises(ValidationFailed) as too_big:
        claims.declare(person, _form(), "big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    assert "5 MB" in str(too_big.value.fields["proof"])
    assert _count() == 0 and _stored_files(app) == before


def test_overlapping_hours_are_refused(client, api_token, certified, organizer, make_activity):
    person = certified()
    headers = api_token(person)
    day = (local_today() - timedelta(days=2)).isoformat()
    assert _post(client, headers, hours="5", happened_on=day).status_code == 201
    overlapping = _post(client, headers, hours="4", happened_on=day)
    assert overlapping.status_code == 422 and "hours" in overlapping.get_json()["error"]["fields"]
    assert _post(client, headers, hours="3", happened_on=day).status_code == 201
    # two days hold 16 hours; one is full already
    span = _post(client, headers, hours="9", happened_on=(local_today() - timedelta(days=3)).isoformat(), ended_on=day)
    assert span.status_code == 422 and "hours" in span.get_json()["error"]["fields"]
    assert _count() == 2


def test_people_without_a_certificate_cannot_declare(client, api_token, make_trainee):
    response = _post(client, api_token(make_trainee()))
    assert response.status_code == 409


def _claim(person, hours=6):
    claim = claims.declare(person, _form(hours=str(hours)), "证明.pdf", PDF)
    db.session.commit()
    return claim


def test_the_certificates_institution_approves_fewer_hours_once(client, api_token, certified, make_user):
    person = certified()
    claim = _claim(person)
    reviewer = make_user("institution", scope=institution_of(person))
    url = f"/api/v1/ce/claims/{claim.id}/decision"
    too_many = client.post(url, json={"decision": "approve", "hours": 7}, headers=api_token(reviewer))
    assert too_many.status_code == 422 and "hours" in too_many.get_json()["error"]["fields"]
    approved = client.post(url, json={"decision": "approve", "hours": 4.5}, headers=api_token(reviewer))
    assert approved.status_code == 200 and approved.get_json()["approved_hours"] == 4.5
    again = client.post(url, json={"decision": "approve", "hours": 6}, headers=api_token(reviewer))
    assert again.status_code == 200 and again.get_json()["approved_hours"] == 4.5
    assert [(c.hours, c.source) for c in credits_of(person.id)] == [(4.5, CreditSource.CLAIM)]
    rejected = client.post(url, json={"decision": "reject", "note": "材料不全"}, headers=api_token(reviewer))
    assert rejected.status_code == 409
    assert ledger.standing(person.id, claim.happened_on.year).by_category == {Category.PROFESSIONAL.value: 4.5}


def test_a_rejection_needs_a_reason_and_credits_nothing(client, api_token, certified, make_user, make_region):
    person = certified()
    claim = _claim(person)
    bureau = make_user("bureau", scope=make_region("310105", "长宁区"))
    url = f"/api/v1/ce/claims/{claim.id}/decision"
    no_reason = client.post(url, json={"decision": "reject"}, headers=api_token(bureau))
    assert no_reason.status_code == 422 and "note" in no_reason.get_json()["error"]["fields"]
    rejected = client.post(url, json={"decision": "reject", "note": "证明材料与申报内容不符"}, headers=api_token(bureau))
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    assert credits_of(person.id) == []


def test_only_reviewers_in_scope_see_and_decide(client, api_token, certified, make_user, make_institution, make_region):
    person = certified()
    claim = _claim(person)
    outsiders = [make_user("institution", scope=make_institution()),
                 make_user("bureau", scope=make_region("210100", "沈阳市", level="city")),
                 make_user("enterprise", scope=person_enterprise(person)), certified()]
    for outsider in outsiders:
        response = client.post(f"/api/v1/ce/claims/{claim.id}/decision", json={"decision": "approve"},
                               headers=api_token(outsider))
        assert response.status_code == 404, outsider
        assert client.get("/api/v1/ce/claims", headers=api_token(outsider)).get_json() == []
    assert db.session.get(CeClaim, claim.id).status == ClaimStatus.PENDING


def person_enterprise(person):
    from lms.enrollment.profiles import profile_of

    return profile_of(person).enterprise


def test_the_proof_is_served_to_the_person_and_reviewers_only(client, login, certified, make_user):
    person = certified()
    claim = _claim(person)
    login(person)
    response = client.get(f"/ce/claims/{claim.id}/proof")
    assert response.data == PDF
    response.close()
    client.post("/logout")
    login(certified())
    assert client.get(f"/ce/claims/{claim.id}/proof").status_code == 404
    client.post("/logout")
    login(make_user("institution", scope=institution_of(person)))
    page = client.get(f"/ce/claims/{claim.id}")
    assert page.status_code == 200 and "保存审核结果" in page.get_data(as_text=True)
    decided = client.post(f"/ce/claims/{claim.id}", data={"decision": "approve", "hours": "5", "note": ""})
    assert decided.status_code == 302
    assert [c.hours for c in credits_of(person.id)] == [5.0]


def test_a_claim_form_names_the_problem_on_the_page(client, login, certified):
    login(certified())
    response = client.post("/ce/claims/new", data={**_form(hours="-1"), "proof": (io.BytesIO(PDF), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert "学时应大于 0" in response.get_data(as_text=True)
    assert _count() == 0


def test_before_certification_names_the_date(certified):
    person = certified()
    with pytest.raises(ValidationFailed) as refused:
        claims.declare(person, _form(happened_on="2026-01-09"), "a.pdf", PDF, today=date(2026, 6, 1))
    assert "2026-01-10" in str(refused.value.fields["happened_on"])


def institution_of(person):
    from lms.orgs.models import Institution

    return db.session.get(Institution, person.certificate.institution_id)


def test_claims_waiting_are_in_the_reviewers_work_to_do(client, login, certified, make_user):
    import re

    person = certified()
    reviewer = make_user("institution", scope=institution_of(person))
    login(reviewer)

    def item():
        html = client.get("/home/institution").get_data(as_text=True)
        return re.search(r'<li class="todo[^"]*" data-todo="ce_claims">.*?</li>', html, re.S).group(0)

    assert "暂无待审核的学时申报" in item() and "todo-count" not in item()
    _claim(person)
    earlier = (local_today() - timedelta(days=10)).isoformat()
    claims.declare(person, _form(title="企业标准化沙龙", hours="3", happened_on=earlier), "证明.pdf", PDF)
    db.session.commit()
    assert '<span class="todo-count">2</span>' in item() and "份学时申报待审核" in item()
    assert 'href="/ce/claims"' in item()
