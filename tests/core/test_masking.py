import pytest

from lms.core.masking import mask_id_number, mask_name


@pytest.mark.parametrize("name, masked", [
    ("张三明", "张*明"), ("张三", "张*"), ("欧阳娜娜", "欧**娜"), ("张", "*"), ("", ""),
    (" 张 三 明 ", "张*明"), ("Li Ming", "L****g"),
])
def test_mask_name_keeps_first_and_last_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("id_number, masked", [
    ("110105199001011234", "110***********1234"),
    ("11010519900101123X", "110***********123X"),
    ("G12345678", "G12**5678"),
    ("1234567", "*******"),
    ("", ""),
])
def test_mask_id_number_keeps_first_3_and_last_4(id_number, masked):
    assert mask_id_number(id_number) == masked
