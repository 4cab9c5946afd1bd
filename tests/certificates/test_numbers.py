import random
import re

import pytest

from lms.certificates.numbers import ALPHANUMERIC, CROCKFORD, cert_no_problem, new_cert_no


def numbers(count=40):
    rng = random.Random(7)
    return [new_cert_no(rng.choice(["SH", "310000", "LNSHENFU"]), 2026, rng.randrange(1, 10**6), rng=rng)
            for _ in range(count)]


def test_shape_is_region_year_serial_random_check():
    number = new_cert_no("sh", 2026, 123, rng=random.Random(1))
    assert re.fullmatch(r"SH-2026-000123-[0-9A-HJKMNP-TV-Z]{9}-[0-9A-Z]", number)
    assert cert_no_problem(number) is None
    assert cert_no_problem(number.lower().replace("-2026", " -2026")) is None  # typed loosely


def test_random_part_carries_at_least_40_bits_and_differs():
    assert 9 * 5 >= 40 and len(CROCKFORD) == 32
    drawn = {new_cert_no("SH", 2026, 1) for _ in range(200)}
    assert len(drawn) == 200  # same region, year and serial: the random part tells them apart


def test_check_character_is_never_a_letter_that_reads_as_a_digit():
    assert not {n[-1] for n in numbers(300)} & set("ILOU")


@pytest.mark.parametrize("number", numbers())
def test_every_single_mistype_is_detected(number):
    for position, char in enumerate(number):
        if char == "-":
            continue
        for other in ALPHANUMERIC:
            if other != char:
                typo = number[:position] + other + number[position + 1:]
                assert cert_no_problem(typo) is not None, typo


@pytest.mark.parametrize("number", numbers())
def test_every_adjacent_transposition_is_detected(number):
    chars = [c for c in number if c != "-"]
    dashes = [i for i, c in enumerate(number) if c == "-"]
    for i in range(len(chars) - 1):
        if chars[i] == chars[i + 1]:
            continue
        swapped = chars[:i] + [chars[i + 1], chars[i]] + chars[i + 2:]
        text = "".join(swapped)
        for position in dashes:  # put the dashes back where they were
            text = text[:position] + "-" + text[position:]
        assert cert_no_problem(text) is not None, text


@pytest.mark.parametrize("text, problem", [
    ("", "请输入证书编号"),
    ("SH-2026-123-ABCDEFGHJ-1", "格式不正确"),
    ("SH2026000123ABCDEFGHJ1", "格式不正确"),
])
def test_malformed_numbers_are_explained(text, problem):
    assert problem in cert_no_problem(text)


def test_bad_region_is_refused():
    with pytest.raises(ValueError, match="region"):
        new_cert_no("上海", 2026, 1)
