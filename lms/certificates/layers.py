"""The cohort layer: what every certificate of a cohort prints alike (the frame, the
template's words, programme, institution, dates, modules, the seal) is drawn once per
process into a form XObject and copied into each later certificate, which then draws only
what is the holder's own (name, ID, number, QR, photo).

The copy is exact because the layer's text is encoded the same way in every document of
the cohort: each document first gives the shared font instances the same characters in
the same order (`start_fonts`), so codes and font resource names match the recording.
An element moves into the layer only if it overlaps no element drawn before it outside
the layer, so the page looks exactly as if drawn element by element.
"""
from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.fonts import registered_font
from lms.certificates.pdfparts import Formatted, flate_stream, formatted
from lms.certificates.templates import CertificateTemplate, Element, element_box, fill, placeholders_in

LAYER_FORM = "cohort-layer"

# The values that belong to one certificate; everything else is alike for a whole cohort.
PERSONAL_PLACEHOLDERS = frozenset({"holder_name", "gender", "id_number", "id_number_masked", "cert_no", "version"})
_PERSONAL_KINDS = frozenset({"photo", "qr", "image"})  # template images are placed per document
_PT = 25.4 / 72  # millimetres per point


def layer_elements(template: CertificateTemplate, values: dict[str, str], own_seal: bool) -> frozenset[int]:
    """The elements that go into the cohort layer: alike for the whole cohort, and not
    overlapping anything drawn before them outside the layer (so the stacking is kept).
    `own_seal`: the institution's scanned seal is placed per document, like an image."""
    chosen: set[int] = set()
    outside: list[tuple[float, float, float, float]] = []
    for index, element in enumerate(template.elements):
        alike = (element.kind not in _PERSONAL_KINDS and not (element.kind == "seal" and own_seal)
                 and PERSONAL_PLACEHOLDERS.isdisjoint(placeholders_in(element)))
        box = _extent(template, element, values if alike else None)
        if alike and not any(_overlap(box, other) for other in outside):
            chosen.add(index)
        else:
            outside.append(box)
    return frozenset(chosen)


def _extent(template: CertificateTemplate, element: Element,
            values: dict[str, str] | None) -> tuple[float, float, float, float]:
    """Where an element may paint, in mm (left, top, right, bottom), erring on the large side.
    Text is measured when its words are known (`values`), else given its widest extent."""
    width, height = template.page_mm
    size = float(element.get("size", 12))
    if element.kind == "text":
        if values is not None:
            text = fill(str(element["text"]), values)
            font = registered_font(template.fonts[element.get("font", template.default_font)])[0]
            span = (stringWidth(text, font, size) * _PT + float(element.get("spacing", 0)) * _PT * len(text))
            span = min(span, element.get("max_width") or span)
        else:
            span = element.get("max_width") or 2 * width
        x = element["x"] - {"left": 0, "center": span / 2, "right": span}[element.get("align", "left")]
        return x, element["y"] - size * _PT * 1.1, x + span, element["y"] + size * _PT * 0.35
    if element.kind == "paragraph":
        leading = float(element.get("leading", size * 1.6)) * _PT
        lines = int(element.get("max_lines", height))
        return element["x"], element["y"], element["x"] + element["width"], min(height, element["y"] + lines * leading)
    return element_box(element)


def _overlap(a: tuple[float, ...], b: tuple[float, ...], margin: float = 0.5) -> bool:
    """Whether two extents come within `margin` mm (a line's extent has no thickness)."""
    return a[0] - margin < b[2] and b[0] - margin < a[2] and a[1] - margin < b[3] and b[1] - margin < a[3]


@dataclass(frozen=True)
class _Form:
    internal_name: str
    bbox: tuple[float, ...]
    content: bytes  # compressed
    xobjects: tuple[str, ...]  # the forms it uses
    ext_gstate: Formatted | None  # its transparency states

    def add_to(self, doc) -> None:
        resources = {"Font": pdfdoc.PDFObjectReference(pdfdoc.BasicFonts)}
        if self.xobjects:
            resources["XObject"] = pdfdoc.PDFDictionary({n: pdfdoc.PDFObjectReference(n) for n in self.xobjects})
        if self.ext_gstate is not None:
            resources["ExtGState"] = self.ext_gstate
        doc.Reference(flate_stream(self.content, {
            "Type": pdfdoc.PDFName("XObject"), "Subtype": pdfdoc.PDFName("Form"), "FormType": 1,
            "BBox": pdfdoc.PDFArray(list(self.bbox)), "Resources": pdfdoc.PDFDictionary(resources)}),
            self.internal_name)


@dataclass(frozen=True)
class CohortLayer:
    elements: frozenset[int]  # indexes of the template's elements drawn in the layer
    characters: tuple[str, ...]  # per font of the template, in order: characters in code order
    forms: tuple[_Form, ...]

    def place(self, canvas: Canvas) -> None:
        for form in self.forms:
            form.add_to(canvas._doc)
        canvas.doForm(LAYER_FORM)


def start_fonts(canvas: Canvas, template: CertificateTemplate, characters: tuple[str, ...] | str) -> None:
    """Give each of the template's shared fonts its characters first, in a fixed order, and
    its resource name (F1, F2, ...), so that every document of a cohort encodes alike."""
    for index, spec in enumerate(template.fonts.values()):
        font = registered_font(spec)[1]
        font.splitString(characters if isinstance(characters, str) else characters[index], canvas._doc)
        font.getSubsetInternalName(0, canvas._doc)


def new_canvas(template: CertificateTemplate, buffer: io.BytesIO) -> Canvas:
    width, height = template.page_mm
    return Canvas(buffer, pagesize=(width * mm, height * mm), invariant=1, pageCompression=1,
                  initialFontName=registered_font(template.fonts[template.default_font])[0])


Draw = Callable[[Canvas, frozenset[int]], None]


def record(template: CertificateTemplate, elements: frozenset[int], shared: str, draw: Draw) -> CohortLayer:
    """Draw the layer on a scratch canvas and keep what a later document needs to copy it."""
    scratch = new_canvas(template, io.BytesIO())
    doc = scratch._doc
    try:
        start_fonts(scratch, template, shared)
        width, height = template.page_mm
        scratch.beginForm(LAYER_FORM, 0, 0, width * mm, height * mm)
        draw(scratch, elements)
        scratch.endForm()
        forms = tuple(_snapshot(doc, name) for name in doc.idToObject if name.startswith("FormXob."))
        characters = tuple(_assigned(registered_font(spec)[1].state[doc]) for spec in template.fonts.values())
    finally:
        for spec in template.fonts.values():  # the scratch document is never saved
            for holder in (False, True):
                registered_font(spec, holder)[1].state.pop(doc, None)
    return CohortLayer(elements, characters, forms)


def _snapshot(doc, internal_name: str) -> _Form:
    form = doc.idToObject[internal_name]
    xobjects = tuple(form.XObjects.dict) if form.XObjects else ()
    state = getattr(form, "ExtGState", None)
    return _Form(internal_name, tuple(form.BBoxList()), pdfdoc.PDFZCompress.encode(form.stream), xobjects,
                 formatted(state) if state else None)


def _assigned(state) -> str:
    """The characters a font state has given codes to, beyond ASCII, in code order."""
    return "".join(chr(code) for code, _n in sorted(state.assignments.items(), key=lambda item: item[1])
                   if code > 127)


class LayerCache:
    """Recorded layers by cohort (template and the cohort's values), most recent first."""

    def __init__(self, size: int = 16):
        self._size = size
        self._layers: OrderedDict[Hashable, tuple[CertificateTemplate, CohortLayer]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, template: CertificateTemplate, key: Hashable, build: Callable[[], CohortLayer]) -> CohortLayer:
        # The template is kept with its layer, so its id() is not reused while cached.
        full_key = (id(template), key)
        with self._lock:
            hit = self._layers.get(full_key)
            if hit is not None:
                self._layers.move_to_end(full_key)
                return hit[1]
        layer = build()
        with self._lock:
            self._layers[full_key] = (template, layer)
            while len(self._layers) > self._size:
                self._layers.popitem(last=False)
        return layer
