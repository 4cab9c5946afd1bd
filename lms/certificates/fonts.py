"""TrueType fonts for certificates: registered once per process, checked for coverage."""
from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from lms.certificates.templates import FontSpec
from lms.core.errors import ValidationFailed


class GlyphMissing(ValidationFailed):
    """A value holds characters the certificate font cannot draw; nothing was rendered."""

    def __init__(self, field: str, label: str, characters: list[str]):
        shown = "、".join(f"「{c}」(U+{ord(c):04X})" for c in characters)
        message = (f"{label}中的字符 {shown} 不在证书字体中，无法打印到证书上。"
                   "请核对该字是否录入正确（可使用通用规范汉字），或联系管理员更换字体。")
        super().__init__(message, {field: message})
        self.characters = characters


@cache
def registered_font(spec: FontSpec) -> tuple[str, TTFont]:
    """The ReportLab name of the font, registered on first use (parsing takes ~70 ms)."""
    name = f"cert-{spec.path.stem}-{spec.subfont}"
    font = TTFont(name, str(spec.path), subfontIndex=spec.subfont)
    pdfmetrics.registerFont(font)
    return name, font


def missing_glyphs(font: TTFont | FontSpec, text: str) -> list[str]:
    """The distinct characters of `text` (in order) that `font` has no glyph for."""
    if isinstance(font, FontSpec):
        font = registered_font(font)[1]
    cmap = font.face.charToGlyph
    missing: list[str] = []
    for char in text or "":
        if char in "\n\r\t" or char in missing:
            continue
        if cmap.get(ord(char), 0) == 0:
            missing.append(char)
    return missing
