"""The certificate as three PDF engines see it: PDFium (the engine of Chromium's viewer),
MuPDF and poppler (most Linux viewers). Acrobat does not run here; what it is strict about
(file syntax, every font embedded with its program and Unicode map) is checked on the file."""
import html
import re
import shutil
import subprocess

import pikepdf
import pymupdf
import pypdfium2
import pypdfium2.raw as pdfium_raw
import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from lms.certificates.render import render_certificate
from lms.certificates.samples import sample_data
from lms.certificates.templates import load_template

poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
                             reason="poppler-utils not installed (.ci/run installs it)")

# 「璇」is in none of the cohort's words, so the name is drawn with the holder's font instance.
HOLDER = "欧阳璇"


@pytest.fixture(scope="module", params=["director", "chief"])
def certificate(request, tmp_path_factory):
    data = sample_data(8, private_key=Ed25519PrivateKey.generate(), holder_name=HOLDER)
    path = tmp_path_factory.mktemp(request.param) / "certificate.pdf"
    path.write_bytes(render_certificate(load_template(request.param), data))
    return data, path


def words_of(data) -> list[str]:
    return [HOLDER, data.cert_no, data.id_number, "上海标准化人才培训中心（演示）", "标准体系构建与实施",
            "2026年上海市企业标准化总监高级研修班（第一期）"]


# ---- each engine: (picture, text, where given words are: left, top, right, bottom in pt) ----

def pdfium_view(path, words, dpi=150):
    page = pypdfium2.PdfDocument(path.read_bytes())[0]
    text_page = page.get_textpage()
    height, boxes = page.get_height(), {}
    for word in words:
        found = text_page.search(word).get_next()
        if found:
            first, count = found
            chars = [text_page.get_charbox(i) for i in range(first, first + count)]
            boxes[word] = (min(c[0] for c in chars), height - max(c[3] for c in chars),
                           max(c[2] for c in chars), height - min(c[1] for c in chars))
    picture = page.render(scale=dpi / 72).to_pil().convert("L")
    return picture, text_page.get_text_range(), boxes


def mupdf_view(path, words, dpi=150):
    page = pymupdf.open(path)[0]
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    picture = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
    boxes = {word: tuple(hits[0]) for word in words if (hits := page.search_for(word))}
    return picture, page.get_text(), boxes


def poppler_view(path, words, dpi=150):
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", str(path),
                    str(path.with_suffix(""))], check=True)
    picture = Image.open(path.with_suffix(".png")).convert("L")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    layout = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found = {html.unescape(m[5]): tuple(float(v) for v in m.groups()[:4]) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', layout)}
    return picture, text, {word: found[word] for word in words if word in found}


ENGINES = {"PDFium": pdfium_view, "MuPDF": mupdf_view, "poppler": pytest.param(poppler_view, marks=poppler)}


@pytest.fixture(params=list(ENGINES.values()), ids=list(ENGINES))
def view(request):
    return request.param


def test_every_engine_reads_every_word_of_the_certificate(certificate, view):
    data, path = certificate
    _picture, text, _boxes = view(path, [])
    flat = re.sub(r"\s+", "", text)
    for word in words_of(data) + ["合格证", "扫码核验", "证书专用章"]:
        assert re.sub(r"\s+", "", word) in flat, word


def test_every_engine_puts_the_words_in_the_same_places(certificate):
    """Engines measure glyph boxes a little differently (ink or advance), so this allows
    2 pt; a word drawn with other metrics, or not drawn, is far outside that. poppler
    reports whole words only (「姓名：欧阳璇」), so it is compared on the words it lists alone."""
    data, path = certificate
    words = words_of(data)
    reference = mupdf_view(path, words)[2]
    assert set(reference) == set(words)
    compared = {"PDFium": pdfium_view(path, words)[2]}
    assert set(compared["PDFium"]) == set(words)
    if shutil.which("pdftotext"):
        compared["poppler"] = poppler_view(path, words)[2]
        assert {"上海标准化人才培训中心（演示）", "标准体系构建与实施"} <= set(compared["poppler"])
    for engine, boxes in compared.items():
        for word, (left, top, _right, bottom) in boxes.items():
            expected = reference[word]
            assert abs(left - expected[0]) < 2, (engine, word, boxes[word], expected)
            assert abs((top + bottom) / 2 - (expected[1] + expected[3]) / 2) < 2, (engine, word, boxes[word], expected)


def test_the_qr_code_is_sharp_and_scans_in_every_engine(certificate, view):
    data, path = certificate
    picture = view(path, [], dpi=200)[0]
    (symbol,) = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    assert symbol.text == data.verify_url
    left, top, right, bottom = symbol.position.top_left.x, symbol.position.top_left.y, \
        symbol.position.bottom_right.x, symbol.position.bottom_right.y
    code = picture.crop((left, top, right, bottom)).histogram()
    blurred = sum(code[40:216]) / sum(code)
    assert blurred < 0.01, f"{blurred:.1%} of the code's pixels are grey: the engine smooths the modules"


def test_pdfium_draws_every_character_with_an_embedded_font(certificate):
    _data, path = certificate
    text_page = pypdfium2.PdfDocument(path.read_bytes())[0].get_textpage()
    embedded = set()
    for index in range(text_page.count_chars()):
        text_object = pdfium_raw.FPDFText_GetTextObject(text_page.raw, index)
        if text_object:
            embedded.add(pdfium_raw.FPDFFont_GetIsEmbedded(pdfium_raw.FPDFTextObj_GetFont(text_object)))
    assert embedded == {1}


def test_the_file_is_well_formed_and_every_font_carries_its_program_and_unicode_map(certificate):
    """What Acrobat is strict about: the cross-reference table, stream lengths and filters
    (qpdf's check), and fonts (also those inside form XObjects) embedded and mapped to Unicode."""
    _data, path = certificate
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []
        fonts = []

        def collect(resources):
            for font in (resources.get("/Font") or {}).values():
                fonts.append(font)
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                    collect(xobject.Resources)

        collect(pdf.pages[0].Resources)
        assert len({font.objgen for font in fonts}) >= 2  # the cohort's and the holder's instance
        for font in fonts:
            assert font.Subtype == "/TrueType"
            assert "/FontFile2" in font.FontDescriptor, font.BaseFont
            assert "/ToUnicode" in font, font.BaseFont
            assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font.BaseFont)), font.BaseFont
            program = font.FontDescriptor.FontFile2.read_bytes()
            assert program[:4] == b"\x00\x01\x00\x00"  # a TrueType font program
            pymupdf.Font(fontbuffer=program)  # and one a font engine can load
