"""Drawing a certificate's elements onto a ReportLab canvas: one drawer per element kind
(DRAWERS), each in its own graphics state, on a `Page` that converts template millimetres
and knows the cohort's shared characters (fonts.py)."""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import zxingcpp
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.fonts import registered_font
from lms.certificates.ornaments import draw_seal, image_reader
from lms.certificates.templates import CertificateTemplate, Element, FontSpec, fill

if TYPE_CHECKING:
    from lms.certificates.render import CertificateData


def hours_text(value: float) -> str:
    return f"{value:g}"


def draw_elements(page: Page, values: dict[str, str], indexes) -> None:
    """Each element in its own graphics state: text state such as character spacing
    persists across text objects in PDF and would otherwise leak into the next element."""
    canvas = page.canvas
    for index in indexes:
        element = page.template.elements[index]
        canvas.saveState()
        DRAWERS[element.kind](page, element, values)
        canvas.restoreState()


@dataclass
class Page:
    canvas: Canvas
    template: CertificateTemplate
    data: CertificateData
    height_mm: float
    shared: frozenset[str]

    def point(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """Template millimetres from the top-left to PDF points from the bottom-left."""
        return x_mm * mm, (self.height_mm - y_mm) * mm

    def font_spec(self, element: Element) -> FontSpec:
        return self.template.fonts[element.get("font", self.template.default_font)]

    def font(self, element: Element) -> str:
        return registered_font(self.font_spec(element))[0]

    def runs(self, element: Element, text: str) -> list[tuple[str, str]]:
        """(font name, run) pieces of `text`: characters outside the cohort's shared set
        (a holder's rare name character) are drawn with the holder instance of the font."""
        spec = self.font_spec(element)
        shared, holder = registered_font(spec)[0], None
        pieces: list[tuple[str, str]] = []
        for char in text:
            if ord(char) < 128 or char in self.shared:
                font = shared
            else:
                font = holder = holder or registered_font(spec, holder=True)[0]
            if pieces and pieces[-1][0] == font:
                pieces[-1] = (font, pieces[-1][1] + char)
            else:
                pieces.append((font, char))
        return pieces

    def color(self, element: Element, default: str = "#222222"):
        return HexColor(element.get("color", default))


def _draw_text(page: Page, element: Element, values: dict[str, str]) -> None:
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
    text_object.setCharSpace(spacing)
    for run_font, run in page.runs(element, text):
        text_object.setFont(run_font, size)
        text_object.textOut(run)
    canvas.drawText(text_object)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break Chinese text at any character (Latin words are kept whole) to fit `width` points.
    Widths add up (advance widths, no kerning), so each token is measured once."""
    lines, current, measured = [], "", 0.0
    for token in re.findall(r"[A-Za-z0-9.\-]+|\s+|.", text):
        token_width = stringWidth(token, font, size)
        if current and measured + token_width > width:
            lines.append(current.rstrip())
            current = token.lstrip()
            measured = stringWidth(current, font, size)
        else:
            current += token
            measured += token_width
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _draw_paragraph(page: Page, element: Element, values: dict[str, str]) -> None:
    font, size = page.font(element), float(element.get("size", 12))
    leading = float(element.get("leading", size * 1.6))
    lines = wrap(fill(str(element["text"]), values), font, size, element["width"] * mm)
    lines = lines[: int(element.get("max_lines", len(lines)))]
    x, y = page.point(element["x"], element["y"])
    canvas = page.canvas
    canvas.setFillColor(page.color(element))
    text_object = canvas.beginText(x, y - size)
    for line in lines:
        for run_font, run in page.runs(element, line):
            text_object.setFont(run_font, size, leading)
            text_object.textOut(run)
        text_object.textLine()
    canvas.drawText(text_object)


def _draw_modules(page: Page, element: Element, values: dict[str, str]) -> None:
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
        label = f"{hours_text(hours)} 学时"
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


def _draw_photo(page: Page, element: Element, values: dict[str, str]) -> None:
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


def qr_bitmap(payload: str) -> tuple[int, bytes]:
    """The QR symbol (error correction M) as (modules per side, 1-bit rows, each padded to
    whole bytes, 0 for a dark module). Encoded by zxing-cpp (C++; a pure-Python encoder
    takes longer than the whole rest of a certificate)."""
    symbol = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
    count = image.shape[0]
    bits = image.tobytes().translate(_PIXEL_TO_BIT)  # 0 (dark) -> "0", 255 (light) -> "1"
    padding, row_bytes = b"1" * (-count % 8), (count + 7) // 8
    return count, b"".join(int(bits[row:row + count] + padding, 2).to_bytes(row_bytes, "big")
                           for row in range(0, count * count, count))


_PIXEL_TO_BIT = bytes.maketrans(b"\x00\xff", b"01")


def _draw_qr(page: Page, element: Element, values: dict[str, str]) -> None:
    """The symbol as a 1-bit stencil image, one sample per module, never interpolated (so
    every viewer and printer draws sharp squares): as crisp as vector squares and a
    tenth of the work and size of ~1,400 rectangles."""
    x, y = page.point(element["x"], element["y"])  # top-left corner of the symbol
    draw_qr(page.canvas, page.data.verify_url, x, y, element["size"] * mm, page.color(element, "#000000"))


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float, color=None) -> None:
    """A QR symbol with its top-left corner at (x, y) points, `size` points wide, on a white quiet zone."""
    count, rows = qr_bitmap(payload)
    canvas.saveState()
    canvas.translate(x, y - size)
    canvas.setFillColor(HexColor("#ffffff"))
    quiet = size * 4 / count
    canvas.rect(-quiet, -quiet, size + 2 * quiet, size + 2 * quiet, stroke=0, fill=1)  # the quiet zone
    canvas.setFillColor(color if color is not None else HexColor("#000000"))
    canvas.scale(size, size)  # the image fills the unit square, first row at the top
    canvas.addLiteral(f"BI /W {count} /H {count} /IM true /BPC 1 /I false /F /AHx ID\n{rows.hex()}>\nEI")
    canvas.restoreState()


def _draw_line(page: Page, element: Element, values: dict[str, str]) -> None:
    canvas = page.canvas
    canvas.setStrokeColor(page.color(element, "#8a6d3b"))
    canvas.setLineWidth(float(element.get("width", 0.2)) * mm)
    canvas.line(*page.point(element["x1"], element["y1"]), *page.point(element["x2"], element["y2"]))


def _draw_image(page: Page, element: Element, values: dict[str, str]) -> None:
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


def _draw_seal(page: Page, element: Element, values: dict[str, str]) -> None:
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


DRAWERS: dict[str, Callable[[Page, Element, dict[str, str]], None]] = {
    "text": _draw_text, "paragraph": _draw_paragraph, "modules": _draw_modules,
    "photo": _draw_photo, "qr": _draw_qr, "line": _draw_line, "image": _draw_image,
    "seal": _draw_seal,
}
