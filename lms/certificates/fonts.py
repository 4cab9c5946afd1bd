"""TrueType fonts for certificates: registered once per process, checked for coverage,
and embedded as subsets that are built once and reused.

ReportLab builds and compresses a fresh subset of the font for every document, which is
half the cost of a certificate. Two things make that work reusable:

- each font is registered twice from the same file: the *shared* instance draws what is
  the same for every certificate of a cohort (the template's words, programme, institution,
  dates, modules) and the *holder* instance only the characters of a holder's name that the
  shared text does not contain. Every document assigns the shared characters first, in a
  fixed order, so the shared subset comes out identical for every holder of a cohort;
- `SubsetCachingFont` keeps the finished subset (font program and ToUnicode map, already
  compressed, and the widths) per distinct character list, so later documents copy it.
"""
from __future__ import annotations

import copy
import hashlib
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont, TTFontFile, makeToUnicodeCMap

from flask_babel import lazy_gettext as _l

from lms.certificates.pdfparts import Formatted, flate_stream, formatted
from lms.certificates.templates import FontSpec
from lms.core.errors import ValidationFailed


class GlyphMissing(ValidationFailed):
    """A value holds characters the certificate font cannot draw; nothing was rendered."""

    def __init__(self, field: str, label, characters: list[str]):
        shown = "、".join(f"「{c}」(U+{ord(c):04X})" for c in characters)
        message = _l("%(label)s中的字符 %(chars)s 不在证书字体中，无法打印到证书上。"
                     "请核对该字是否录入正确（可使用通用规范汉字），或联系管理员更换字体。", label=label, chars=shown)
        super().__init__(message, {field: message})
        self.characters = characters


@dataclass(frozen=True)
class _Subset:
    base_name: str
    widths: Formatted
    program: bytes  # compressed TrueType subset
    program_length: int
    to_unicode: bytes  # compressed CMap


def _build_subset(face: TTFontFile, font_name: str, number: int, codes: tuple[int, ...]) -> _Subset:
    digest = hashlib.sha256(repr((font_name, number, codes)).encode()).digest()
    tag = "".join(chr(65 + byte % 26) for byte in digest[:6])  # distinct subsets get distinct names
    base_name = f"{tag}+{(face.name + face.subfontNameX).decode('pdfdoc')}"
    program = face.makeSubset(list(codes))
    widths = formatted(pdfdoc.PDFArray([face.getCharWidth(code) for code in codes]))
    return _Subset(base_name, widths, zlib.compress(program), len(program),
                   zlib.compress(makeToUnicodeCMap(base_name, list(codes)).encode()))


_reused_subset = lru_cache(maxsize=32)(_build_subset)


class SubsetCachingFont(TTFont):
    """A TTFont whose embedded subsets are built and compressed once per distinct character
    list (per process) and copied into every later document that uses the same list
    (the holder instance, whose subsets rarely recur, builds them every time)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._subset = _reused_subset

    def addObjects(self, doc) -> None:
        if not doc.compression:
            return super().addObjects(doc)
        state = self.state.get(doc) or self.state.setdefault(doc, TTFont.State(self._asciiReadable))
        state.frozen = 1
        face = self.face
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        for number, codes in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(number, doc)[1:]
            built = self._subset(face, self.fontName, number, tuple(codes))
            font = pdfdoc.PDFTrueTypeFont()
            font.Name, font.BaseFont = internal_name, built.base_name
            font.FirstChar, font.LastChar = 0, len(codes) - 1
            font.Widths = built.widths
            font.ToUnicode = doc.Reference(flate_stream(built.to_unicode), f"toUnicodeCMap:{built.base_name}")
            program = doc.Reference(flate_stream(built.program, {"Length1": built.program_length}),
                                    f"fontFile:{self.fontName}({built.base_name})")
            font.FontDescriptor = doc.Reference(pdfdoc.PDFDictionary({
                "Type": "/FontDescriptor", "Ascent": face.ascent, "CapHeight": face.capHeight,
                "Descent": face.descent, "Flags": flags, "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(built.base_name), "ItalicAngle": face.italicAngle,
                "StemV": face.stemV, "FontFile2": program, "MissingWidth": face.defaultWidth,
            }), f"fontDescriptor:{built.base_name}")
            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]


def registered_font(spec: FontSpec, holder: bool = False) -> tuple[str, TTFont]:
    """The ReportLab name of the font, registered on first use (parsing takes ~70 ms).
    `holder=True`: the second instance, for the characters of a holder's name (above)."""
    return _registered_spec(spec, bool(holder))


@cache
def _registered_spec(spec: FontSpec, holder: bool) -> tuple[str, TTFont]:
    return _registered(spec.path.resolve(), spec.subfont, holder)


@cache
def _registered(path: Path, subfont: int, holder: bool) -> tuple[str, TTFont]:
    """One font per file and subfont (templates share it), named after that file."""
    where = hashlib.sha256(str(path).encode()).hexdigest()[:8]
    name = f"cert-{path.stem}-{subfont}-{where}" + ("-holder" if holder else "")
    if holder:  # the same parsed face, with its own per-document state
        font = copy.copy(_registered(path, subfont, False)[1])
        font.fontName, font.state, font._asciiReadable, font._subset = name, WeakKeyDictionary(), False, _build_subset
    else:
        font = SubsetCachingFont(name, str(path), subfontIndex=subfont)
        # Every subset reads the font's tables; the glyph table alone is megabytes to copy.
        font.face.get_table = lru_cache(maxsize=None)(font.face.get_table)
    pdfmetrics.registerFont(font)
    # ReportLab maps a second font of the same face to the first one; keep them apart.
    pdfmetrics._fonts[name] = font
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


_COVERED: dict[TTFontFile, set[str]] = {}  # characters each font is known to have


def covers(spec: FontSpec, text: str) -> bool:
    """Whether the font has every character of `text`: remembered per font, so a cohort's
    words (printed on every certificate) are looked up once."""
    face = registered_font(spec)[1].face
    covered = _COVERED.setdefault(face, set())
    unknown = set(text) - covered
    if unknown and missing_glyphs(spec, "".join(unknown)):
        return False
    covered.update(unknown)
    return True
