"""Certificate templates: `certificate_templates/<name>/template.yaml`, loaded and checked.

A template declares the page, its fonts, an optional background (image and/or a drawn
frame) and a list of elements positioned in millimetres from the page's top-left corner.
Every problem found on loading raises TemplateError naming the file, the element (its
index and kind) and what is wrong, so a template never fails half-way through a batch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from flask_babel import lazy_gettext as _l

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "certificate_templates"

PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}

# Placeholders a text element may use, filled from CertificateData (render.py); the labels
# name them in a refusal (a character the font lacks).
PLACEHOLDERS = {
    "cert_no": _l("证书编号"),
    "holder_name": _l("持证人姓名"),
    "gender": _l("性别"),
    "id_number": _l("身份证件号码"),
    "id_number_masked": _l("身份证件号码（脱敏）"),
    "program_name": _l("培训项目名称"),
    "program_code": _l("培训项目代码"),
    "total_hours": _l("总学时"),
    "issue_date": _l("发证日期（2026年3月5日）"),
    "valid_until": _l("有效期至（2026年3月5日）"),
    "institution_name": _l("培训机构名称"),
    "institution_code": _l("培训机构代码"),
    "version": _l("证书版本"),
    "verify_address": _l("核验网址（不含令牌）"),
}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ALIGNS = {"left", "center", "right"}

# kind -> (required keys, optional keys)
ELEMENT_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "text": ({"x", "y", "text"}, {"size", "font", "align", "color", "max_width", "spacing"}),
    "paragraph": ({"x", "y", "width", "text"}, {"size", "font", "color", "leading", "max_lines"}),
    "modules": ({"x", "y", "width", "height"}, {"size", "font", "color", "title"}),
    "photo": ({"x", "y", "width", "height"}, {"color"}),
    "qr": ({"x", "y", "size"}, {"color"}),
    "line": ({"x1", "y1", "x2", "y2"}, {"width", "color"}),
    "image": ({"x", "y", "width", "height", "file"}, {"opacity"}),
    "seal": ({"x", "y", "size", "text"}, {"bottom", "mark", "color", "opacity", "font"}),
}


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class FontSpec:
    name: str
    path: Path
    subfont: int = 0


@dataclass(frozen=True)
class Element:
    index: int
    kind: str
    options: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.options[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    @property
    def label(self) -> str:
        return f"element {self.index} ({self.kind})"


@dataclass(frozen=True)
class CertificateTemplate:
    name: str
    path: Path
    title: str
    page_mm: tuple[float, float]
    fonts: dict[str, FontSpec]
    default_font: str
    background: dict[str, Any]
    elements: tuple[Element, ...]
    placeholders_used: frozenset[str] = field(default_factory=frozenset)

    def __repr__(self) -> str:
        return f"<CertificateTemplate {self.name} {len(self.elements)} elements>"

    @cached_property
    def fixed_text(self) -> str:
        """The template's own words: every element's text outside its placeholders."""
        return "".join(fixed_text(element, key) for element in self.elements for key in TEXT_KEYS)


def load_template(name: str, base_dir: Path | str = TEMPLATES_DIR) -> CertificateTemplate:
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        raise TemplateError(f"template name {name!r}: use lower-case letters, digits, - or _")
    path = Path(base_dir) / name / "template.yaml"
    if not path.is_file():
        raise TemplateError(f"{path}: template file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path}: not valid YAML ({exc})") from None
    return parse_template(name, path, data)


def parse_template(name: str, path: Path, data: Any) -> CertificateTemplate:
    def fail(where: str, problem: str) -> TemplateError:
        return TemplateError(f"{path}: {where}: {problem}")

    if not isinstance(data, dict):
        raise fail("top level", "expected a mapping with page, fonts and elements")
    unknown = set(data) - {"title", "page", "fonts", "default_font", "background", "elements"}
    if unknown:
        raise fail("top level", f"unknown keys {sorted(unknown)}")
    page = data.get("page") or {}
    size = page.get("size", "A4")
    if size not in PAGE_SIZES_MM:
        raise fail("page", f"size {size!r} is not one of {sorted(PAGE_SIZES_MM)}")
    width, height = PAGE_SIZES_MM[size]
    orientation = page.get("orientation", "portrait")
    if orientation not in {"portrait", "landscape"}:
        raise fail("page", f"orientation {orientation!r} is not portrait or landscape")
    if orientation == "landscape":
        width, height = height, width

    fonts = {}
    for font_name, spec in (data.get("fonts") or {}).items():
        if not isinstance(spec, dict) or "file" not in spec:
            raise fail(f"font {font_name!r}", "needs a file")
        font_path = (path.parent / spec["file"]).resolve()
        if not font_path.is_file():
            raise fail(f"font {font_name!r}", f"file {spec['file']!r} not found")
        fonts[font_name] = FontSpec(font_name, font_path, int(spec.get("subfont", 0)))
    if not fonts:
        raise fail("fonts", "declare at least one TrueType font")
    default_font = data.get("default_font") or next(iter(fonts))
    if default_font not in fonts:
        raise fail("default_font", f"{default_font!r} is not a declared font")

    background = dict(data.get("background") or {})
    unknown = set(background) - {"color", "image", "frame_inset", "frame_band", "frame_color"}
    if unknown:
        raise fail("background", f"unknown keys {sorted(unknown)}")
    if "image" in background and not (path.parent / background["image"]).is_file():
        raise fail("background", f"image {background['image']!r} not found")
    for key in ("color", "frame_color"):
        if key in background and not _COLOR.match(str(background[key])):
            raise fail("background", f"{key} {background[key]!r} is not a #rrggbb colour")

    elements = []
    used: set[str] = set()
    raw_elements = data.get("elements")
    if not isinstance(raw_elements, list) or not raw_elements:
        raise fail("elements", "expected a non-empty list")
    for index, raw in enumerate(raw_elements):
        kind = raw.get("kind") if isinstance(raw, dict) else None
        element = Element(index, str(kind), {k: v for k, v in (raw or {}).items() if k != "kind"}
                          if isinstance(raw, dict) else {})
        if kind not in ELEMENT_KEYS:
            raise fail(element.label, f"unknown kind; expected one of {sorted(ELEMENT_KEYS)}")
        problem = _element_problem(element, path.parent, fonts, (width, height), used)
        if problem:
            raise fail(element.label, problem)
        elements.append(element)
    _check_fixed_text(elements, fonts, default_font, fail)
    return CertificateTemplate(name, path, str(data.get("title") or name), (width, height), fonts,
                               default_font, background, tuple(elements), frozenset(used))


def _element_problem(element: Element, folder: Path, fonts: dict, page: tuple[float, float],
                     used: set[str]) -> str | None:
    required, optional = ELEMENT_KEYS[element.kind]
    keys = set(element.options)
    if required - keys:
        return f"missing {sorted(required - keys)}"
    if keys - required - optional:
        return f"unknown keys {sorted(keys - required - optional)}"
    numeric = {"x", "y", "x1", "y1", "x2", "y2", "width", "height", "size", "max_width",
               "spacing", "leading", "opacity", "max_lines"} & keys
    for key in numeric:
        if not isinstance(element[key], (int, float)) or isinstance(element[key], bool):
            return f"{key} must be a number of millimetres (points for size), got {element[key]!r}"
    if "font" in keys and element["font"] not in fonts:
        return f"font {element['font']!r} is not declared under fonts"
    if "color" in keys and not _COLOR.match(str(element["color"])):
        return f"color {element['color']!r} is not a #rrggbb colour"
    if element.get("align", "left") not in _ALIGNS:
        return f"align {element['align']!r} is not left, center or right"
    for key in ("text", "title", "bottom", "mark"):
        if key in keys:
            for placeholder in _PLACEHOLDER.findall(str(element[key])):
                if placeholder not in PLACEHOLDERS:
                    return f"unknown placeholder {{{placeholder}}}; known: {', '.join(PLACEHOLDERS)}"
                used.add(placeholder)
    if "file" in keys and not (folder / str(element["file"])).is_file():
        return f"image file {element['file']!r} not found"
    box = element_box(element)
    width, height = page
    left, top, right, bottom = box
    if left < 0 or top < 0 or right > width or bottom > height:
        return (f"off the page: spans x {left:g}–{right:g} mm, y {top:g}–{bottom:g} mm "
                f"on a {width:g}×{height:g} mm page")
    return None


TEXT_KEYS = ("text", "title", "bottom", "mark")  # the element keys that hold words to print


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each {placeholder} replaced by its value."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def placeholders_in(element: Element) -> list[str]:
    """The placeholders an element prints, in order of appearance."""
    return list(dict.fromkeys(name for key in TEXT_KEYS for name in _PLACEHOLDER.findall(str(element.get(key, "")))))


def fixed_text(element: Element, key: str) -> str:
    return _PLACEHOLDER.sub("", str(element.get(key, "")))


def _check_fixed_text(elements: list[Element], fonts: dict, default_font: str, fail) -> None:
    """The template's own words (outside placeholders) must all be printable."""
    from lms.certificates.fonts import missing_glyphs  # fonts.py imports this module

    for element in elements:
        for key in TEXT_KEYS:
            if key in element.options:
                missing = missing_glyphs(fonts[element.get("font", default_font)], fixed_text(element, key))
                if missing:
                    raise fail(element.label, f"{key} has characters the font lacks: {''.join(missing)}")


def element_box(element: Element) -> tuple[float, float, float, float]:
    """left, top, right, bottom in mm: the area the element may draw on."""
    if element.kind == "line":
        xs, ys = (element["x1"], element["x2"]), (element["y1"], element["y2"])
        return min(xs), min(ys), max(xs), max(ys)
    x, y = element["x"], element["y"]
    if element.kind == "seal":
        return x, y, x + element["size"], y + element["size"]
    if element.kind == "qr":
        quiet = element["size"] * 4 / 29  # at least 4 modules of the smallest QR version
        return x - quiet, y - quiet, x + element["size"] + quiet, y + element["size"] + quiet
    if element.kind == "text":
        span = element.get("max_width", 0)
        start = {"left": x, "center": x - span / 2, "right": x - span}[element.get("align", "left")]
        return start, y - element.get("size", 12) * 0.3528, start + span, y
    return x, y, x + element.get("width", 0), y + element.get("height", 0)
