"""The 学时证明: rendered, its text extracted, its QR decoded and its token verified with the
public keys; the public check's verdict (valid, suspect, superseded) for the token and the PDF."""
from __future__ import annotations

import io
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pymupdf
import zxingcpp
from PIL import Image

from lms.ce import ledger
from lms.ce.enums import Category, CreditSource
from lms.certificates.signing import KeyStore, verify_token
from lms.extensions import db


def _credit(person, hours, source_id, title="标准化论坛", category=Category.PROFESSIONAL):
    ledger.credit(person.id, CreditSource.ACTIVITY, source_id, hours=hours, category=category, title=title,
                  earned_on=date(2026, 4, 2))
    db.session.commit()


def _pdf(client, headers, year=2026):
    response = client.get(f"/api/v1/me/ce/transcript.pdf?year={year}", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def _qr_url(pdf: bytes) -> str:
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    image = Image.open(io.BytesIO(page.get_pixmap(dpi=150).tobytes("png")))
    (symbol,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return symbol.text


def test_the_transcript_prints_the_ledger_and_its_qr_token_verifies(app, client, api_token, certified):
    person = certified(name="李静怡")
    _credit(person, 3, 1, title="企业标准化总监论坛（2026 春季）")
    _credit(person, 2, 2, title="标准化法解读讲座", category=Category.PUBLIC)
    pdf = _pdf(client, api_token(person))

    text = pymupdf.open(stream=pdf, filetype="pdf")[0].get_text()
    for words in ("继续教育学时证明", "李静怡", "2026 年度", "企业标准化总监论坛", "标准化法解读讲座", "未完成（尚差 7 学时）"):
        assert words in text, words

    url = _qr_url(pdf)
    parts = urlsplit(url)
    number = parts.path.rsplit("/", 1)[1]
    assert parts.path == f"/ce/transcripts/{number}" and number.startswith("CE-2026-")
    token = parse_qs(parts.query)["t"][0]
    claims = verify_token(token, KeyStore.for_app(app).jwks())  # offline, with the public keys only
    assert claims == {"typ": "ce", "no": number, "y": 2026, "n": "李*怡", "r": 12.0, "h": 5.0, "c": False,
                      "d": claims["d"]}

    checked = client.get(f"/api/v1/ce/transcripts/{number}?t={token}").get_json()
    assert (checked["verdict"], checked["token"], checked["earned_hours"]) == ("valid", "valid", 5.0)
    assert checked["holder_name"] == "李*怡" and checked["id_number"].startswith("310***")
    page = client.get(f"/ce/transcripts/{number}?t={token}").get_data(as_text=True)
    assert 'data-verdict="valid"' in page and "李*怡" in page and "李静怡" not in page


def test_a_tampered_token_makes_the_check_suspect(client, api_token, certified):
    person = certified()
    _credit(person, 3, 1)
    number = urlsplit(_qr_url(_pdf(client, api_token(person)))).path.rsplit("/", 1)[1]
    bad = client.get(f"/api/v1/ce/transcripts/{number}?t=eyJhbGciOiJFZERTQSJ9.e30.AAAA").get_json()
    assert (bad["verdict"], bad["token"]) == ("suspect", "invalid")
    absent = client.get(f"/api/v1/ce/transcripts/{number}").get_json()
    assert (absent["verdict"], absent["token"]) == ("valid", "absent")
    page = client.get(f"/ce/transcripts/{number}?t=forged").get_data(as_text=True)
    assert 'data-verdict="suspect"' in page
    assert client.get("/api/v1/ce/transcripts/CE-2026-000000000-0").status_code == 404
    assert client.get("/ce/transcripts/CE-2026-000000000-0").status_code == 404


def test_the_same_ledger_gives_the_same_transcript_and_a_change_supersedes_it(client, api_token, certified):
    person = certified()
    _credit(person, 3, 1)
    headers = api_token(person)
    first = _pdf(client, headers)
    assert _pdf(client, headers) == first
    old_url = _qr_url(first)
    _credit(person, 9, 2)
    second = _pdf(client, headers)
    new_url = _qr_url(second)
    assert new_url != old_url
    old = client.get(urlsplit(old_url).path.replace("/ce/", "/api/v1/ce/", 1) + "?" + urlsplit(old_url).query)
    assert old.get_json()["verdict"] == "superseded"
    new = client.get(urlsplit(new_url).path.replace("/ce/", "/api/v1/ce/", 1) + "?" + urlsplit(new_url).query)
    assert new.get_json()["verdict"] == "valid" and new.get_json()["complete"] is True


def test_the_pdf_check_tells_the_genuine_file_from_an_altered_one(client, api_token, certified):
    person = certified()
    _credit(person, 3, 1)
    pdf = _pdf(client, api_token(person))
    number = urlsplit(_qr_url(pdf)).path.rsplit("/", 1)[1]
    url = f"/api/v1/ce/transcripts/{number}/check-pdf"
    genuine = client.post(url, data={"file": (io.BytesIO(pdf), "a.pdf")}, content_type="multipart/form-data")
    assert (genuine.get_json()["pdf"], genuine.get_json()["verdict"]) == ("genuine", "valid")
    altered = client.post(url, data={"file": (io.BytesIO(pdf.replace(b"/Title", b"/Titlf")), "a.pdf")},
                          content_type="multipart/form-data")
    assert (altered.get_json()["pdf"], altered.get_json()["verdict"]) == ("altered", "suspect")
    missing = client.post(url, data={}, content_type="multipart/form-data")
    assert missing.status_code == 400


def test_the_person_downloads_it_from_the_hub(client, login, certified):
    person = certified()
    login(person)
    response = client.get("/ce/transcript.pdf?year=2026")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    response.close()
