"""Password hashing with Argon2id (memory-hard), and the password policy."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"  # see data/README.md


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_KIB"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: dict[tuple[int, int], str] = {}


def burn_verification_time(password: str) -> None:
    """Spend the time of one verification, so unknown usernames cannot be told apart by timing."""
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hasher.hash("not-a-real-password")
    verify_password(_DUMMY_HASH[key], password)


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS.read_text(encoding="utf-8").split("\n")) - {""}


class Problems:
    """Every problem of one field, shown together in the reader's language."""

    def __init__(self, problems: list):
        self.problems = problems

    def __str__(self) -> str:
        return _("；").join(str(problem) for problem in self.problems)

    def __repr__(self) -> str:
        return f"<Problems {self.problems!r}>"


def password_problems(password: str, username: str = "") -> Problems | None:
    """None if the password is acceptable, else every reason it is not (all at once, so a
    user fixes them in one go)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("密码至少%(n)s位", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_l("密码不能超过%(n)s位", n=MAX_LENGTH))
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        problems.append(_l("密码须同时包含字母和数字"))
    if username and password.lower() == username.lower():
        problems.append(_l("密码不能与用户名相同"))
    if password.lower() in common_passwords():
        problems.append(_l("这是最常见的密码之一，很容易被猜中，请换一个"))
    return Problems(problems) if problems else None
