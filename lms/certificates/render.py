"""render_certificate(template, context) -> PDF bytes. Pure: everything comes in as arguments.

The same template and data always give the same bytes (ReportLab's invariant mode, and
the PDF dates set from the issue time), so a stored PDF can be checked by re-rendering.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from flask_babel import lazy_gettext as _l

from lms.certificates.elements import Page, draw_elements, hours_text
from lms.certificates.fonts import GlyphMissing, covers, missing_glyphs
from lms.certificates.layers import (PERSONAL_PLACEHOLDERS, CohortLayer, LayerCache, layer_elements, new_canvas,
                                     record, start_fonts)
from lms.certificates.ornaments import draw_background
from lms.certificates.templates import PLACEHOLDERS, CertificateTemplate, placeholders_in
from lms.core.masking import mask_id_number


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
            "total_hours": hours_text(hours), "issue_date": chinese_date(self.issue_date),
            "valid_until": chinese_date(self.valid_until),
            "institution_name": self.institution_name, "institution_code": self.institution_code,
            "version": str(self.version), "verify_address": verify_address(self.verify_url),
        }


def verify_address(url: str) -> str:
    """The check page's address without the token, to type by hand: `lms.example.gov.cn/verify`
    (the scheme left out; http:// or https:// is what a browser adds)."""
    base = url.split("/verify/", 1)[0]
    return base.split("://", 1)[-1] + "/verify"


GENDERS = {"male": "男", "female": "女"}  # profile values (DESIGN) as printed


def chinese_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def shared_characters(template: CertificateTemplate, data: CertificateData, values: dict[str, str]) -> str:
    """The non-ASCII characters every certificate of the cohort prints, in a fixed order:
    the template's own words, the cohort's values and the module names (fonts.py)."""
    texts = [template.fixed_text] + [name for name, _hours_ in data.modules]
    texts += [value for key, value in values.items() if key not in PERSONAL_PLACEHOLDERS]
    return "".join(sorted({char for char in "".join(texts) if ord(char) > 127}))


def check_glyphs(template: CertificateTemplate, data: CertificateData) -> None:
    """Raise GlyphMissing for the first value the template's fonts cannot print."""
    values = data.values()
    printed = "".join(values.values()) + "".join(name for name, _hours_ in data.modules)
    if all(covers(spec, printed) for spec in set(template.fonts.values())):
        return  # the usual case, answered from what the fonts are known to have
    for element in template.elements:
        spec = template.fonts[element.get("font", template.default_font)]
        if element.kind in {"text", "paragraph", "modules", "seal"}:
            for placeholder in placeholders_in(element):
                missing = missing_glyphs(spec, values[placeholder])
                if missing:
                    raise GlyphMissing(placeholder, PLACEHOLDERS[placeholder], missing)
        if element.kind == "modules":
            for index, (name, _hours) in enumerate(data.modules):
                missing = missing_glyphs(spec, name)
                if missing:
                    raise GlyphMissing(f"modules[{index}]", _l("第 %(n)s 个模块名称", n=index + 1), missing)


def render_certificate(template: CertificateTemplate, context: CertificateData, *, cohort_layer: bool = True) -> bytes:
    """The certificate as PDF bytes. Raises GlyphMissing, before drawing anything, when a
    value has a character the template's fonts cannot print.

    What the cohort's certificates print alike is copied from the cohort layer (layers.py);
    `cohort_layer=False` draws every element into the page instead: the same picture, and
    the reference the layer is tested and benchmarked against."""
    check_glyphs(template, context)
    values = context.values()
    shared = shared_characters(template, context, values)
    buffer = io.BytesIO()
    canvas = new_canvas(template, buffer)
    stamp = context.issued_at.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
    canvas.setDateFormatter(lambda *_args: stamp)
    canvas.setTitle(f"{template.title} {context.cert_no}")
    canvas.setSubject(context.verify_url)
    canvas.setAuthor(context.institution_name)
    canvas.setCreator("lms certificates")
    page = Page(canvas, template, context, template.page_mm[1], frozenset(shared))
    if cohort_layer:
        layer = _LAYERS.get(template, _cohort_key(values, context),
                            lambda: _record_layer(template, context, values, shared))
        start_fonts(canvas, template, layer.characters)
        if not _background_in_layer(template):
            draw_background(canvas, template.background, template.page_mm, template.path.parent)
        layer.place(canvas)
        draw_elements(page, values, [i for i in range(len(template.elements)) if i not in layer.elements])
    else:
        start_fonts(canvas, template, shared)
        draw_background(canvas, template.background, template.page_mm, template.path.parent)
        draw_elements(page, values, range(len(template.elements)))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


_LAYERS = LayerCache()


def _cohort_key(values: dict[str, str], data: CertificateData) -> tuple:
    """What the cohort layer depends on besides the template."""
    alike = tuple(sorted((key, value) for key, value in values.items() if key not in PERSONAL_PLACEHOLDERS))
    return alike, data.modules, data.seal_image is not None


def _background_in_layer(template: CertificateTemplate) -> bool:
    return "image" not in template.background  # a raster background is placed per document


def _record_layer(template: CertificateTemplate, data: CertificateData, values: dict[str, str],
                  shared: str) -> CohortLayer:
    elements = layer_elements(template, values, own_seal=data.seal_image is not None)

    def draw(canvas: Canvas, indexes: frozenset[int]) -> None:
        if _background_in_layer(template):
            draw_background(canvas, template.background, template.page_mm, template.path.parent)
        draw_elements(Page(canvas, template, data, template.page_mm[1], frozenset(shared)), values, sorted(indexes))

    return record(template, elements, shared, draw)
