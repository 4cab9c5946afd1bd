"""The public check: scan the QR of the issued file, see the status; masked data only;
genuine-file check; the same answer for any unknown number; rate limit; the check log."""
import io
from urllib.parse import urlsplit

import jwt
import pymupdf
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from lms.certificates import issuing, services
from lms.certificates.models import VerificationEvent
from lms.certificates.numbers import new_cert_no
from lms.certificates.signing import attach
from lms.extensions import db
from lms.verify import checklog


@pytest.fixture
def issued(make_graduate, exam_passed, cohort_staff):
    application = make_graduate(name="张三明")
    staff = cohort_staff(application.cohort)
    certificate = services.issue(staff, application)
    db.session.commit()
    return certificate, staff


def scan(pdf: bytes) -> str:
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    image = Image.open(io.BytesIO(page.get_pixmap(dpi=150).tobytes("png")))
    (symbol,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return symbol.text


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_scanning_the_stored_pdf_opens_a_page_saying_valid(client, app, issued):
    certificate, _staff = issued
    pdf = issuing.stored_pdf_path(certificate).read_bytes()
    url = urlsplit(scan(pdf))
    assert f"{url.scheme}://{url.netloc}" == app.config["PUBLIC_BASE_URL"]
    response = client.get(f"{url.path}?{url.query}")
    assert response.status_code == 200
    html = page_text(response)
    assert '<p class="v-label" id="status">有效</p>' in html
    assert "二维码与该证书（第 1 版）一致" in html
    assert 'name="robots" content="noindex' in html
    assert "Set-Cookie" not in response.headers  # public page: no session

    # Offline: the token in the QR, with the claims read off the paper put back, verifies with
    # an independent JOSE library and the JWKS.
    token = url.query.removeprefix("t=")
    printed = {"no": certificate.cert_no, "n": "张*明", "d": certificate.issued_on.isoformat(),
               "u": certificate.valid_until.isoformat()}
    whole = attach(token, printed)
    jwks = client.get("/.well-known/jwks.json").get_json()
    key = jwt.PyJWK.from_dict(next(k for k in jwks["keys"] if k["kid"] == jwt.get_unverified_header(token)["kid"]))
    assert jwt.decode(whole, key=key, algorithms=["EdDSA"]) == printed
    # what an offline verifier made of the QR code is recognised online too
    assert client.get(f"/api/v1/certificates/{certificate.cert_no}?t={whole}").get_json()["token"] == "valid"
    forged = attach(token, dict(printed, n="李*明"))
    assert client.get(f"/api/v1/certificates/{certificate.cert_no}?t={forged}").get_json()["verdict"] == "suspect"


def test_the_font_is_embedded_in_the_stored_pdf(issued):
    certificate, _staff = issued
    document = pymupdf.open(issuing.stored_pdf_path(certificate))
    fonts = document[0].get_fonts()
    assert fonts and all(ext == "ttf" for _x, ext, *_rest in fonts)  # embedded TrueType, none referenced only
    assert "张三明" in document[0].get_text()


def test_the_page_and_api_show_masked_data_only(client, issued):
    certificate, _staff = issued
    html = page_text(client.get(f"/verify/{certificate.cert_no}"))
    masked_id = certificate.holder_id_number[:3] + "*" * 11 + certificate.holder_id_number[-4:]
    assert "张*明" in html and masked_id in html
    assert "张三明" not in html and certificate.holder_id_number not in html
    data = client.get(f"/api/v1/certificates/{certificate.cert_no}").get_json()
    assert data["holder_name"] == "张*明" and data["id_number"] == masked_id
    assert data["status"] == "valid" and data["token_matched"] is None
    assert data["program_code"] == certificate.program_code and data["hours"] == certificate.hours
    assert certificate.holder_id_number not in str(data)


def verdict_of(html: str) -> str:
    """The page's verdict element's data-verdict, and that no other verdict box is drawn."""
    import re

    found = re.findall(r'<section class="v-status v-(\w+)" role="status" id="verdict" data-verdict="(\w+)">', html)
    assert len(found) == 1 and found[0][0] == found[0][1], found
    return found[0][1]


FORGED = "eyJhbGciOiJFZERTQSJ9.e30.AAAA"


def test_a_forged_token_makes_the_check_suspect_never_green(client, issued):
    certificate, _staff = issued
    html = page_text(client.get(f"/verify/{certificate.cert_no}?t={FORGED}"))
    assert verdict_of(html) == "suspect"
    assert '<p class="v-label" id="status">存疑</p>' in html and "v-valid" not in html and ">有效<" not in html
    assert "该二维码与发证机构的记录不一致" in html
    assert f"联系发证机构（{certificate.institution_name}）核实" in html  # what the employer should do
    assert "张*明" in html  # the record stays readable, to compare with the paper
    api = client.get(f"/api/v1/certificates/{certificate.cert_no}?t={certificate.token}x").get_json()
    assert api["verdict"] == "suspect" and api["token"] == "invalid" and api["token_matched"] is False
    assert api["status"] == "valid"  # the record itself is valid: the status field keeps saying so


def test_the_right_token_or_none_gives_valid(client, issued):
    certificate, _staff = issued
    with_token = client.get(f"/api/v1/certificates/{certificate.cert_no}?t={certificate.token}").get_json()
    assert (with_token["verdict"], with_token["token"], with_token["token_matched"]) == ("valid", "valid", True)
    without = client.get(f"/api/v1/certificates/{certificate.cert_no}").get_json()
    assert (without["verdict"], without["token"], without["token_matched"]) == ("valid", "absent", None)
    html = page_text(client.get(f"/verify/{certificate.cert_no}"))
    assert verdict_of(html) == "valid" and 'id="token"' not in html
    html = page_text(client.get(f"/verify/{certificate.cert_no}?t={certificate.token}"))
    assert verdict_of(html) == "valid" and 'data-token="valid"' in html


def test_an_empty_token_is_not_absent(client, issued):
    """`?t=` (the token cut off) is a token that does not match, not a check without one."""
    certificate, _staff = issued
    api = client.get(f"/api/v1/certificates/{certificate.cert_no}?t=").get_json()
    assert api["verdict"] == "suspect" and api["token"] == "invalid"
    assert verdict_of(page_text(client.get(f"/verify/{certificate.cert_no}?t="))) == "suspect"


def test_a_pdf_that_is_not_the_issued_file_makes_the_check_suspect(client, issued):
    certificate, _staff = issued
    pdf = issuing.stored_pdf_path(certificate).read_bytes()
    edited = bytearray(pdf)
    edited[len(edited) // 2] ^= 0x01
    html = page_text(client.post(f"/verify/{certificate.cert_no}/check-pdf",
                                 data={"file": (io.BytesIO(bytes(edited)), "c.pdf")}))
    assert verdict_of(html) == "suspect" and "v-valid" not in html
    assert "上传的文件不是该证书颁发时的原始文件" in html
    api = client.post(f"/api/v1/certificates/{certificate.cert_no}/check-pdf",
                      data={"file": (io.BytesIO(bytes(edited)), "c.pdf")}).get_json()
    assert api == {"genuine": False, "version": None, "verdict": "suspect"}
    genuine = page_text(client.post(f"/verify/{certificate.cert_no}/check-pdf", data={"file": (io.BytesIO(pdf), "c.pdf")}))
    assert verdict_of(genuine) == "valid"
    checklog.flush_all()
    logged = db.session.scalars(select(VerificationEvent).order_by(VerificationEvent.id)).all()
    assert [(e.channel, e.token_matched) for e in logged] == [("pdf-check", False)] * 2 + [("pdf-check", True)]


def test_a_bad_token_or_file_on_a_revoked_certificate_says_revoked(client, issued, api_token):
    """The worst of what the check knows: revoked outranks a mismatch."""
    certificate, staff = issued
    client.post(f"/api/v1/certificates/{certificate.cert_no}/revoke", json={"reason": "证书信息不实"},
                headers=api_token(staff))
    api = client.get(f"/api/v1/certificates/{certificate.cert_no}?t={FORGED}").get_json()
    assert (api["verdict"], api["token"]) == ("revoked", "invalid")
    html = page_text(client.get(f"/verify/{certificate.cert_no}?t={FORGED}"))
    assert verdict_of(html) == "revoked" and "证书信息不实" in html
    answer = client.post(f"/api/v1/certificates/{certificate.cert_no}/check-pdf",
                         data={"file": (io.BytesIO(b"%PDF-1.7 not it"), "c.pdf")}).get_json()
    assert answer["verdict"] == "revoked" and answer["genuine"] is False


def test_a_revoked_certificate_says_so_with_the_reason(client, issued, api_token):
    certificate, staff = issued
    response = client.post(f"/api/v1/certificates/{certificate.cert_no}/revoke", json={"reason": "考试作弊，成绩无效"},
                           headers=api_token(staff))
    assert response.status_code == 200 and response.get_json()["status"] == "revoked"
    html = page_text(client.get(f"/verify/{certificate.cert_no}?t={certificate.token}"))
    assert '<p class="v-label" id="status">已撤销</p>' in html and "考试作弊，成绩无效" in html
    assert verdict_of(html) == "revoked" and "v-valid" not in html
    data = client.get(f"/api/v1/certificates/{certificate.cert_no}").get_json()
    assert data["status"] == "revoked" and data["revoked_reason"] == "考试作弊，成绩无效"
    assert data["verdict"] == "revoked" and data["token"] == "absent"


def test_revoking_needs_the_issuing_institution(client, issued, make_user, make_institution, api_token):
    certificate, _staff = issued
    outsider = make_user("institution", scope=make_institution())
    response = client.post(f"/api/v1/certificates/{certificate.cert_no}/revoke", json={"reason": "x"},
                           headers=api_token(outsider))
    assert response.status_code == 404
    assert client.get(f"/api/v1/certificates/{certificate.cert_no}").get_json()["status"] == "valid"


def test_after_a_reissue_the_old_number_says_superseded(client, issued):
    certificate, staff = issued
    new = services.reissue(staff, certificate, "姓名更正", holder_name="张山明")
    db.session.commit()
    html = page_text(client.get(f"/verify/{certificate.cert_no}?t={certificate.token}"))
    assert '<p class="v-label" id="status">已被新版本替代</p>' in html
    assert verdict_of(html) == "superseded"
    old = client.get(f"/api/v1/certificates/{certificate.cert_no}?t={certificate.token}").get_json()
    assert (old["status"], old["verdict"], old["token"]) == ("superseded", "superseded", "valid")
    scanned = urlsplit(scan(issuing.stored_pdf_path(new).read_bytes()))
    new_page = page_text(client.get(f"{scanned.path}?{scanned.query}"))
    assert '<p class="v-label" id="status">有效</p>' in new_page and "第 2 版" in new_page and "张*明" in new_page


def test_only_the_issued_file_is_genuine(client, issued):
    certificate, _staff = issued
    pdf = issuing.stored_pdf_path(certificate).read_bytes()
    url = f"/api/v1/certificates/{certificate.cert_no}/check-pdf"
    genuine = client.post(url, data={"file": (io.BytesIO(pdf), "c.pdf")})
    assert genuine.get_json() == {"genuine": True, "version": 1, "verdict": "valid"}
    edited = bytearray(pdf)
    edited[len(edited) // 2] ^= 0x01  # one byte changed
    answer = client.post(url, data={"file": (io.BytesIO(bytes(edited)), "c.pdf")})
    assert answer.get_json() == {"genuine": False, "version": None, "verdict": "suspect"}
    page = page_text(client.post(f"/verify/{certificate.cert_no}/check-pdf",
                                 data={"file": (io.BytesIO(bytes(edited)), "c.pdf")}))
    assert "上传的文件不是该证书颁发时的原始文件" in page
    page = page_text(client.post(f"/verify/{certificate.cert_no}/check-pdf", data={"file": (io.BytesIO(pdf), "c.pdf")}))
    assert "该文件是本证书（第 1 版）颁发时的原始文件" in page


def test_unknown_numbers_all_get_the_same_answer(client, issued):
    certificate, _staff = issued
    well_formed = new_cert_no("SH", 2026, 99)
    wrong_check = certificate.cert_no[:-1] + ("A" if certificate.cert_no[-1] != "A" else "B")
    candidates = [well_formed, wrong_check, "nonsense", "SH-2026", "%3Cscript%3E", "x" * 300, "a/b", "..%2F.."]
    pages = {(r.status_code, r.get_data()) for r in (client.get(f"/verify/{n}") for n in candidates)}
    assert len(pages) == 1 and next(iter(pages))[0] == 404
    answers = {(r.status_code, r.get_data()) for r in (client.get(f"/api/v1/certificates/{n}") for n in candidates)}
    assert len(answers) == 1 and next(iter(answers))[0] == 404
    checks = {client.post(f"/api/v1/certificates/{n}/check-pdf", data={"file": (io.BytesIO(b"%PDF"), "a.pdf")}
                          ).status_code for n in candidates}
    assert checks == {404}
    forms = {(r.status_code, r.get_data()) for r in (
        client.post(f"/verify/{n}/check-pdf", data={"file": (io.BytesIO(b"%PDF"), "a.pdf")}) for n in candidates)}
    assert forms == pages


def test_verification_is_rate_limited_per_address(make_app, issued):
    certificate, _staff = issued
    client = make_app(VERIFY_RATE_LIMIT="3 per minute").test_client()
    statuses = [client.get(f"/verify/{certificate.cert_no}").status_code for _ in range(3)]
    statuses.append(client.get(f"/api/v1/certificates/{certificate.cert_no}").status_code)
    assert statuses == [200, 200, 200, 429]
    other = client.get(f"/verify/{certificate.cert_no}", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 200


def test_each_check_is_logged_and_the_holder_sees_the_log(client, issued, login):
    certificate, _staff = issued
    client.get(f"/verify/{certificate.cert_no}?t={certificate.token}",
               headers={"User-Agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0"},
               environ_base={"REMOTE_ADDR": "203.0.113.77"})
    client.get(f"/api/v1/certificates/{certificate.cert_no}")
    assert checklog.flush_all() == 2  # written behind the response, within VERIFY_LOG_INTERVAL
    events = db.session.scalars(select(VerificationEvent).order_by(VerificationEvent.id)).all()
    assert [(e.channel, e.token_matched) for e in events] == [("page", True), ("api", None)]
    assert events[0].network == "203.0.113.0/24" and events[0].agent == "wechat"
    assert "203.0.113.77" not in str([(e.network, e.agent) for e in events])

    holder = db.session.get(type(certificate), certificate.id).user
    login(holder)
    html = page_text(client.get("/me/certificates"))
    assert "共被核验 2 次" in html and "203.0.113.0/24" in html
    assert certificate.cert_no in html and f"/verify/{certificate.cert_no}?t={certificate.token}" in html
    api = client.get("/api/v1/me/certificates").get_json()
    assert api == [{"cert_no": certificate.cert_no, "version": 1, "status": "valid",
                    "issued_on": certificate.issued_on.isoformat(), "valid_until": certificate.valid_until.isoformat(),
                    "program_code": certificate.program_code,
                    "pdf_url": f"/api/v1/me/certificates/{certificate.cert_no}/pdf",
                    "verify_url": services.share_url(certificate)}]


def test_downloads_serve_the_stored_file_and_refuse_a_tampered_one(client, issued, login, make_trainee):
    certificate, _staff = issued
    stored = issuing.stored_pdf_path(certificate)
    original = stored.read_bytes()
    holder = db.session.get(type(certificate), certificate.id).user
    login(holder)
    assert client.get(f"/me/certificates/{certificate.cert_no}/pdf").data == original
    assert client.get(f"/api/v1/me/certificates/{certificate.cert_no}/pdf").data == original
    stored.write_bytes(original.replace(b"/Creator", b"/Creatox", 1))
    response = client.get(f"/me/certificates/{certificate.cert_no}/pdf")
    assert response.status_code == 409 and response.data != stored.read_bytes()
    stored.write_bytes(original)

    client.post("/logout")
    stranger = make_trainee(name="李四")
    login(stranger)
    assert client.get(f"/me/certificates/{certificate.cert_no}/pdf").status_code == 404


def test_an_expired_certificate_says_so_with_chinese_dates(client, issued):
    from datetime import timedelta

    from lms.enrollment.cohorts import local_today

    certificate, _staff = issued
    yesterday = local_today() - timedelta(days=1)
    certificate.valid_until = yesterday
    db.session.commit()
    html = page_text(client.get(f"/verify/{certificate.cert_no}"))
    assert '<p class="v-label" id="status">已过期</p>' in html
    assert f"有效期已于 {yesterday.year}年{yesterday.month}月{yesterday.day}日 届满" in html
    assert verdict_of(html) == "expired"
    data = client.get(f"/api/v1/certificates/{certificate.cert_no}?t={FORGED}").get_json()
    assert (data["status"], data["verdict"], data["token"]) == ("expired", "expired", "invalid")


def test_a_certificate_issued_with_an_old_full_token_keeps_verifying(client, app, issued):
    """Format 1 (claims inside the token, before the QR code was shortened): the QR codes
    already printed keep answering valid online and verify offline."""
    from lms.certificates.signing import KeyStore, certificate_claims, sign_claims

    certificate, _staff = issued
    with app.app_context():
        old = sign_claims(certificate_claims(
            cert_no=certificate.cert_no, version=1, holder_name="张三明", program_code=certificate.program_code,
            institution_code=certificate.institution_code, issue_date=certificate.issued_on,
            valid_until=certificate.valid_until), KeyStore.for_app(app).signing_key())
    certificate.token = old
    db.session.commit()
    html = page_text(client.get(f"/verify/{certificate.cert_no}?t={old}"))
    assert verdict_of(html) == "valid" and 'data-token="valid"' in html
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["lms", "verify-token", old])
    assert result.exit_code == 0 and result.output.strip().endswith("VALID") and '"p": ' in result.output
