"""Importers never crash on hostile input: they import or report errors (hypothesis)."""
from __future__ import annotations

import io
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lms.banks.importers import gift
from lms.banks.importers.gift import ESCAPABLE
from lms.banks.importers.xlsx import build_template
from lms.banks.imports import import_files
from tests.banks.conftest import SMALL_BANK

# FUZZ_EXAMPLES=5000 pytest tests/banks/test_fuzz.py for a longer hunt
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

GIFT_ALPHABET = st.sampled_from(list("{}=~#%:\\/->$ \n\tTF") + ["::", "####", "$CATEGORY:", "~%50%", "=%-100%",
                                                                 "// lms: {", "[html]", "甲", "乙", "1", "\\n"])
AIKEN_ALPHABET = st.sampled_from(list("ABCDE.) :\n") + ["ANSWER:", "答案：", "题干", "A. ", "\n\n"])
YAML_ALPHABET = st.sampled_from(list("{}[]:-,&*!|>'\"#% \n\t?") + ["code: x", "questions:", "  - id: 1", "type: ",
                                                                   "single", "fill", "____", "answer:", "甲"])


def check(name: str, data: bytes, **options) -> None:
    report = import_files(None, [(name, data)], dry_run=True, **options)
    for file_report in report.files:
        assert file_report.ok or file_report.errors
        for error in file_report.errors:  # lazy strings, rendered when read
            assert isinstance(str(error), str) and name in str(error)


def mutate(text: str, cuts: list[tuple[int, str]]) -> str:
    for position, insert in cuts:
        position %= max(1, len(text))
        text = text[:position] + insert + text[position + 1:]
    return text


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes(app, data):
    for name in ("x.yaml", "x.gift", "x.aiken.txt", "x.xlsx"):
        check(name, data, bank_code="fuzz")


@FUZZ
@given(st.lists(GIFT_ALPHABET, max_size=80).map("".join))
def test_gift_like_text(app, text):
    check("x.gift", text.encode(), bank_code="fuzz")


@FUZZ
@given(st.lists(AIKEN_ALPHABET, max_size=60).map("".join))
def test_aiken_like_text(app, text):
    check("x.aiken.txt", text.encode(), bank_code="fuzz")


@FUZZ
@given(st.lists(YAML_ALPHABET, max_size=60).map("".join))
def test_yaml_like_text(app, text):
    check("x.yaml", text.encode())


# what the limits are about: anchors and aliases, nesting, several documents, merge keys
YAML_STRUCTURE = st.sampled_from(["&a ", "*a", "&b [", "*b, ", "<<: *a\n", "[", "]", "{", "}", "---\n", "...\n",
                                  "- ", "\n  ", "x: ", "questions:\n", "- {}\n", "!!str ", "!!python/none ", "? "])


@FUZZ
@given(st.lists(YAML_STRUCTURE, max_size=40).map("".join))
def test_yaml_structure(app, text):
    check("x.yaml", ("code: fuzz\ntitle: t\n" + text).encode())


ANSWER_LINE = st.text(alphabet=st.sampled_from(list("ABCZa ,，、\t;:!") + ["\u3000"]), max_size=300)


@FUZZ
@given(ANSWER_LINE)
def test_aiken_answer_lines(app, answer):
    """Any answer line (the old pattern backtracked exponentially on long failing ones)."""
    check("x.aiken.txt", f"题干\nA. 甲\nB. 乙\nANSWER: {answer}\n".encode(), bank_code="fuzz")


GIFT_HEADERS = st.sampled_from(["$CATEGORY: a\n", "$CATEGORY: a/b\n", "$CATEGORY:\n",
                                '// lms-category: {"code": "a"}\n',
                                '// lms-category: {"code": "b", "title": "乙"}\n', '// lms-bank: {"code": "g"}\n',
                                '// lms: {"difficulty": 9}\n', "::Q::题{T}\n", "::Q::题{=甲 ~乙}\n", "\n"])


@FUZZ
@given(st.lists(GIFT_HEADERS, max_size=40).map("".join))
def test_gift_categories_and_comments(app, text):
    check("x.gift", text.encode(), bank_code="fuzz")


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 5000), st.sampled_from(["", ":", "- ", "[", "{", "\n", " ", "&a", "*a",
                                                                 "9", "~", "true", "'"])), max_size=6))
def test_mutated_valid_yaml(app, cuts):
    check("x.yaml", mutate(SMALL_BANK, cuts).encode())


JSONISH = st.recursive(st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=True)
                       | st.text(max_size=8), lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12)
FIELDS = st.sampled_from(["id", "category", "type", "difficulty", "points", "stem", "options", "answer", "rubric",
                          "weights", "tags", "explanation", "source"])


@FUZZ
@given(st.lists(st.dictionaries(FIELDS, JSONISH | st.sampled_from(["single", "multiple", "truefalse", "fill",
                                                                   "essay", "GEN", "a____b"]), max_size=13),
                max_size=4))
def test_structured_yaml_with_wrong_values(app, questions):
    document = {"code": "fuzz", "title": "模糊", "categories": [{"code": "GEN", "title": "总则"}],
                "questions": questions}
    check("x.yaml", yaml.safe_dump(document, allow_unicode=True).encode())


CELL = st.none() | st.booleans() | st.integers(-5, 10) | st.floats(allow_nan=False, allow_infinity=False) \
    | st.text(alphabet=st.sampled_from(list("ABC,，；|:：_ 甲\n")), max_size=10) \
    | st.sampled_from(["单选", "多选", "填空", "论述", "判断", "a____b", "正确"])


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["试题", "分类", "题库"]), st.integers(1, 8), st.integers(1, 20), CELL),
                max_size=12))
def test_edited_xlsx_template(app, edits):
    workbook = load_workbook(io.BytesIO(build_template()))
    for sheet, row, col, value in edits:
        workbook[sheet].cell(row=row, column=col, value=value)
    out = io.BytesIO()
    workbook.save(out)
    check("x.xlsx", out.getvalue())


EDITOR_TEXT = st.lists(st.sampled_from(list("ABC.、,，；|:：_ 甲\n%-1e9") + ["____", "nan", "inf", "正确"]),
                       max_size=30).map("".join)


@FUZZ
@given(st.fixed_dictionaries({}, optional={name: EDITOR_TEXT for name in (
    "difficulty", "points", "stem", "options", "answer", "rubric", "weights", "tags")}),
    st.sampled_from(["single", "multiple", "truefalse", "fill", "essay", "", "bogus"]))
def test_editor_preview_never_crashes(app, fields, kind):
    from lms.banks.preview import preview

    with app.test_request_context():
        result = preview({**fields, "type": kind})
    assert isinstance(result["html"], str) and isinstance(result["problems"], dict)
    assert result["problems"] or kind in ("single", "multiple", "truefalse", "fill", "essay")


# ---- GIFT's scanners read as the character-by-character loops they replace ------------------

def reference_find(text: str, token: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1


def reference_unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt if nxt in ESCAPABLE else "\\" + nxt)
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


GIFT_TEXT = st.text(alphabet=st.sampled_from(list("\\{}=~#:-> an\n")), max_size=40)


@FUZZ
@given(GIFT_TEXT, st.sampled_from(["{", "}", "::", "#", "####", "->"]), st.integers(0, 5))
def test_gift_find_and_unescape_match_the_reference(text, token, start):
    assert gift._find(text, token, start) == reference_find(text, token, start)
    assert gift.unescape(text) == reference_unescape(text)
