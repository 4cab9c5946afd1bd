"""The drawn parts of a certificate that are not data: the guilloche frame and the seal."""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject


@lru_cache(maxsize=32)
def image_reader(path: Path) -> ImageReader:
    return ImageReader(str(path))


def draw_seal(canvas: Canvas, centre: tuple[float, float], size: float, font: str, *, name: str,
              lines: list[str], color: Color, opacity: float) -> None:
    """Ring, `name` along the top arc, a star, then `lines` (small, larger) below it."""
    cx, cy = centre
    radius = size / 2
    canvas.saveState()
    canvas.setFillAlpha(opacity)
    canvas.setStrokeAlpha(opacity)
    canvas.setStrokeColor(color)
    canvas.setFillColor(color)
    ring = size * 0.035
    canvas.setLineWidth(ring)
    canvas.circle(cx, cy, radius - ring / 2, stroke=1, fill=0)
    star = canvas.beginPath()
    for i in range(10):
        r = size * 0.15 * (1 if i % 2 == 0 else 0.382)
        angle = math.pi / 2 + i * math.pi / 5
        (star.moveTo if i == 0 else star.lineTo)(cx + r * math.cos(angle), cy + r * math.sin(angle))
    star.close()
    canvas.drawPath(star, stroke=0, fill=1)

    char_size = size * 0.13 * min(1.0, 12 / max(len(name), 1))
    spread = min(250.0, (len(name) * 0.95 * char_size) / (radius * 0.7) * 180 / math.pi + 20)
    text_radius = radius - 2.2 * ring - char_size * 0.9
    for i, char in enumerate(name):
        angle = spread / 2 - spread * (i + 0.5) / len(name) if len(name) > 1 else 0
        canvas.saveState()
        canvas.translate(cx, cy)
        canvas.rotate(angle)
        canvas.setFont(font, char_size)
        canvas.drawCentredString(0, text_radius, char)
        canvas.restoreState()
    for text, scale, offset in zip(lines, (0.075, 0.09), (-0.16, -0.31), strict=False):
        if text:
            canvas.setFont(font, size * scale)
            canvas.drawCentredString(cx, cy + size * offset, text)
    canvas.restoreState()


def draw_background(canvas: Canvas, background: dict[str, Any], page_mm: tuple[float, float],
                    folder: Path) -> None:
    """Paper colour, an optional full-page image, and the framed guilloche band."""
    width, height = page_mm
    if "color" in background:
        canvas.setFillColor(HexColor(background["color"]))
        canvas.rect(0, 0, width * mm, height * mm, stroke=0, fill=1)
    if "image" in background:
        canvas.drawImage(image_reader(folder / background["image"]), 0, 0,
                         width * mm, height * mm, mask="auto")
    if "frame_inset" not in background:
        return
    inset, band = float(background["frame_inset"]), float(background.get("frame_band", 6))
    canvas.saveState()
    canvas.scale(mm, mm)  # millimetres from here on; line widths are given in points
    ink = HexColor(background.get("frame_color", "#8a6d3b"))
    canvas.setStrokeColor(ink)
    for offset, line_pt in ((inset, 1.6), (inset + band, 0.4), (inset + band + 1.2, 0.8)):
        canvas.setLineWidth(line_pt / mm)
        canvas.rect(offset, offset, width - 2 * offset, height - 2 * offset)
    _guilloche_band(canvas, width, height, inset + band / 2, band / 2 - 0.8, ink,
                    HexColor(background.get("color", "#ffffff")))
    canvas.restoreState()


# Cubic Bézier control points for a quarter sine wave from (0, 0) to (pi/2, 1).
_QUARTER_C1, _QUARTER_C2 = 0.512286623256592, 1.002313685767899
_WAVELENGTH_MM = 13.2


def _guilloche_band(canvas: Canvas, width: float, height: float, inset: float, amplitude: float,
                    ink: Color, paper: Color) -> None:
    """Interlaced sine ropes around the page, in mm. One wavelength is drawn once per side
    length as a form XObject and repeated, which keeps the page's content stream small."""
    corners = [(inset, inset), (width - inset, inset), (width - inset, height - inset),
               (inset, height - inset)]
    for side in range(4):
        (x0, y0), (x1, y1) = corners[side], corners[(side + 1) % 4]
        length = math.hypot(x1 - x0, y1 - y0)
        waves = max(1, round(length / _WAVELENGTH_MM))
        wavelength = round(length / waves, 4)
        name = f"guilloche{wavelength:g}x{amplitude:g}".replace(".", "_")
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, -2 * amplitude, wavelength, 2 * amplitude)
            canvas.setStrokeColor(ink)
            canvas.setLineWidth(0.25 / mm)
            canvas.drawPath(_rope_tile(wavelength, amplitude), stroke=1, fill=0)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(x0, y0)
        canvas.rotate(90 * side)
        for _ in range(waves):
            canvas.doForm(name)
            canvas.translate(wavelength, 0)
        canvas.restoreState()
    canvas.setFillColor(paper)
    canvas.setLineWidth(0.4 / mm)
    for x, y in corners:  # a medallion covers each corner, where the ropes turn
        canvas.circle(x, y, amplitude + 0.5, stroke=1, fill=1)
        canvas.circle(x, y, (amplitude + 0.5) / 2, stroke=1, fill=0)


@lru_cache(maxsize=16)
def _rope_tile(wavelength: float, amplitude: float) -> PDFPathObject:
    """One wavelength of three ropes: two crossing sines and a finer one between them."""
    path = PDFPathObject()
    step = wavelength / 4
    scale = step / (math.pi / 2)
    for phase, amp in ((0, amplitude), (2, amplitude), (1, amplitude * 0.5)):  # quarter turns
        path.moveTo(0, round(amp * _sine(phase), 3))
        for q in range(4):
            a, b = _sine(q + phase), _sine(q + phase + 1)
            if a == 0:  # from the axis out to a crest
                c1, c2 = (_QUARTER_C1, b * _QUARTER_C1), (_QUARTER_C2, b)
            else:  # from a crest back to the axis
                c1, c2 = (math.pi / 2 - _QUARTER_C2, a), (math.pi / 2 - _QUARTER_C1, a * _QUARTER_C1)
            path.curveTo(round(q * step + c1[0] * scale, 3), round(amp * c1[1], 3),
                         round(q * step + c2[0] * scale, 3), round(amp * c2[1], 3),
                         round((q + 1) * step, 3), round(amp * b, 3))
    return path


def _sine(quarter_turns: int) -> int:
    return (0, 1, 0, -1)[quarter_turns % 4]
