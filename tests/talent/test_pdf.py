"""The printed 备案表: rendered, its text read back, its QR code decoded."""
import io

import pymupdf
import pypdfium2
import zxingcpp
from PIL import Image

from lms.talent import services


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _qr(pdf: bytes) -> str:
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    image = Image.open(io.BytesIO(page.get_pixmap(dpi=150).tobytes("png")))
    (symbol,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return symbol.text


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_accepted_form_prints_every_field_the_number_and_the_three_signature_boxes(world, filing_at, app):
    filing = filing_at("accepted")
    pdf = services.filing_pdf(filing)
    assert pdf.startswith(b"%PDF")
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    assert (round(page.rect.width), round(page.rect.height)) == (595, 842)  # A4 portrait
    text = _flat(_text(pdf))
    values = filing.form
    for expected in ("首席标准官和标准化专员信息备案表", f"备案编号：{filing.filing_no}", "状态：已入库",
                     "姓名", "赵标准", "性别", "男", "出生年月", "1985-06", values["id_number"], "民族", "汉族",
                     "政治面貌", "群众", "电子邮箱", "zhao@example.cn", "学历", "本科", "毕业院校", "东北大学",
                     "职称名称", "工程师", _flat(world.enterprise.name), world.enterprise.uscc, "辽宁省沈阳市和平区",
                     "聘任岗位", "标准化专员", "专职", values["appointed_on"], "测〔2026〕1号", values["cert_no"],
                     "工作经历", "2010-07—2015-06", "沈阳某厂", "2015-07—至今", "标准化工作业绩",
                     "Q/SYC001-2025数控机床装配工艺规范", "主要起草人", "标准化技术组织任职", "辽宁省机械标准化技术委员会",
                     "备注", "兼任质量部副部长", "本人承诺", "本人签字：", "企业意见", "企业（盖章）：",
                     "市场监管部门意见", "市场监管部门（盖章）：", "日期："):
        assert _flat(expected) in text, expected


def test_the_qr_code_opens_the_filings_staff_page(world, filing_at, app):
    filing = filing_at("submitted")
    url = _qr(services.filing_pdf(filing))
    assert url == f"{app.config['PUBLIC_BASE_URL']}/talent/filings/{filing.id}"


def test_a_draft_prints_without_a_number_and_says_so(world, filing_at):
    text = _flat(_text(services.filing_pdf(filing_at("draft"))))
    assert "备案编号：受理后生成" in text and "状态：草稿" in text


def test_the_form_prints_in_chinese_whatever_language_the_reader_chose(world, filing_at, client, login):
    filing = filing_at("submitted")
    login(world.person)
    client.post("/lang/en")
    response = client.get(f"/talent/filings/{filing.id}/pdf")
    assert response.mimetype == "application/pdf"
    assert "政治面貌" in _text(response.data) and "Political" not in _text(response.data)


def test_a_long_record_runs_onto_a_second_page_with_the_number_on_it(world, filing_at):
    work = [{"from": f"{2000 + i}-01", "to": f"{2000 + i}-12", "employer": f"第{i}家单位", "job": "工程师"}
            for i in range(20)]
    from tests.talent.conftest import FILLED

    filing = filing_at("accepted", values={**FILLED, "work_history": work})
    document = pypdfium2.PdfDocument(services.filing_pdf(filing))
    try:
        assert len(document) >= 2
        assert filing.filing_no in _flat(document[1].get_textpage().get_text_range())
    finally:
        document.close()
