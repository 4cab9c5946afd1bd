"""render_certificate(template, context) -> PDF bytes. Pure: everything comes in as arguments.

The same template and data always give the same bytes (ReportLab's invariant mode, and
the PDF dates set from the issue time), so a stored PDF can be checked by re-rendering.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import zxingcpp
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.fonts import GlyphMissing, missing_glyphs, registered_font
from lms.certificates.ornaments import draw_background, draw_seal, image_reader
from lms.certificates.templates import PLACEHOLDERS, CertificateTemplate, Element
from lms.core.masking import mask_id_number

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# Binary streams: ASCII85 makes every image and font stream 25% larger and costs time.
rl_config.useA85 = 0


@dataclass(frozen=True)
class CertificateData:
    cert_no: str
    holder_name: str
    gender: str
    id_number: str
    program_name: str
    program_code: str
    institution_name: str
    institution_code: str
    issue_date: date
    valid_until: date
    verify_url: str
    issued_at: datetime
    modules: tuple[tuple[str, float], ...] = ()
    photo: bytes | None = None
    seal_image: bytes | None = None
    version: int = 1

    def values(self) -> dict[str, str]:
        hours = sum(h for _name, h in self.modules)
        return {
            "cert_no": self.cert_no, "holder_name": self.holder_name, "gender": GENDERS.get(self.gender, self.gender),
            "id_number": self.id_number, "id_number_masked": mask_id_number(self.id_number),
            "program_name": self.program_name, "program_code": self.program_code,
            "total_hours": _hours(hours), "issue_date": chinese_date(self.issue_date),
            "valid_until": chinese_date(self.valid_until),
            "institution_name": self.institution_name, "institution_code": self.institution_code,
            "version": str(self.version),
        }


GENDERS = {"male": "男", "female": "女"}  # profile values (DESIGN) as printed


def chinese_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _hours(value: float) -> str:
    return f"{value:g}"


def fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def check_glyphs(template: CertificateTemplate, data: CertificateData) -> None:
    """Raise GlyphMissing for the first value the template's fonts cannot print."""
    values = data.values()
    for element in template.elements:
        spec = template.fonts[element.get("font", template.default_font)]
        if element.kind in {"text", "paragraph", "modules", "seal"}:
            texts = "".join(str(element.get(key, "")) for key in ("text", "title", "bottom", "mark"))
            for placeholder in _PLACEHOLDER.findall(texts):
                missing = missing_glyphs(spec, values[placeholder])
                if missing:
                    raise GlyphMissing(placeholder, PLACEHOLDERS[placeholder], missing)
        if element.kind == "modules":
            for index, (name, _hours_) in enumerate(data.modules):
                missing = missing_glyphs(spec, name)
                if missing:
                    raise GlyphMissing(f"modules[{index}]", f"第 {index + 1} 个模块名称", missing)


def render_certificate(template: CertificateTemplate, context: CertificateData) -> bytes:
    """The certificate as PDF bytes. Raises GlyphMissing, before drawing anything, when a
    value has a character the template's fonts cannot print."""
    check_glyphs(template, context)
    width, height = template.page_mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width * mm, height * mm), invariant=1, pageCompression=1,
                    initialFontName=registered_font(template.fonts[template.default_font])[0])
    stamp = context.issued_at.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
    canvas.setDateFormatter(lambda *_args: stamp)
    canvas.setTitle(f"{template.title} {context.cert_no}")
    canvas.setSubject(context.verify_url)
    canvas.setAuthor(context.institution_name)
    canvas.setCreator("lms certificates")
    page = _Page(canvas, template, context, height)
    draw_background(canvas, template.background, template.page_mm, template.path.parent)
    values = context.values()
    for element in template.elements:
        DRAWERS[element.kind](page, element, values)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@dataclass
class _Page:
    canvas: Canvas
    template: CertificateTemplate
    data: CertificateData
    height_mm: float

    def point(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """Template millimetres from the top-left to PDF points from the bottom-left."""
        return x_mm * mm, (self.height_mm - y_mm) * mm

    def font(self, element: Element) -> str:
        return registered_font(self.template.fonts[element.get("font", self.template.default_font)])[0]

    def color(self, element: Element, default: str = "#222222"):
        return HexColor(element.get("color", default))


def _draw_text(page: _Page, element: Element, values: dict[str, str]) -> None:
    text = fill(str(element["text"]), values)
    font, size, spacing = page.font(element), float(element.get("size", 12)), float(element.get("spacing", 0))
    measured = stringWidth(text, font, size) + spacing * max(len(text) - 1, 0)
    limit = element.get("max_width")
    if limit and measured > limit * mm:  # shrink long values (names, programmes) to fit
        factor = limit * mm / measured
        size, spacing, measured = size * factor, spacing * factor, measured * factor
    x, y = page.point(element["x"], element["y"])
    x -= {"left": 0, "center": measured / 2, "right": measured}[element.get("align", "left")]
    canvas = page.canvas
    canvas.setFillColor(page.color(element))
    text_object = canvas.beginText(x, y)
    text_object.setFont(font, size)
    text_object.setCharSpace(spacing)
    text_object.textOut(text)
    canvas.drawText(text_object)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break Chinese text at any character (Latin words are kept whole) to fit `width` points."""
    lines, current = [], ""
    for token in re.findall(r"[A-Za-z0-9.\-]+|\s+|.", text):
        if current and stringWidth(current + token, font, size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _draw_paragraph(page: _Page, element: Element, values: dict[str, str]) -> None:
    font, size = page.font(element), float(element.get("size", 12))
    leading = float(element.get("leading", size * 1.6))
    lines = wrap(fill(str(element["text"]), values), font, size, element["width"] * mm)
    lines = lines[: int(element.get("max_lines", len(lines)))]
    x, y = page.point(element["x"], element["y"])
    canvas = page.canvas
    canvas.setFillColor(page.color(element))
    text_object = canvas.beginText(x, y - size)
    text_object.setFont(font, size, leading)
    for line in lines:
        text_object.textLine(line)
    canvas.drawText(text_object)


def _draw_modules(page: _Page, element: Element, values: dict[str, str]) -> None:
    """A two-column list: module name on the left, its hours on the right."""
    modules = list(page.data.modules)
    font, size = page.font(element), float(element.get("size", 10.5))
    rows = len(modules) + (1 if element.get("title") else 0)
    line = min(size * 1.7, element["height"] * mm / max(rows, 1))
    size = min(size, line / 1.5)
    x, top = page.point(element["x"], element["y"])
    right = x + element["width"] * mm
    canvas = page.canvas
    canvas.setFillColor(page.color(element))
    y = top - line * 0.75
    if element.get("title"):
        canvas.setFont(font, size)
        canvas.drawString(x, y, fill(str(element["title"]), values))
        y -= line
    for name, hours in modules:
        canvas.setFont(font, size)
        label = f"{_hours(hours)} 学时"
        room = right - x - stringWidth(label, font, size) - 4 * mm
        shown = name
        while shown and stringWidth(shown, font, size) > room:
            shown = shown[:-2] + "…"
        canvas.drawString(x, y, shown)
        canvas.drawRightString(right, y, label)
        canvas.setStrokeColor(HexColor("#b8a98a"))
        canvas.setLineWidth(0.3)
        canvas.setDash(0.6, 1.8)
        canvas.line(x + stringWidth(shown, font, size) + 1.5 * mm, y + 0.5,
                    right - stringWidth(label, font, size) - 1.5 * mm, y + 0.5)
        canvas.setDash()
        y -= line


def _draw_photo(page: _Page, element: Element, values: dict[str, str]) -> None:
    x, y = page.point(element["x"], element["y"] + element["height"])
    w, h = element["width"] * mm, element["height"] * mm
    canvas = page.canvas
    if page.data.photo:
        canvas.drawImage(ImageReader(io.BytesIO(page.data.photo)), x, y, w, h,
                         preserveAspectRatio=True, anchor="c")
        return
    canvas.setStrokeColor(page.color(element, "#9a8f7a"))
    canvas.setLineWidth(0.5)
    canvas.setDash(2, 2)
    canvas.rect(x, y, w, h)
    canvas.setDash()
    canvas.setFillColor(page.color(element, "#9a8f7a"))
    canvas.setFont(registered_font(page.template.fonts[page.template.default_font])[0], 10)
    canvas.drawCentredString(x + w / 2, y + h / 2 - 3, "照　片")


def qr_runs(payload: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR symbol (error correction M) as (modules per side, [(row, column, run length)]).

    Encoded by zxing-cpp (C++, ~1 ms; a pure-Python encoder takes ~6 ms, most of a render).
    """
    symbol = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
    count = image.shape[0]
    pixels = image.tobytes()  # 0 is a dark module, 255 a light one
    runs = []
    for row in range(count):
        offset = row * count
        for match in _DARK_RUN.finditer(pixels, offset, offset + count):
            runs.append((row, match.start() - offset, match.end() - match.start()))
    return count, runs


_DARK_RUN = re.compile(rb"\x00+")


def _draw_qr(page: _Page, element: Element, values: dict[str, str]) -> None:
    count, runs = qr_runs(page.data.verify_url)
    size = element["size"] * mm
    x, y = page.point(element["x"], element["y"])  # top-left corner of the symbol
    canvas = page.canvas
    canvas.saveState()
    canvas.translate(x, y - size)
    canvas.scale(size / count, size / count)  # one unit = one module: short integer operands
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.rect(-4, -4, count + 8, count + 8, stroke=0, fill=1)  # the quiet zone
    canvas.setFillColor(page.color(element, "#000000"))
    top = count - 1
    canvas.addLiteral("\n".join([f"{column} {top - row} {length} 1 re" for row, column, length in runs]) + " f")
    canvas.restoreState()


def _draw_line(page: _Page, element: Element, values: dict[str, str]) -> None:
    canvas = page.canvas
    canvas.setStrokeColor(page.color(element, "#8a6d3b"))
    canvas.setLineWidth(float(element.get("width", 0.2)) * mm)
    canvas.line(*page.point(element["x1"], element["y1"]), *page.point(element["x2"], element["y2"]))


def _draw_image(page: _Page, element: Element, values: dict[str, str]) -> None:
    _place_image(page.canvas, image_reader(page.template.path.parent / element["file"]),
                 page.point(element["x"], element["y"] + element["height"]),
                 element["width"] * mm, element["height"] * mm, element.get("opacity"))


def _place_image(canvas: Canvas, image: ImageReader, corner: tuple[float, float], width: float,
                 height: float, opacity: float | None = None) -> None:
    canvas.saveState()
    if opacity is not None:
        canvas.setFillAlpha(float(opacity))
    canvas.drawImage(image, *corner, width, height, mask="auto", preserveAspectRatio=True, anchor="c")
    canvas.restoreState()


def _draw_seal(page: _Page, element: Element, values: dict[str, str]) -> None:
    """The round red seal, drawn as vectors; an institution's own scanned seal
    (CertificateData.seal_image) is placed instead when given."""
    size = element["size"] * mm
    left, bottom = page.point(element["x"], element["y"] + element["size"])
    opacity = float(element.get("opacity", 0.88))
    if page.data.seal_image:
        _place_image(page.canvas, ImageReader(io.BytesIO(page.data.seal_image)), (left, bottom),
                     size, size, opacity)
        return
    draw_seal(page.canvas, (left + size / 2, bottom + size / 2), size, page.font(element),
              name=fill(str(element["text"]), values),
              lines=[fill(str(element[key]), values) if element.get(key) else "" for key in ("mark", "bottom")],
              color=page.color(element, "#c41e24"), opacity=opacity)


DRAWERS: dict[str, Callable[[_Page, Element, dict[str, str]], None]] = {
    "text": _draw_text, "paragraph": _draw_paragraph, "modules": _draw_modules,
    "photo": _draw_photo, "qr": _draw_qr, "line": _draw_line, "image": _draw_image,
    "seal": _draw_seal,
}
