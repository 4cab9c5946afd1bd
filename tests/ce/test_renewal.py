"""Renewal on continuing education: refused listing the missing years and hours, granted as a new
version valid for the programme's years after the old end; one, a batch job, the CLI. The public
check shows the holder's CE standing for the current year."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lms.ce import ledger
from lms.ce.enums import Category, CreditSource
from lms.certificates import services
from lms.certificates.models import Certificate
from lms.core import jobs
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.notifications.models import Notification


def _issued(make_graduate, cohort_staff):
    application = make_graduate(name="张三明")
    staff = cohort_staff(application.cohort)
    certificate = services.issue(staff, application)
    db.session.commit()
    return certificate, staff


def _complete_the_year(certificate, year=None, hours=None):
    year = year or local_today().year
    required = ledger.standing(certificate.user_id, year).required_hours
    ledger.credit(certificate.user_id, CreditSource.CLAIM, 900 + year, hours=hours or required,
                  category=Category.PROFESSIONAL, title="年度学时", earned_on=date(year, 6, 1))
    db.session.commit()


def test_renewal_is_refused_listing_the_missing_years_and_hours(client, api_token, make_graduate, exam_passed,
                                                                cohort_staff):
    certificate, staff = _issued(make_graduate, cohort_staff)
    _complete_the_year(certificate, hours=5)
    response = client.post(f"/api/v1/certificates/{certificate.cert_no}/renew", headers=api_token(staff))
    assert response.status_code == 409
    error = response.get_json()["error"]
    year = str(local_today().year)
    assert error["code"] == "ce_incomplete" and year in error["message"]
    assert error["fields"] == {year: f"{year} 年尚差 7 学时（已完成 5 / 12）"}
    assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 1


def test_renewal_is_granted_as_a_new_version_valid_after_the_old_end(client, api_token, make_graduate, exam_passed,
                                                                     cohort_staff):
    certificate, staff = _issued(make_graduate, cohort_staff)
    _complete_the_year(certificate)
    old_until = certificate.valid_until
    response = client.post(f"/api/v1/certificates/{certificate.cert_no}/renew", headers=api_token(staff))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["version"] == 2 and body["cert_no"] != certificate.cert_no and body["status"] == "valid"
    assert date.fromisoformat(body["valid_until"]) == old_until.replace(year=old_until.year + 3)
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == "superseded"
    old = client.get(f"/api/v1/certificates/{certificate.cert_no}").get_json()
    assert old["status"] == "superseded"
    again = client.post(f"/api/v1/certificates/{certificate.cert_no}/renew", headers=api_token(staff))
    assert again.status_code == 409  # the old version cannot be renewed twice
    holder = db.session.scalar(select(Notification).where(Notification.message_id == "ce.certificate_renewed"))
    assert holder.user_id == certificate.user_id and body["cert_no"] in holder.text


def test_only_the_issuing_institution_renews(client, api_token, make_graduate, exam_passed, cohort_staff,
                                             make_user, make_institution, make_region):
    certificate, _staff = _issued(make_graduate, cohort_staff)
    _complete_the_year(certificate)
    other = make_user("institution", scope=make_institution())
    assert client.post(f"/api/v1/certificates/{certificate.cert_no}/renew", headers=api_token(other)).status_code == 404
    bureau = make_user("bureau", scope=make_region("310105", "长宁区"))  # sees the cohort's certificates, renews none
    assert client.post(f"/api/v1/certificates/{certificate.cert_no}/renew", headers=api_token(bureau)).status_code == 403


def test_the_public_check_shows_the_holders_standing_this_year(client, make_graduate, exam_passed,
                                                              cohort_staff):
    certificate, _staff = _issued(make_graduate, cohort_staff)
    _complete_the_year(certificate, hours=4)
    body = client.get(f"/api/v1/certificates/{certificate.cert_no}").get_json()
    assert body["ce"] == {"year": local_today().year, "required_hours": 12.0, "earned_hours": 4.0, "complete": False}
    page = client.get(f"/verify/{certificate.cert_no}").get_data(as_text=True)
    assert 'id="ce-standing" data-complete="false"' in page and "4 / 12 学时" in page


def test_the_batch_renews_those_ready_with_progress(client, api_token, make_graduate, exam_passed,
                                                    cohort_staff, make_cohort):
    ready, staff = _issued(make_graduate, cohort_staff)
    behind = services.issue(staff, make_graduate(cohort=_cohort_of(ready)))
    db.session.commit()
    _complete_the_year(ready)
    response = client.post("/api/v1/ce/renewals", json={"due_within": 3650}, headers=api_token(staff))
    assert response.status_code == 202
    job = response.get_json()
    assert job["total"] == 1
    jobs.wait(job["id"])
    done = client.get(f"/api/v1/jobs/{job['id']}", headers=api_token(staff)).get_json()
    assert done["status"] == "done" and done["done"] == 1 and done["failures"] == []
    db.session.expire_all()
    assert db.session.get(Certificate, ready.id).status == "superseded"
    assert db.session.get(Certificate, behind.id).status == "valid"


def _cohort_of(certificate):
    from lms.enrollment.models import Cohort

    return db.session.get(Cohort, certificate.cohort_id)


def test_the_cli_renews_what_is_due_and_lists_the_rest(runner, make_graduate, exam_passed, cohort_staff):
    ready, staff = _issued(make_graduate, cohort_staff)
    behind = services.issue(staff, make_graduate(cohort=_cohort_of(ready)))
    later = services.issue(staff, make_graduate(cohort=_cohort_of(ready)))
    for certificate in (ready, behind):
        certificate.valid_until = local_today() + timedelta(days=20)
    db.session.commit()
    _complete_the_year(ready)
    _complete_the_year(later)
    dry = runner.invoke(args=["lms", "renew-certificates", "--due-within", "30", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{ready.cert_no}" in dry.output and "would renew" in dry.output and "尚差 12 学时" in dry.output
    assert later.cert_no not in dry.output
    db.session.expire_all()
    assert db.session.get(Certificate, ready.id).status == "valid"
    result = runner.invoke(args=["lms", "renew-certificates", "--due-within", "30"])
    assert result.exit_code == 2, result.output
    assert "renewed 1 of 2" in result.output and f"not renewed: {behind.cert_no}" in result.output
    db.session.expire_all()
    assert db.session.get(Certificate, ready.id).status == "superseded"
    assert db.session.get(Certificate, later.id).status == "valid"


def test_the_renewals_page(client, login, make_graduate, exam_passed, cohort_staff):
    certificate, staff = _issued(make_graduate, cohort_staff)
    login(staff)
    page = client.get("/ce/renewals?days=365").get_data(as_text=True)
    assert certificate.cert_no not in page  # valid for three years: not due within a year
    certificate.valid_until = local_today() + timedelta(days=10)
    db.session.commit()
    page = client.get("/ce/renewals?days=30").get_data(as_text=True)
    assert certificate.cert_no in page and "尚差 12 学时" in page
    _complete_the_year(certificate)
    renewed = client.post(f"/ce/renewals/{certificate.cert_no}", data={"days": "30"})
    assert renewed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == "superseded"
