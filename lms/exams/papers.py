"""The paper: blueprint cells and the fixed paper, checking that the bank can fill them,
and drawing one trainee's paper from a seed."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import Select, and_, bindparam, func, select

from lms.banks.models import BankCategory, ExclusionMember, Question, QuestionBank, QuestionRevision
from lms.banks.types import QUESTION_TYPES, type_label
from lms.core.errors import ValidationFailed
from lms.exams.models import BlueprintRule, Exam, FixedQuestion, PaperMode
from lms.extensions import db

CHOICE_TYPES = ("single", "multiple")


def _current_join():
    return and_(QuestionRevision.question_id == Question.id, QuestionRevision.number == Question.current_number)


@dataclass(frozen=True)
class Cell:
    category_id: int
    type: str
    difficulty: int
    count: int
    points: float


def usable_banks(institution_id: int) -> Select:
    """Banks an exam of this institution may draw from: shared banks and its own."""
    return select(QuestionBank.id).where((QuestionBank.owner_institution_id.is_(None))
                                         | (QuestionBank.owner_institution_id == institution_id))


def available_counts(category_ids: list[int]) -> dict[tuple[int, str, int], int]:
    """Usable (not retired) questions per (category, type, difficulty), one query."""
    rows = db.session.execute(
        select(Question.category_id, QuestionRevision.type, QuestionRevision.difficulty, func.count())
        .join(QuestionRevision, _current_join())
        .where(Question.category_id.in_(category_ids or [-1]), Question.retired.is_(False))
        .group_by(Question.category_id, QuestionRevision.type, QuestionRevision.difficulty))
    return {(c, t, d): n for c, t, d, n in rows}


_GROUPS_OF = (select(ExclusionMember.group_id, ExclusionMember.question_id)
              .where(ExclusionMember.group_id.in_(select(ExclusionMember.group_id).where(
                  ExclusionMember.question_id.in_(bindparam("p_ids", expanding=True))))))


def exclusion_mates(question_ids) -> dict[int, set[int]]:
    """For each of these questions that is in an `excludes` group: the other questions of its
    groups (a paper holds at most one question of a group)."""
    ids = set(question_ids)
    if not ids:
        return {}
    groups: dict[int, set[int]] = {}
    for group_id, question_id in db.session.execute(_GROUPS_OF, {"p_ids": sorted(ids)}):
        groups.setdefault(group_id, set()).add(question_id)
    mates: dict[int, set[int]] = {}
    for members in groups.values():
        for question_id in members & ids:
            mates.setdefault(question_id, set()).update(members - {question_id})
    return mates


def _cell_pools(cells) -> dict[tuple[int, str, int], list[int]]:
    """Usable question ids per (category, type, difficulty) of these cells."""
    keys = {(c.category_id, c.type, c.difficulty) for c in cells}
    pools: dict[tuple[int, str, int], list[int]] = {key: [] for key in keys}
    rows = db.session.execute(
        select(Question.id, Question.category_id, QuestionRevision.type, QuestionRevision.difficulty)
        .join(QuestionRevision, _current_join())
        .where(Question.category_id.in_({k[0] for k in keys} or {-1}), Question.retired.is_(False))
        .order_by(Question.id))
    for question_id, category_id, kind, difficulty in rows:
        if (category_id, kind, difficulty) in pools:
            pools[(category_id, kind, difficulty)].append(question_id)
    return pools


def guaranteed_counts(cells) -> list[int]:
    """How many questions the draw can always give each cell, whatever the seed, when `excludes`
    groups keep some questions apart. The draw fills the cells in order and never takes a
    question whose group already has one in the paper. A question in no group always counts;
    the questions linked by groups (a component) count once for the first cell that has one
    of them (the draw takes one of them there), and not at all for later cells (an earlier
    cell may have taken one)."""
    pools = _cell_pools(cells)
    candidates = {q for pool in pools.values() for q in pool}
    mates = {q: {m for m in found if m in candidates} for q, found in exclusion_mates(candidates).items()}
    component: dict[int, int] = {}
    for start in mates:
        if start in component or not mates[start]:
            continue
        stack = [start]
        while stack:
            q = stack.pop()
            if q in component:
                continue
            component[q] = start
            stack.extend(mates.get(q, ()))
    counted: set[int] = set()
    result = []
    for cell in cells:
        pool = pools.get((cell.category_id, cell.type, cell.difficulty), [])
        free = sum(1 for q in pool if q not in component)
        linked = {component[q] for q in pool if q in component}
        result.append(free + len(linked - counted))
        counted |= linked
    return result


def parse_blueprint(lines: str, institution_id: int) -> list[Cell]:
    """Parse the blueprint text form: one cell per line, `题库代码 分类代码 题型 难度 题数 每题分值`.
    Every problem names its line; nothing is parsed into cells if any line is wrong."""
    problems: dict[str, str] = {}
    cells: list[Cell] = []
    seen: set[tuple[int, str, int]] = set()
    allowed = set(db.session.scalars(usable_banks(institution_id)))
    for number, raw in enumerate(lines.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        key = f"line {number}"
        if len(parts) != 6:
            problems[key] = _l("第 %(line)s 行：应为“题库代码 分类代码 题型 难度 题数 每题分值”六项，实为 %(n)s 项",
                               line=number, n=len(parts))
            continue
        bank_code, category_code, kind, difficulty, count, points = parts
        category = db.session.scalar(select(BankCategory).join(QuestionBank).where(
            QuestionBank.code == bank_code, BankCategory.code == category_code))
        if category is None or category.bank_id not in allowed:
            problems[key] = _l("第 %(line)s 行：题库 %(bank)s 中没有分类 %(category)s（或该题库不可用）",
                               line=number, bank=bank_code, category=category_code)
            continue
        if kind not in QUESTION_TYPES:
            problems[key] = _l("第 %(line)s 行：题型 %(type)s 不存在，应为 %(types)s 之一",
                               line=number, type=kind, types=" / ".join(QUESTION_TYPES))
            continue
        try:
            level, how_many, each = int(difficulty), int(count), float(points)
        except ValueError:
            problems[key] = _l("第 %(line)s 行：难度和题数应为整数，分值应为数字", line=number)
            continue
        if not (1 <= level <= 5) or not (0 < how_many <= 1000) or not (0 < each <= 1000):
            problems[key] = _l("第 %(line)s 行：难度应为 1–5，题数应为 1–1000，分值应大于 0", line=number)
            continue
        if (category.id, kind, level) in seen:
            problems[key] = _l("第 %(line)s 行：与前面的行重复（同一分类、题型、难度）", line=number)
            continue
        seen.add((category.id, kind, level))
        cells.append(Cell(category.id, kind, level, how_many, each))
    if not cells and not problems:
        problems["blueprint"] = _l("组卷规则不能为空")
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)
    return cells


def blueprint_text(exam: Exam) -> str:
    return "\n".join(f"{r.category.bank.code} {r.category.code} {r.type} {r.difficulty} {r.count} {r.points:g}"
                     for r in exam.rules)


def shortages(cells: list[Cell]) -> dict[str, str]:
    """Cells the bank cannot fill, each with a message naming the cell."""
    counts = available_counts(sorted({c.category_id for c in cells}))
    categories = {c.id: c for c in db.session.scalars(
        select(BankCategory).where(BankCategory.id.in_([c.category_id for c in cells] or [-1])))}
    guaranteed = guaranteed_counts(cells)
    problems = {}
    for number, (cell, sure) in enumerate(zip(cells, guaranteed, strict=True), 1):
        have = counts.get((cell.category_id, cell.type, cell.difficulty), 0)
        if have >= cell.count and sure >= cell.count:
            continue
        category = categories[cell.category_id]
        names = dict(rule=number, bank=category.bank.code, category=category.code, title=category.title,
                     type=type_label(cell.type), difficulty=cell.difficulty, have=have, sure=sure)
        if have < cell.count:
            problems[f"rule {number}"] = lazy_ngettext(
                "第 %(rule)s 条规则（%(bank)s / %(category)s %(title)s × %(type)s × "
                "难度 %(difficulty)s）需要 %(num)s 题，题库中只有 %(have)s 题可用，缺 %(missing)s 题",
                "第 %(rule)s 条规则（%(bank)s / %(category)s %(title)s × %(type)s × "
                "难度 %(difficulty)s）需要 %(num)s 题，题库中只有 %(have)s 题可用，缺 %(missing)s 题",
                cell.count, missing=cell.count - have, **names)
        else:
            problems[f"rule {number}"] = lazy_ngettext(
                "第 %(rule)s 条规则（%(bank)s / %(category)s %(title)s × %(type)s × "
                "难度 %(difficulty)s）需要 %(num)s 题，题库中有 %(have)s 题可用，"
                "但因互斥组（excludes：同组试题不同卷）只能保证 %(sure)s 题，缺 %(missing)s 题",
                "第 %(rule)s 条规则（%(bank)s / %(category)s %(title)s × %(type)s × "
                "难度 %(difficulty)s）需要 %(num)s 题，题库中有 %(have)s 题可用，"
                "但因互斥组（excludes：同组试题不同卷）只能保证 %(sure)s 题，缺 %(missing)s 题",
                cell.count, missing=cell.count - sure, **names)
    return problems


def set_blueprint(exam: Exam, cells: list[Cell]) -> None:
    """Replace the exam's blueprint; refuses (changing nothing) if any cell is short."""
    problems = shortages(cells)
    if problems:
        raise ValidationFailed(_l("题库无法满足组卷规则：%(problem)s", problem=next(iter(problems.values()))), problems)
    exam.rules.clear()
    db.session.flush()
    for position, cell in enumerate(cells, 1):
        exam.rules.append(BlueprintRule(category_id=cell.category_id, type=cell.type, difficulty=cell.difficulty,
                                        count=cell.count, points=cell.points, position=position))
    exam.paper_mode = PaperMode.BLUEPRINT
    exam.fixed_questions.clear()


def _clash(question: Question, chosen: list[Question]) -> Question | None:
    """A question already on the paper that shares an `excludes` group with this one."""
    mates = exclusion_mates([question.id]).get(question.id, set())
    return next((q for q in chosen if q.id in mates), None)


def set_fixed_paper(exam: Exam, entries: list[tuple[str, str, float]]) -> None:
    """A fixed paper from (bank code, question external id, points) entries, frozen at the
    questions' current revisions."""
    allowed = set(db.session.scalars(usable_banks(exam.cohort.institution_id)))
    problems: dict[str, str] = {}
    chosen = []
    for number, (bank_code, external_id, points) in enumerate(entries, 1):
        row = db.session.execute(
            select(Question, QuestionRevision).join(QuestionBank, QuestionBank.id == Question.bank_id)
            .join(QuestionRevision, _current_join())
            .where(QuestionBank.code == bank_code, Question.external_id == external_id)).first()
        if row is None or row[0].bank_id not in allowed or row[0].retired:
            problems[f"line {number}"] = _l("第 %(n)s 题：题库 %(bank)s 中没有可用的试题 %(question)s",
                                            n=number, bank=bank_code, question=external_id)
        elif any(q.id == row[0].id for q, _r, _p in chosen):
            problems[f"line {number}"] = _l("第 %(n)s 题：试题 %(question)s 重复", n=number, question=external_id)
        elif not (0 < points <= 1000):
            problems[f"line {number}"] = _l("第 %(n)s 题：分值应大于 0", n=number)
        elif clash := _clash(row[0], [q for q, _r, _p in chosen]):
            problems[f"line {number}"] = _l(
                "第 %(n)s 题：试题 %(question)s 与试题 %(other)s 属于同一互斥组（excludes），不能出现在同一试卷中",
                n=number, question=external_id, other=clash.external_id)
        else:
            chosen.append((row[0], row[1], points))
    if not chosen and not problems:
        problems["paper"] = _l("固定试卷至少需要一道题")
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)
    exam.fixed_questions.clear()
    exam.rules.clear()
    db.session.flush()
    for position, (question, revision, points) in enumerate(chosen, 1):
        exam.fixed_questions.append(FixedQuestion(question_id=question.id, revision_id=revision.id,
                                                  position=position, points=points))
    exam.paper_mode = PaperMode.FIXED


def parse_fixed_paper(text: str) -> list[tuple[str, str, float]]:
    """The fixed paper's text form: one question per line, `题库代码 题号 分值`."""
    entries, problems = [], {}
    for number, raw in enumerate(text.splitlines(), 1):
        parts = raw.split("#", 1)[0].split()
        if not parts:
            continue
        try:
            bank, external_id, points = parts
            entries.append((bank, external_id, float(points)))
        except ValueError:
            problems[f"line {number}"] = _l("第 %(line)s 行：应为“题库代码 题号 分值”三项", line=number)
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)
    return entries


def paper_text(exam: Exam) -> str:
    """The paper in the text form staff edit: the blueprint's cells or the fixed paper's questions."""
    if exam.paper_mode == PaperMode.FIXED:
        return "\n".join(f"{f.revision.question.bank.code} {f.revision.question.external_id} {f.points:g}"
                         for f in exam.fixed_questions)
    return blueprint_text(exam)


@dataclass
class DrawnItem:
    question_id: int
    revision_id: int
    category_id: int
    points: float
    created_at: datetime  # of the revision: with its id, the key of the public-view cache


# Built once: a start storm draws a paper per trainee (building the statement cost more than running it).
_CANDIDATES = (select(Question.id, Question.category_id, QuestionRevision.id, QuestionRevision.type,
                      QuestionRevision.difficulty, QuestionRevision.created_at)
               .join(QuestionRevision, _current_join())
               .where(Question.category_id.in_(bindparam("p_categories", expanding=True)), Question.retired.is_(False),
                      QuestionRevision.type.in_(bindparam("p_types", expanding=True)))
               .order_by(Question.id))


def draw(exam: Exam, rng: random.Random) -> list[DrawnItem]:
    """This trainee's questions, in paper order. Deterministic for a given seed and bank state."""
    if exam.paper_mode == PaperMode.FIXED:
        rows = db.session.execute(
            select(Question.id, Question.category_id, FixedQuestion.revision_id, FixedQuestion.points,
                   QuestionRevision.created_at)
            .join(FixedQuestion, FixedQuestion.question_id == Question.id)
            .join(QuestionRevision, QuestionRevision.id == FixedQuestion.revision_id)
            .where(FixedQuestion.exam_id == exam.id).order_by(FixedQuestion.position))
        items = [DrawnItem(q, r, c, p, at) for q, c, r, p, at in rows]
    else:
        rules = list(exam.rules)
        candidates: dict[tuple[int, str, int], list[tuple[int, int, datetime]]] = {}
        rows = db.session.execute(_CANDIDATES, {"p_categories": sorted({r.category_id for r in rules}) or [-1],
                                                "p_types": sorted({r.type for r in rules}) or [""]})
        for question_id, category_id, revision_id, kind, difficulty, created_at in rows:
            candidates.setdefault((category_id, kind, difficulty), []).append((question_id, revision_id, created_at))
        wanted = [c for r in rules for c in candidates.get((r.category_id, r.type, r.difficulty), [])]
        mates = exclusion_mates(q for q, _r, _at in wanted)
        items = []
        taken: set[int] = set()
        for rule in rules:
            pool = candidates.get((rule.category_id, rule.type, rule.difficulty), [])
            if not mates:  # no `excludes` group among the candidates: a plain sample
                chosen = rng.sample(pool, min(rule.count, len(pool)))
            else:  # a random order, skipping a question once one of its group is in the paper
                chosen = []
                for question in rng.sample(pool, len(pool)):
                    if len(chosen) == rule.count:
                        break
                    if question[0] not in taken and not (mates.get(question[0], set()) & taken):
                        chosen.append(question)
                        taken.add(question[0])
            for question_id, revision_id, created_at in chosen:
                items.append(DrawnItem(question_id, revision_id, rule.category_id, rule.points, created_at))
    if exam.shuffle_questions:
        rng.shuffle(items)
    return items


def paper_size(exam: Exam) -> tuple[int, float]:
    """(questions, total points) of the exam's paper."""
    if exam.paper_mode == PaperMode.FIXED:
        return len(exam.fixed_questions), sum(f.points for f in exam.fixed_questions)
    return sum(r.count for r in exam.rules), sum(r.count * r.points for r in exam.rules)
