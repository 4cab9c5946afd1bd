import shutil

import pytest
import yaml

from lms.certificates.templates import TEMPLATES_DIR, TemplateError, load_template


@pytest.mark.parametrize("name", ["director", "chief"])
def test_shipped_templates_load(name):
    template = load_template(name)
    assert template.elements
    assert {"holder_name", "cert_no", "issue_date", "valid_until", "institution_name"} <= template.placeholders_used
    assert {e.kind for e in template.elements} >= {"text", "photo", "qr", "seal", "modules", "line"}


def test_page_orientation_sets_the_size():
    assert load_template("director").page_mm == (210, 297)
    assert load_template("chief").page_mm == (297, 210)


@pytest.fixture
def broken(tmp_path):
    """Copy the default template, let the test change it, and load it."""
    folder = tmp_path / "director"
    shutil.copytree(TEMPLATES_DIR / "director", folder)
    shutil.copytree(TEMPLATES_DIR / "fonts", tmp_path / "fonts")
    path = folder / "template.yaml"

    def load(change):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return load_template("director", tmp_path)

    return load


def element(data, kind):
    return next(e for e in data["elements"] if e["kind"] == kind)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["elements"][2].update(text="{holder_nmae}"),
     r"element 2 \(text\): unknown placeholder \{holder_nmae\}"),
    (lambda d: d["elements"].append({"kind": "image", "file": "logo.png", "x": 10, "y": 10, "width": 20, "height": 20}),
     r"element \d+ \(image\): image file 'logo.png' not found"),
    (lambda d: element(d, "qr").update(x=195),
     r"element \d+ \(qr\): off the page"),
    (lambda d: element(d, "photo").update(y=280),
     r"element \d+ \(photo\): off the page: spans x 148–178 mm, y 280–320 mm on a 210×297 mm page"),
    (lambda d: d["elements"].append({"kind": "barcode", "x": 1, "y": 1}),
     r"element \d+ \(barcode\): unknown kind"),
    (lambda d: element(d, "seal").pop("size"), r"element \d+ \(seal\): missing \['size'\]"),
    (lambda d: element(d, "line").update(colour="#000000"), r"\(line\): unknown keys \['colour'\]"),
    (lambda d: d["elements"][0].update(font="song"), r"element 0 \(text\): font 'song' is not declared"),
    (lambda d: d["elements"][0].update(color="red"), r"element 0 \(text\): color 'red' is not a #rrggbb"),
    (lambda d: d["elements"][0].update(x="center"), r"element 0 \(text\): x must be a number"),
    (lambda d: d["page"].update(size="Letter"), r"page: size 'Letter' is not one of"),
    (lambda d: d["background"].update(colour="#ffffff"), r"background: unknown keys \['colour'\]"),
    (lambda d: d["elements"][0].update(text="合格证𠮷"), r"element 0 \(text\): text has characters the font lacks: 𠮷"),
    (lambda d: d["fonts"]["hei"].update(file="../fonts/missing.ttf"),
     r"font 'hei': file '../fonts/missing.ttf' not found"),
])
def test_validation_errors_name_the_template_element_and_problem(broken, change, message):
    with pytest.raises(TemplateError, match=message) as error:
        broken(change)
    assert "director/template.yaml" in str(error.value)


def test_unknown_template_name(tmp_path):
    with pytest.raises(TemplateError, match="template file not found"):
        load_template("nosuch", tmp_path)
    with pytest.raises(TemplateError, match="lower-case"):
        load_template("../etc")
