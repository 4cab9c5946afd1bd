"""For the graduate: the check log in words (when, where — city from the operator's table, 内网,
互联网 —, how, forged QR codes and altered files marked) and their photo on the certificate."""
import io

import pytest

from lms.certificates import issuing, services
from lms.certificates.places import place_of
from lms.extensions import db
from lms.verify import checklog


@pytest.fixture
def issued(make_graduate, exam_passed, cohort_staff):
    application = make_graduate(name="张三明")
    certificate = services.issue(cohort_staff(application.cohort), application)
    db.session.commit()
    return certificate


def test_the_holder_reads_where_and_how_and_sees_forged_checks_marked(client, issued, login):
    wechat = {"User-Agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0"}
    client.get(f"/verify/{issued.cert_no}?t={issued.token}", headers=wechat, environ_base={"REMOTE_ADDR": "10.20.30.40"})
    client.get(f"/verify/{issued.cert_no}?t=forged.token.AAAA", headers=wechat,
               environ_base={"REMOTE_ADDR": "198.18.7.9"})
    altered = bytearray(issuing.stored_pdf_path(issued).read_bytes())
    altered[100] ^= 1
    client.post(f"/api/v1/certificates/{issued.cert_no}/check-pdf", data={"file": (io.BytesIO(bytes(altered)), "c.pdf")},
                environ_base={"REMOTE_ADDR": "192.168.1.5"})
    checklog.flush_all()

    login(db.session.get(type(issued), issued.id).user)
    html = client.get("/me/certificates").get_data(as_text=True)
    log = html[html.index('<table class="check-log">'):html.index("</table>")]
    rows = log.split("<tr")[2:]  # after the header row
    assert len(rows) == 3
    pdf, forged, genuine = rows  # newest first
    assert "内网" in pdf and "核对 PDF 文件" in pdf and "上传的文件不是原始文件，可能被篡改" in pdf and "check-suspect" in pdf
    assert "互联网" in forged and "扫码或网页 · 微信" in forged and "可能是伪造的证书" in forged
    assert "内网" in genuine and "正常" in genuine and "check-suspect" not in genuine
    assert "其中 2 次所出示的证书与记录不一致" in html
    assert "10.20.30.40" not in html and "198.18.7.9" not in html  # never the address, only its network


def test_places_come_from_the_operators_table_most_specific_first(app, tmp_path):
    table = tmp_path / "places.csv"
    table.write_text("# network,place\n203.0.113.0/24,上海市\n203.0.0.0/16,上海市（其他）\n2001:db8:1::/48,沈阳市\nnot a network,x\n",
                     encoding="utf-8")
    with app.app_context():
        assert place_of("203.0.113.0/24") == "互联网" and place_of("10.0.0.0/24") == "内网"
        assert place_of("fd00:1:2::/48") == "内网" and place_of("") == "未知"
        app.config["VERIFY_PLACES_FILE"] = str(table)
        try:
            assert place_of("203.0.113.0/24") == "上海市"
            assert place_of("203.0.7.0/24") == "上海市（其他）"
            assert place_of("2001:db8:1::/48") == "沈阳市"
            assert place_of("198.51.100.0/24") == "互联网"
            assert place_of("172.16.5.0/24") == "内网"  # an intranet is never looked up
        finally:
            app.config["VERIFY_PLACES_FILE"] = ""


def test_the_log_reads_in_english(client, issued, login):
    client.get(f"/verify/{issued.cert_no}?t=x", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    checklog.flush_all()
    login(db.session.get(type(issued), issued.id).user)
    client.post("/lang/en")
    html = client.get("/me/certificates").get_data(as_text=True)
    assert "Intranet" in html and "QR scan or web page" in html and "may be a forged certificate" in html


def _photo_colour_in(pdf: bytes) -> tuple[int, ...]:
    """The colour in the middle of the director template's photo box (x 148–178, y 84–124 mm)."""
    import pymupdf

    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    pixmap = page.get_pixmap(dpi=72)
    return pixmap.pixel(int(163 / 25.4 * 72), int(104 / 25.4 * 72))


def test_the_trainees_photo_is_on_the_certificate_when_they_have_one(make_graduate, exam_passed, cohort_staff):
    from PIL import Image

    from lms.enrollment.models import TraineeProfile
    from lms.enrollment.uploads import save_photo

    with_photo = make_graduate(name="李四")
    profile = db.session.query(TraineeProfile).filter_by(user_id=with_photo.user_id).one()
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "#1060c0").save(out, "PNG")
    save_photo(profile.user, profile, out.getvalue())
    db.session.commit()
    without = make_graduate(with_photo.cohort, name="王五")
    staff = cohort_staff(with_photo.cohort)

    photo_pdf = issuing.stored_pdf_path(services.issue(staff, with_photo)).read_bytes()
    plain_pdf = issuing.stored_pdf_path(services.issue(staff, without)).read_bytes()
    red, green, blue = _photo_colour_in(photo_pdf)[:3]
    assert abs(red - 0x10) < 24 and abs(green - 0x60) < 24 and abs(blue - 0xc0) < 24  # the photo itself
    import pymupdf

    assert "照" not in pymupdf.open(stream=photo_pdf, filetype="pdf")[0].get_text()
    assert "照　片" in pymupdf.open(stream=plain_pdf, filetype="pdf")[0].get_text()  # the box to paste one into


def test_the_check_address_is_printed_under_the_qr_code(app, issued):
    import pymupdf

    page = pymupdf.open(issuing.stored_pdf_path(issued))[0]
    base = app.config["PUBLIC_BASE_URL"].split("://", 1)[1]
    (hit,) = page.search_for(f"{base}/verify")
    qr = next(image for image in page.get_image_info() if image["bbox"][1] > page.rect.height / 2)  # the QR code
    left, _top, right, bottom = qr["bbox"]
    assert hit.y0 > bottom and left - 30 < hit.x0 and hit.x1 < right + 30  # right under the code
