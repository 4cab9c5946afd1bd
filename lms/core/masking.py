"""Masking of personal data shown to third parties (verification page, API, QR token).

Rules (documented in docs/verification.md):
- Names: the first and the last character are kept, everything between becomes one `*`
  per character: 张三明 -> 张*明, 欧阳娜娜 -> 欧**娜. A two-character name keeps its first
  character (张三 -> 张*), a one-character name is fully masked. Compound surnames are not
  treated specially: the rule only needs to hide the given name, which it does.
- ID numbers: the first 3 and the last 4 characters are kept, the rest becomes `*`
  (110105199001011234 -> 110***********1234). Anything of 7 characters or fewer is fully
  masked, as keeping 7 of them would reveal it whole.
- Phone numbers in staff lists (the talent pool): the same rule, 13912345678 -> 139****5678.
"""
from __future__ import annotations


def mask_name(name: str) -> str:
    chars = list("".join((name or "").split()))
    if len(chars) <= 1:
        return "*" * len(chars)
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


def mask_id_number(id_number: str) -> str:
    text = "".join((id_number or "").split())
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_phone(phone: str) -> str:
    """13912345678 -> 139****5678: the rule of ID numbers, the first 3 and the last 4 kept."""
    return mask_id_number(phone)
