"""The cohort layer and the reused font subsets (layers.py, fonts.py) are an optimization:
a certificate must look exactly as if every element had been drawn into the page."""
import io
import shutil
from dataclasses import replace

import pymupdf
import pytest
import yaml
from PIL import Image

from lms.certificates.layers import layer_elements
from lms.certificates.render import render_certificate
from lms.certificates.samples import sample_data
from lms.certificates.templates import TEMPLATES_DIR, load_template


def pixels(pdf: bytes) -> bytes:
    return pymupdf.open(stream=pdf, filetype="pdf")[0].get_pixmap(dpi=110).samples


def assert_looks_drawn_element_by_element(template, data):
    copied, drawn = render_certificate(template, data), render_certificate(template, data, cohort_layer=False)
    assert pixels(copied) == pixels(drawn)
    return copied


def embedded_fonts(pdf: bytes) -> dict[str, bytes]:
    """Subset name -> font program."""
    document = pymupdf.open(stream=pdf, filetype="pdf")
    return {font[3]: document.extract_font(font[0])[3] for font in document[0].get_fonts()}


def jpeg(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (250, 350), color).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("template_name", ["director", "chief"])
def test_every_holder_of_a_cohort_gets_the_page_as_if_drawn_element_by_element(template_name):
    template = load_template(template_name)
    for index, name in enumerate(["张三明", "欧阳璇", "阿卜杜热合曼·买买提依明"]):  # 璇: not in the cohort's words
        assert_looks_drawn_element_by_element(template, sample_data(index, holder_name=name))
    # the institution's own seal and a photo are placed per certificate
    assert_looks_drawn_element_by_element(template, replace(sample_data(9), photo=jpeg("#336699"),
                                                            seal_image=jpeg("#cc0000")))


def test_cohorts_do_not_borrow_each_others_layer_or_font_subset():
    template = load_template("director")
    first, second = sample_data(1), sample_data(2)
    other_cohort = replace(sample_data(3), program_name="2026年辽宁省首席标准官培训班（第二期）",
                           institution_name="沈阳市标准化研究院", modules=(("团体标准制定实务", 16),))
    a1 = assert_looks_drawn_element_by_element(template, first)
    b = assert_looks_drawn_element_by_element(template, other_cohort)
    a2 = assert_looks_drawn_element_by_element(template, second)
    assert "沈阳市标准化研究院" in pymupdf.open(stream=b, filetype="pdf")[0].get_text()
    assert "沈阳" not in pymupdf.open(stream=a2, filetype="pdf")[0].get_text()

    # One cohort embeds the same subset of its words every time; another cohort its own.
    biggest = lambda pdf: max(embedded_fonts(pdf).values(), key=len)  # noqa: E731
    assert biggest(a1) == biggest(a2) != biggest(b)


def test_a_rare_name_character_goes_into_the_small_holder_font_and_stays_searchable():
    pdf = render_certificate(load_template("director"), sample_data(4, holder_name="欧阳璇"))
    fonts = embedded_fonts(pdf)
    assert len(fonts) == 2 and len(set(fonts)) == 2  # distinct subset names
    assert min(len(program) for program in fonts.values()) < 10_000
    assert pymupdf.open(stream=pdf, filetype="pdf")[0].get_text().count("欧阳璇") == 2  # name line and paragraph


@pytest.fixture
def template_with(tmp_path):
    """The director template with extra elements, appended or put before the first of a kind."""
    shutil.copytree(TEMPLATES_DIR / "director", tmp_path / "director")
    shutil.copytree(TEMPLATES_DIR / "fonts", tmp_path / "fonts")
    path = tmp_path / "director" / "template.yaml"

    def make(*elements, before: str | None = None):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        at = next(i for i, e in enumerate(data["elements"]) if e["kind"] == before) if before else len(data["elements"])
        data["elements"][at:at] = elements
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return load_template("director", tmp_path)

    return make


def test_an_element_over_a_personal_one_drawn_before_it_is_not_moved_under_it(template_with):
    # A red stamp over the holder's name: it must stay on top, so it cannot join the
    # layer (which is drawn before the name); one far from personal elements can.
    template = template_with(
        {"kind": "text", "text": "已核验", "x": 60, "y": 92, "size": 20, "color": "#cc0000"},
        {"kind": "text", "text": "{program_code}", "x": 100, "y": 283, "size": 8, "align": "center"})
    data = sample_data(5, holder_name="张三明")
    stamp, footnote = len(template.elements) - 2, len(template.elements) - 1
    chosen = layer_elements(template, data.values(), own_seal=False)
    assert stamp not in chosen and footnote in chosen
    assert_looks_drawn_element_by_element(template, data)


def test_character_spacing_of_one_element_does_not_carry_into_the_next(template_with):
    # Widely spaced words followed by a plain drawString-style list (modules): PDF keeps
    # the spacing in the text state, so each element is drawn in its own state.
    template = template_with(
        {"kind": "text", "text": "间 距", "x": 105, "y": 283, "size": 8, "align": "center", "spacing": 9},
        before="modules")
    data = sample_data(6)
    pdf = assert_looks_drawn_element_by_element(template, data)
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    (hit,) = page.search_for("标准体系构建与实施")
    assert hit.width < 100  # 9 characters of 10.5 pt: about 95 pt, not 95 + 8 × 9
