"""The 学时证明 PDF: a pure function of its data (the same data give the same bytes), drawn with
the certificates' embedded CJK font and their QR stencil (lms.certificates.fonts, .elements)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.elements import qr_bitmap, wrap
from lms.certificates.fonts import registered_font
from lms.certificates.templates import TEMPLATES_DIR, FontSpec

FONT = FontSpec("hei", TEMPLATES_DIR / "fonts" / "wqy-microhei.ttc", 0)
WIDTH, HEIGHT = A4
MARGIN = 18 * mm
INK, MUTED, LINE = HexColor("#222222"), HexColor("#555555"), HexColor("#999999")


@dataclass(frozen=True)
class TranscriptData:
    number: str
    year: int
    holder_name: str
    id_number: str  # masked
    required_hours: float
    earned_hours: float
    by_category: dict
    complete: bool
    credits: tuple  # (date, source label, title, category label, hours)
    issued_on: date
    check_url: str


def _hours(value: float) -> str:
    return f"{value:g}"


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """The QR symbol as a 1-bit stencil image with its quiet zone; (x, y) the lower-left corner."""
    count, rows = qr_bitmap(payload)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.setFillColor(HexColor("#ffffff"))
    quiet = size * 4 / count
    canvas.rect(-quiet, -quiet, size + 2 * quiet, size + 2 * quiet, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    canvas.scale(size, size)
    canvas.addLiteral(f"BI /W {count} /H {count} /IM true /BPC 1 /I false /F /AHx ID\n{rows.hex()}>\nEI")
    canvas.restoreState()


def render_transcript(data: TranscriptData) -> bytes:
    font, _face = registered_font(FONT)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(f"继续教育学时证明 {data.number}")
    canvas.setAuthor("")

    def header(first: bool) -> float:
        canvas.setFillColor(INK)
        if not first:
            canvas.setFont(font, 10)
            canvas.drawString(MARGIN, HEIGHT - MARGIN, f"继续教育学时证明（续） {data.number}")
            return HEIGHT - MARGIN - 12 * mm
        canvas.setFont(font, 22)
        canvas.drawCentredString(WIDTH / 2, HEIGHT - MARGIN - 8 * mm, "继续教育学时证明")
        canvas.setFont(font, 10)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(WIDTH / 2, HEIGHT - MARGIN - 15 * mm, f"{data.year} 年度 · 编号 {data.number}")
        canvas.setFillColor(INK)
        size = 30 * mm
        _qr(canvas, data.check_url, WIDTH - MARGIN - size, HEIGHT - MARGIN - 28 * mm - size, size)
        canvas.setFont(font, 8)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(WIDTH - MARGIN - size / 2, HEIGHT - MARGIN - 33 * mm - size, "扫码核验")
        canvas.setFillColor(INK)
        canvas.setFont(font, 11)
        y = HEIGHT - MARGIN - 32 * mm
        category = "；".join(f"{label} {_hours(data.by_category.get(key, 0))}"
                            for key, label in (("public", "公需科目"), ("professional", "专业科目")))
        missing = max(0.0, data.required_hours - data.earned_hours)
        facts = [("姓名", data.holder_name), ("身份证件号码", data.id_number or "—"), ("年度", f"{data.year} 年"),
                 ("应完成学时", _hours(data.required_hours)), ("已获学时", f"{_hours(data.earned_hours)}（{category}）"),
                 ("完成情况", "已完成" if data.complete else f"未完成（尚差 {_hours(missing)} 学时）")]
        for label, value in facts:
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, y, label)
            canvas.setFillColor(INK)
            canvas.drawString(MARGIN + 30 * mm, y, value)
            y -= 7 * mm
        return y - 4 * mm

    columns = [(MARGIN, "日期"), (MARGIN + 26 * mm, "来源"), (MARGIN + 52 * mm, "名称"),
               (WIDTH - MARGIN - 34 * mm, "类别"), (WIDTH - MARGIN - 10 * mm, "学时")]
    title_width = columns[3][0] - columns[2][0] - 3 * mm

    def table_head(y: float) -> float:
        canvas.setFont(font, 10)
        canvas.setFillColor(MUTED)
        for x, label in columns:
            canvas.drawString(x, y, label)
        canvas.setStrokeColor(LINE)
        canvas.line(MARGIN, y - 2 * mm, WIDTH - MARGIN, y - 2 * mm)
        canvas.setFillColor(INK)
        return y - 7 * mm

    y = table_head(header(True))
    if not data.credits:
        canvas.drawString(MARGIN, y, "本年度尚无记入的学时。")
        y -= 7 * mm
    for day, source, title, category, hours in data.credits:
        lines = wrap(title, font, 10, title_width) or [""]
        if y - 5 * mm * len(lines) < MARGIN + 20 * mm:
            canvas.showPage()
            y = table_head(header(False))
        canvas.setFont(font, 10)
        canvas.drawString(columns[0][0], y, day.isoformat())
        canvas.drawString(columns[1][0], y, str(source))
        canvas.drawString(columns[3][0], y, str(category))
        canvas.drawRightString(WIDTH - MARGIN, y, _hours(hours))
        for line in lines:
            canvas.drawString(columns[2][0], y, line)
            y -= 5 * mm
        y -= 2 * mm
    canvas.setFont(font, 9)
    canvas.setFillColor(MUTED)
    footer = f"出具日期：{_day(data.issued_on)}。本证明所列学时以系统记录为准，扫描右上角二维码可核验真伪。"
    canvas.drawString(MARGIN, MARGIN + 3 * mm, footer)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
