"""Offset pagination over a SELECT, for list pages."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select

from lms.core.inputs import MAX_INT
from lms.extensions import db


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def count_rows(stmt: Select) -> int:
    """How many rows `stmt` selects."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def page_number(page: Any, per_page: int) -> int:
    """The page asked for, from 1 up to the last one whose OFFSET still fits a 64-bit integer
    (`?page=99999999999999999999999` is an empty page past the end, not an overflow)."""
    try:
        number = int(str(page if page is not None else 1).strip() or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(1, number), MAX_INT // per_page)


def paginate(stmt: Select, page: Any = 1, per_page: int = 25) -> Page:
    number = page_number(page, per_page)
    total = count_rows(stmt)
    items = list(db.session.scalars(stmt.limit(per_page).offset((number - 1) * per_page)))
    return Page(items, number, per_page, total)
