"""Staff and holder pages: a cohort's certificates, issuing one or all, search, reissue, revoke."""
from sqlalchemy import select

from lms.certificates import services
from lms.certificates.models import Certificate
from lms.core import jobs
from lms.extensions import db


def test_the_cohort_page_lists_what_each_trainee_still_misses(client, login, make_cohort, make_graduate,
                                                              exam_passed, cohort_staff):
    cohort = make_cohort()
    ready = make_graduate(cohort)
    make_graduate(cohort, attended=False)
    login(cohort_staff(cohort))
    html = client.get(f"/staff/cohorts/{cohort.code}/certificates").get_data(as_text=True)
    assert "符合颁证条件" in html and "出勤学时不足" in html

    response = client.post(f"/staff/cohorts/{cohort.code}/certificates/{ready.id}")
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"已颁发合格证 {certificate.cert_no}" in html


def test_issuing_from_the_page_refuses_with_the_reasons(client, login, make_cohort, make_graduate, cohort_staff):
    cohort = make_cohort()
    application = make_graduate(cohort)
    login(cohort_staff(cohort))
    response = client.post(f"/staff/cohorts/{cohort.code}/certificates/{application.id}", follow_redirects=True)
    assert "不能颁发合格证" in response.get_data(as_text=True) and "尚未通过本班次的结业考试" in response.get_data(as_text=True)
    assert db.session.scalar(select(Certificate)) is None


def test_batch_issue_from_the_page_shows_the_job(client, login, make_cohort, make_graduate, exam_passed, cohort_staff):
    cohort = make_cohort()
    make_graduate(cohort)
    login(cohort_staff(cohort))
    response = client.post(f"/staff/cohorts/{cohort.code}/certificates/batch")
    assert response.status_code == 302 and "/staff/jobs/" in response.headers["Location"]
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    jobs.wait(job_id)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="job-bar" max="100" value="100"' in html and "job_progress.js" in html


def test_staff_search_reissue_and_revoke(client, login, make_graduate, exam_passed, cohort_staff, make_user,
                                         make_institution):
    application = make_graduate(name="赵六一")
    staff = cohort_staff(application.cohort)
    certificate = services.issue(staff, application)
    db.session.commit()
    login(staff)
    assert certificate.cert_no in client.get("/staff/certificates?q=赵六").get_data(as_text=True)
    assert certificate.cert_no in client.get(f"/staff/certificates?q={certificate.cert_no[:10].lower()}").get_data(
        as_text=True)
    assert "没有找到合格证" in client.get("/staff/certificates?q=钱七").get_data(as_text=True)

    page = client.post(f"/staff/certificates/{certificate.cert_no}",
                       data={"action": "reissue", "reissue-holder_name": "赵六壹", "reissue-reason": ""})
    assert "请填写原因" in page.get_data(as_text=True)
    response = client.post(f"/staff/certificates/{certificate.cert_no}",
                           data={"action": "reissue", "reissue-holder_name": "赵六壹", "reissue-reason": "姓名更正"})
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.scalar(select(Certificate).where(Certificate.version == 2))
    assert new.holder_name == "赵六壹" and response.headers["Location"].endswith(new.cert_no)

    asked = client.post(f"/staff/certificates/{new.cert_no}", data={"action": "revoke", "revoke-reason": "资料造假"})
    assert "撤销合格证？" in asked.get_data(as_text=True) and "不能恢复" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certificate, new.id).status == "valid"  # not without the confirmation
    response = client.post(f"/staff/certificates/{new.cert_no}",
                           data={"action": "revoke", "revoke-reason": "资料造假", "confirmed": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, new.id).status == "revoked"
    assert "资料造假" in client.get(f"/verify/{new.cert_no}").get_data(as_text=True)

    client.post("/logout")
    login(make_user("institution", scope=make_institution()))
    assert client.get(f"/staff/certificates/{new.cert_no}").status_code == 404
    assert certificate.cert_no not in client.get("/staff/certificates").get_data(as_text=True)


def test_the_holder_page_without_certificates(client, login, make_trainee):
    login(make_trainee())
    assert "您还没有合格证" in client.get("/me/certificates").get_data(as_text=True)


def test_revoke_and_reissue_forms_carry_their_csrf_tokens(csrf_app, make_graduate, exam_passed, cohort_staff):
    import re

    from tests.conftest import TEST_PASSWORD

    application = make_graduate()
    staff = cohort_staff(application.cohort)
    certificate = services.issue(staff, application)
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    assert client.post("/login", data={"csrf_token": token, "username": staff.username,
                                       "password": TEST_PASSWORD}).status_code == 302
    page = client.get(f"/staff/certificates/{certificate.cert_no}").get_data(as_text=True)
    revoke_token = re.search(r'name="revoke-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    forged = client.post(f"/staff/certificates/{certificate.cert_no}",
                         data={"action": "revoke", "revoke-reason": "无理由"})
    assert forged.status_code == 400
    response = client.post(f"/staff/certificates/{certificate.cert_no}",
                           data={"action": "revoke", "revoke-reason": "资料造假", "revoke-csrf_token": revoke_token})
    asked = response.get_data(as_text=True)
    assert response.status_code == 200 and "撤销合格证？" in asked
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', asked))
    assert "revoke-csrf_token" in hidden and hidden["confirmed"] == "yes"
    response = client.post(f"/staff/certificates/{certificate.cert_no}", data=hidden)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_reason == "资料造假"
