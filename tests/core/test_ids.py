import pytest

from lms.core.ids import id_number_problem, uscc_check_char, uscc_problem
from lms.demo import demo_uscc

# Codes published by the companies themselves (business licences).
REAL_USCCS = ["91110108551385082Q", "91330100716105852F", "9144030071526726XG", "91350100M000100Y43"]


@pytest.mark.parametrize("code", REAL_USCCS)
def test_real_unified_social_credit_codes_are_accepted(code):
    assert uscc_problem(code) is None


@pytest.mark.parametrize("code", REAL_USCCS)
def test_a_mistyped_character_is_caught_by_the_check_character(code):
    wrong = code[:10] + ("1" if code[10] != "1" else "2") + code[11:]
    assert uscc_problem(wrong) == "统一社会信用代码校验位不正确，请核对是否录入有误"


@pytest.mark.parametrize("code, message", [
    ("9111010855138508", "统一社会信用代码应为18位"),
    ("91110108551385O82Q", "不允许的字符"),  # letter O is not in the GB 32100 alphabet
    ("91A10108551385082Q", "行政区划代码"),
])
def test_malformed_uscc_says_what_is_wrong(code, message):
    assert message in uscc_problem(code)


def test_demo_codes_are_valid_and_distinct():
    codes = {demo_uscc("310105", n) for n in range(1, 200)}
    assert len(codes) == 199
    assert all(uscc_problem(c) is None for c in codes)
    assert uscc_check_char("91110108551385082") == "Q"


def test_identity_number_from_gb_11643_example_is_valid():
    assert id_number_problem("11010519491231002X") is None


@pytest.mark.parametrize("number, message", [
    ("110105194912310021", "校验位不正确"),
    ("11010519491331002X", "出生日期不存在"),
    ("1101051949123100", "应为18位"),
    ("11010530491231002X", "出生日期不合理"),  # born in 3049
])
def test_bad_identity_numbers_are_refused_with_the_reason(number, message):
    assert message in id_number_problem(number)
