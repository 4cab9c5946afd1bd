"""The printable 备案表 (Liaoning 附件1): A4, the project's embedded CJK font (the certificate
template's, registered by lms.certificates.fonts), the person's, the enterprise's and the
bureau's signature and seal boxes, the filing number and a QR code to the filing's staff page.

`render_filing` is pure: plain values in, PDF bytes out. Labels are lazy strings; the caller
renders under the Chinese locale, as the form is a Chinese government form.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from lms.certificates.elements import draw_qr
from lms.certificates.fonts import registered_font
from lms.certificates.templates import FontSpec
from lms.talent import form
from lms.talent.models import AchievementKind

WORDS = {"filing_no": _l("备案编号"), "pending": _l("受理后生成"), "status": _l("状态"),
         "qr": _l("工作人员扫码查看"), "period": _l("起止年月"), "now": _l("至今"),
         "date": _l("日期：%(year)s年%(month)s月%(day)s日")}
BLANK = "\u00a0" * 8  # kept by the paragraph, where ideographic spaces would collapse
SIGNATURE_BOXES = (
    (_l("本人承诺"), _l("本人承诺所填信息真实、准确、完整。"), _l("本人签字：")),
    (_l("企业意见"), _l("情况属实，同意备案。"), _l("企业（盖章）：")),
    (_l("市场监管部门意见"), _l("经审核，同意纳入企业标准化人才库。"), _l("市场监管部门（盖章）：")),
)
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
QR_SIZE = 24 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_GREY = colors.HexColor("#f2f2f2")


@dataclass(frozen=True)
class FilingDocument:
    title: str  # 首席标准官、标准总监和标准化专员信息备案表
    values: dict[str, Any]  # Filing.form
    filing_no: str | None
    status: str  # the filing's status label
    staff_url: str  # what the QR code opens


def render_filing(document: FilingDocument, font: FontSpec) -> bytes:
    name = registered_font(font)[0]
    styles = _Styles(name)
    out = io.BytesIO()
    pdf = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 10 * mm,
                            bottomMargin=MARGIN, title=document.title, author="", subject=document.filing_no or "",
                            creator="lms", invariant=1)

    def header(canvas, doc) -> None:
        """The number and status on every page; the QR code on the first, beside the title."""
        canvas.saveState()
        canvas.setFont(name, 9)
        number = document.filing_no or str(WORDS["pending"])
        canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN, f"{WORDS['filing_no']}：{number}")
        canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN - 12, f"{WORDS['status']}：{document.status}")
        if doc.page == 1:
            draw_qr(canvas, document.staff_url, PAGE_WIDTH - MARGIN - QR_SIZE, PAGE_HEIGHT - MARGIN + 6 * mm, QR_SIZE)
            canvas.setFont(name, 7)
            canvas.drawCentredString(PAGE_WIDTH - MARGIN - QR_SIZE / 2, PAGE_HEIGHT - MARGIN - QR_SIZE + 3 * mm,
                                     str(WORDS["qr"]))
        canvas.setFont(name, 8)
        canvas.drawCentredString(PAGE_WIDTH / 2, 10 * mm, str(doc.page))
        canvas.restoreState()

    story = [Spacer(1, 7 * mm), Paragraph(escape(document.title), styles.title), Spacer(1, 4 * mm),
             _basic(document.values, styles), Spacer(1, 3 * mm),
             _history(document.values, styles), Spacer(1, 3 * mm),
             _achievements(document.values, styles), Spacer(1, 3 * mm),
             _grid([[styles.label(form.LABELS["remarks"]), styles.value(document.values.get("remarks", ""))]],
                   [30 * mm, BODY_WIDTH - 30 * mm]),
             Spacer(1, 4 * mm), _signatures(styles)]
    pdf.build(story, onFirstPage=header, onLaterPages=header)
    return out.getvalue()


class _Styles:
    def __init__(self, font: str):
        self.title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, wordWrap="CJK")
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
        self.head = ParagraphStyle("head", parent=self.cell, alignment=1)
        self.section = ParagraphStyle("section", fontName=font, fontSize=11, leading=15, wordWrap="CJK")

    def label(self, text) -> Paragraph:
        return Paragraph(escape(str(text)), self.head)

    def value(self, text) -> Paragraph:
        return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), self.cell)


def _grid(rows: list[list[Any]], widths: list[float], spans=(), labels=((0, 0),)) -> Table:
    """A ruled table; `labels` are the (column, row) cells shaded as headings."""
    table = Table(rows, colWidths=widths, hAlign="CENTER")
    style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    style += [("SPAN", start, end) for start, end in spans]
    style += [("BACKGROUND", cell, cell, LABEL_GREY) for cell in labels]
    table.setStyle(TableStyle(style))
    return table


def _basic(values: dict[str, Any], styles: _Styles) -> Table:
    """Label/value pairs, three to a row; a pair followed by None spans the next pair's cells."""
    layout = [("name", "gender", "birth_date"), ("ethnicity", "political_status", "education"),
              ("id_number", None, "phone"), ("email", None, "title_name"), ("school", None, "major"),
              ("enterprise_name", None, None), ("enterprise_uscc", None, "enterprise_region"),
              ("industry", None, "ownership"), ("position", "post_title", "full_time"),
              ("appointed_on", "document_no", None), ("cert_no", None, "cert_valid_until"),
              ("program_title", None, "institution_name")]
    label_width, value_width = 24 * mm, (BODY_WIDTH - 3 * 24 * mm) / 3
    rows, spans, labels = [], [], []
    for r, keys in enumerate(layout):
        row: list[Any] = []
        for c, key in enumerate(keys):
            if key is None:
                row += ["", ""]
                continue
            shown = form.shown(values, key)
            if key == "title_name" and not shown:
                shown = form.shown(values, "title_level")
            row += [styles.label(form.LABELS[key]), styles.value(shown)]
            labels.append((2 * c, r))
            covered = 0
            while c + 1 + covered < len(keys) and keys[c + 1 + covered] is None:
                covered += 1
            if covered:
                spans.append(((2 * c + 1, r), (2 * c + 1 + 2 * covered, r)))
        rows.append(row)
    return _grid(rows, [label_width, value_width] * 3, spans, labels)


def _history(values: dict[str, Any], styles: _Styles) -> Table:
    rows = [[styles.label(form.LABELS["work_history"]), styles.label(WORDS["period"]),
             styles.label(form.WORK_LABELS["employer"]), styles.label(form.WORK_LABELS["job"])]]
    for item in values.get("work_history") or []:
        period = f"{item.get('from', '')} — {item.get('to') or WORDS['now']}"
        rows.append(["", styles.value(period), styles.value(item.get("employer")), styles.value(item.get("job"))])
    if len(rows) == 1:
        rows.append(["", "", "", ""])
    return _grid(rows, [24 * mm, 36 * mm, 70 * mm, BODY_WIDTH - 130 * mm], [((0, 0), (0, len(rows) - 1))],
                 [(column, 0) for column in range(4)])


def _achievements(values: dict[str, Any], styles: _Styles) -> Table:
    rows = [[styles.label(form.LABELS["achievements"]), styles.label(form.ACHIEVEMENT_LABELS["kind"]),
             styles.label(form.ACHIEVEMENT_LABELS["title"]), styles.label(form.ACHIEVEMENT_LABELS["role"])]]
    for item in values.get("achievements") or []:
        kind = AchievementKind.get(item.get("kind"))
        title = " ".join(part for part in (item.get("number"), item.get("title")) if part)
        rows.append(["", styles.value(kind.label if kind else ""), styles.value(title), styles.value(item.get("role"))])
    if len(rows) == 1:
        rows.append(["", "", "", ""])
    return _grid(rows, [24 * mm, 36 * mm, 90 * mm, BODY_WIDTH - 150 * mm], [((0, 0), (0, len(rows) - 1))],
                 [(column, 0) for column in range(4)])


def _signatures(styles: _Styles) -> Table:
    """Three boxes: the person's pledge and signature, the enterprise's and the bureau's opinion and seal."""
    boxes = []
    for heading, text, sign in SIGNATURE_BOXES:
        boxes.append([Paragraph(f"<b>{escape(str(heading))}</b>", styles.cell), Spacer(1, 2 * mm),
                      Paragraph(escape(str(text)), styles.cell), Spacer(1, 16 * mm),
                      Paragraph(escape(str(sign)), styles.cell), Spacer(1, 2 * mm),
                      Paragraph(escape(WORDS["date"] % {"year": BLANK * 2, "month": BLANK, "day": BLANK}),
                                styles.cell)])
    table = Table([boxes], colWidths=[BODY_WIDTH / 3] * 3, rowHeights=[46 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 8)]))
    return table
