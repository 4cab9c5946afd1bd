import base64
import io
import json
import shutil
import subprocess
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import jwt
import pymupdf
import pytest
import zxingcpp
from PIL import Image

from lms.certificates.elements import qr_bitmap
from lms.certificates.fonts import GlyphMissing, missing_glyphs
from lms.certificates.render import render_certificate
from lms.certificates.samples import sample_data
from lms.certificates.signing import KeyStore
from lms.certificates.templates import load_template


@pytest.fixture
def signing_app(make_app, key_settings):
    return make_app(PUBLIC_BASE_URL="https://lms.example.cn", **key_settings)


@pytest.fixture
def data(signing_app):
    key = KeyStore.for_app(signing_app).signing_key()
    return sample_data(3, private_key=key, base_url=signing_app.config["PUBLIC_BASE_URL"],
                       holder_name="张三明")


def qr_version(payload: str) -> int:
    """The QR version the certificate's encoder gives (21 modules for version 1, 4 more each)."""
    return (qr_bitmap(payload)[0] - 17) // 4


def rasterize(pdf: bytes, dpi: int = 150) -> Image.Image:
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    pixmap = page.get_pixmap(dpi=dpi)
    return Image.open(io.BytesIO(pixmap.tobytes("png")))


@pytest.mark.parametrize("template_name", ["director", "chief"])
def test_qr_in_the_rendered_pdf_decodes_to_a_url_whose_token_verifies(signing_app, data, template_name):
    pdf = render_certificate(load_template(template_name), data)
    (symbol,) = zxingcpp.read_barcodes(rasterize(pdf), formats=zxingcpp.BarcodeFormat.QRCode)
    assert symbol.ec_level == "M"
    url = urlsplit(symbol.text)
    assert f"{url.scheme}://{url.netloc}" == "https://lms.example.cn"
    assert url.path == f"/verify/{data.cert_no}"
    (token,) = parse_qs(url.query)["t"]

    # The employer's side: the claims rebuilt from what the paper prints, put back into the
    # token (RFC 7515 appendix F), public keys from the JWKS endpoint, verified with PyJWT.
    header, empty, signature = token.split(".")
    assert empty == "" and qr_version(symbol.text) <= 10  # small enough to scan at its printed size
    printed = {"no": data.cert_no, "n": "张*明", "d": "2026-03-05", "u": "2029-03-04"}
    payload = base64.urlsafe_b64encode(json.dumps(printed, ensure_ascii=False, separators=(",", ":")).encode())
    jwks = signing_app.test_client().get("/.well-known/jwks.json").get_json()
    key = jwt.PyJWK.from_dict(next(k for k in jwks["keys"] if k["kid"] == jwt.get_unverified_header(token)["kid"]))
    assert jwt.decode(f"{header}.{payload.decode().rstrip('=')}.{signature}", key=key, algorithms=["EdDSA"]) == printed
    altered = dict(printed, u="2039-03-04")  # a forged validity on the paper does not verify
    payload = base64.urlsafe_b64encode(json.dumps(altered, ensure_ascii=False, separators=(",", ":")).encode())
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(f"{header}.{payload.decode().rstrip('=')}.{signature}", key=key, algorithms=["EdDSA"])


@pytest.mark.parametrize("template_name", ["director", "chief"])
def test_the_qr_code_is_version_10_or_less_even_with_a_long_address(signing_app, template_name):
    with signing_app.app_context():
        key = KeyStore.for_app(signing_app).signing_key()
    long_base = "https://zhiliang-peixun.scjgj.shanghai.gov.cn"  # 44 characters
    data = sample_data(3, private_key=key, base_url=long_base, holder_name="欧阳三明")
    (symbol,) = zxingcpp.read_barcodes(rasterize(render_certificate(load_template(template_name), data)),
                                       formats=zxingcpp.BarcodeFormat.QRCode)
    assert symbol.text == data.verify_url and qr_version(symbol.text) <= 10 and symbol.ec_level == "M"
    size_mm = next(e["size"] for e in load_template(template_name).elements if e.kind == "qr")
    assert size_mm / qr_bitmap(symbol.text)[0] >= 0.45  # mm per module on paper


def test_qr_is_scannable_at_print_size_from_a_low_resolution_scan(data):
    # 100 dpi is a poor phone photo or scan of the 32 mm code.
    pdf = render_certificate(load_template("director"), data)
    (symbol,) = zxingcpp.read_barcodes(rasterize(pdf, dpi=100), formats=zxingcpp.BarcodeFormat.QRCode)
    assert data.cert_no in symbol.text


def test_font_is_embedded_as_a_subset_and_the_text_is_searchable(data):
    pdf = render_certificate(load_template("director"), data)
    document = pymupdf.open(stream=pdf, filetype="pdf")
    fonts = document[0].get_fonts()
    assert fonts, "no font"
    for xref, ext, _type, basefont, *_rest in fonts:
        assert ext == "ttf", f"{basefont} is not embedded"
        assert basefont[:7].endswith("+") and basefont[:6].isupper(), f"{basefont} is not a subset"
        assert len(document.extract_font(xref)[3]) < 200_000  # a subset, not the 5 MB font
    text = document[0].get_text()
    for expected in ("合 格 证", "张三明", data.cert_no, "2026年3月5日", "2029年3月4日",
                     "上海标准化人才培训中心（演示）", "标准体系构建与实施", "48 学时"):
        assert expected in text
    assert len(pdf) <= 150 * 1024


def test_profile_gender_values_print_in_chinese(data):
    pdf = render_certificate(load_template("director"), replace(data, gender="female"))
    assert "女" in pymupdf.open(stream=pdf, filetype="pdf")[0].get_text()


def test_rendering_is_deterministic(data):
    template = load_template("director")
    assert render_certificate(template, data) == render_certificate(template, data)
    assert render_certificate(template, data) != render_certificate(template, replace(data, version=2))


def test_photo_and_institution_seal_images_are_placed(data):
    def jpeg(color):
        out = io.BytesIO()
        Image.new("RGB", (250, 350), color).save(out, "JPEG")
        return out.getvalue()

    pdf = render_certificate(load_template("director"), replace(data, photo=jpeg("#336699"),
                                                                 seal_image=jpeg("#cc0000")))
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    assert len(page.get_images()) == 2
    assert "照" not in page.get_text()  # no placeholder box once a photo is given


def test_a_name_the_font_cannot_print_is_refused_naming_the_character(data):
    with pytest.raises(GlyphMissing) as error:
        render_certificate(load_template("director"), replace(data, holder_name="张𠮷"))
    assert "𠮷" in error.value.message and "U+20BB7" in error.value.message
    assert "持证人姓名" in error.value.message
    assert list(error.value.fields) == ["holder_name"]


def test_a_module_name_the_font_cannot_print_is_refused(data):
    modules = data.modules + (("𪚥字课程", 2),)
    with pytest.raises(GlyphMissing) as error:
        render_certificate(load_template("director"), replace(data, modules=modules))
    assert list(error.value.fields) == [f"modules[{len(modules) - 1}]"]


def test_missing_glyphs_lists_each_character_once():
    spec = load_template("director").fonts["hei"]
    assert missing_glyphs(spec, "张三明 Zhang-3") == []
    assert missing_glyphs(spec, "𠮷𠮷a𪚥") == ["𠮷", "𪚥"]


def test_long_values_are_shrunk_to_their_box(data):
    long_name = "阿卜杜热合曼·买买提依明·艾克拜尔江"
    pdf = render_certificate(load_template("director"), replace(data, holder_name=long_name))
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    (hit,) = [span for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
              for span in line["spans"] if span["text"] == long_name]
    assert hit["bbox"][2] - hit["bbox"][0] <= 80 * 72 / 25.4 + 1  # max_width 80 mm


@pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdffonts") is None,
                    reason="poppler-utils not installed")
def test_poppler_renders_the_same_certificate(data, tmp_path):
    """A second, unrelated PDF engine (poppler, as in most Linux viewers) sees the embedded
    subset font and reads the same QR code as MuPDF does."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_certificate(load_template("director"), data))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), fonts
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    (symbol,) = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"), formats=zxingcpp.BarcodeFormat.QRCode)
    (mupdf_symbol,) = zxingcpp.read_barcodes(rasterize(path.read_bytes()), formats=zxingcpp.BarcodeFormat.QRCode)
    assert symbol.text == mupdf_symbol.text == data.verify_url
