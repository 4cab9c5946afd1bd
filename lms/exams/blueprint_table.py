"""The exam blueprint as a table: one row per category × question type that the usable banks
can fill (or the blueprint already uses), one column per difficulty; each cell the number of
questions to draw with the number available beside it, each row its points per question, and
the totals. The table posts `n-<category>-<type>-<difficulty>` and `p-<category>-<type>`;
saving goes through the same `set_blueprint` as the text form (shortages refused)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.banks.enums import Difficulty
from lms.banks.models import BankCategory, QuestionBank
from lms.core.errors import ValidationFailed
from lms.exams.models import Exam
from lms.exams.papers import Cell, available_counts, usable_banks
from lms.extensions import db

LEVELS = [level.value for level in Difficulty]
MAX_COUNT = 1000


@dataclass
class Row:
    category: BankCategory
    type: str
    available: dict[int, int]  # difficulty -> usable questions
    counts: dict[int, str] = field(default_factory=dict)  # difficulty -> as typed (or stored)
    points: str = ""

    @property
    def key(self) -> str:
        return f"{self.category.id}-{self.type}"

    @property
    def questions(self) -> int:
        return sum(int(v) for v in self.counts.values() if str(v).isdigit())

    @property
    def subtotal(self) -> float:
        try:
            return self.questions * float(self.points or 0)
        except ValueError:
            return 0.0


def banks_for(exam: Exam) -> list[QuestionBank]:
    """The banks the exam may draw from."""
    return list(db.session.scalars(select(QuestionBank).where(
        QuestionBank.id.in_(usable_banks(exam.cohort.institution_id))).order_by(QuestionBank.code)))


def shown_banks(exam: Exam, banks: list[QuestionBank], wanted: list[str]) -> list[QuestionBank]:
    """The banks whose rows the table shows: those the blueprint draws from (so that saving keeps
    them) and those asked for; the first bank when there is neither."""
    used = {rule.category.bank_id for rule in exam.rules}
    shown = [b for b in banks if b.id in used or b.code in wanted]
    return shown or banks[:1]


def rows_for(exam: Exam, banks: list[QuestionBank] | None = None) -> list[Row]:
    """Every category × type of these banks (all usable ones by default) with questions to draw or
    already in the blueprint, bank by bank."""
    bank_ids = [b.id for b in banks] if banks is not None else usable_banks(exam.cohort.institution_id)
    categories = list(db.session.scalars(
        select(BankCategory).join(QuestionBank).where(BankCategory.bank_id.in_(bank_ids))
        .order_by(QuestionBank.code, BankCategory.code)))
    available = available_counts([c.id for c in categories])
    used = {(r.category_id, r.type) for r in exam.rules}
    rows = []
    for category in categories:
        types = sorted({t for (c, t, _d) in available if c == category.id} | {t for (c, t) in used if c == category.id})
        for kind in types:
            rows.append(Row(category, kind, {d: available.get((category.id, kind, d), 0) for d in LEVELS}))
    by_key = {(row.category.id, row.type): row for row in rows}
    for rule in exam.rules:
        row = by_key.get((rule.category_id, rule.type))
        if row is not None:
            row.counts[rule.difficulty] = str(rule.count)
            row.points = row.points or f"{rule.points:g}"
    return rows


def read_form(rows: list[Row], form) -> list[Row]:
    """The typed counts and points onto the rows (kept as typed, to show again on a refusal)."""
    for row in rows:
        row.counts = {d: form.get(f"n-{row.key}-{d}", "").strip() for d in LEVELS}
        row.points = form.get(f"p-{row.key}", "").strip()
    return rows


def cells_of(rows: list[Row]) -> list[Cell]:
    """The blueprint's cells, or a refusal naming each wrong input by its field."""
    problems, cells = {}, []
    for row in rows:
        wanted = {d: v for d, v in row.counts.items() if v not in ("", "0")}
        for level, text in wanted.items():
            if not text.isdigit() or not 0 < int(text) <= MAX_COUNT:
                problems[f"n-{row.key}-{level}"] = _l("题数应为 0–%(max)s 的整数", max=MAX_COUNT)
        if not wanted:
            continue
        try:
            points = float(row.points)
        except ValueError:
            points = 0.0
        if not 0 < points <= 1000:
            problems[f"p-{row.key}"] = _l("请填写每题分值（大于 0）")
            continue
        cells += [Cell(row.category.id, row.type, level, int(text), points) for level, text in wanted.items()
                  if text.isdigit()]
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)
    if not cells:
        raise ValidationFailed(_l("组卷规则不能为空"), {"blueprint": _l("请至少为一个格子填写题数")})
    return cells
