"""Banks and questions: scoped reads, editing with revisions, retiring.

Access: admins manage shared banks (and may manage any); institution staff manage their
institution's banks and read shared ones; graders read both; everyone else sees nothing
(404). `actor=None` is the command line, which may do anything.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select

from lms.banks.editing import content_from_fields
from lms.banks.enums import QuestionField, QuestionStatus, Removal
from lms.banks.importers.parsed import DATA_FIELDS, tidy
from lms.banks.models import BankCategory, ExclusionGroup, ExclusionMember, Question, QuestionBank, QuestionRevision
from lms.banks.types import validate_content
from lms.core import audit
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.permissions import institution_ids, is_admin, one_or_404
from lms.core.time import utcnow
from lms.extensions import db

# Checks that tell whether a question was ever given to a trainee; exams (issue 5) add one
# that looks at attempts. A used question is retired, never deleted.
USAGE_CHECKS: list[Callable[[Question], bool]] = [lambda question: bool(question.times_used)]


# ---- access ----------------------------------------------------------------------------

READ_ROLES = ("admin", "institution", "grader")  # see banks (graders read only)
WRITE_ROLES = ("admin", "institution")  # may manage some bank: create, import, edit


def can_read(actor) -> bool:
    """Whether the actor sees banks at all (everyone else is told they do not exist)."""
    return actor is None or actor.has_role(*READ_ROLES)


def can_write(actor) -> bool:
    """Whether the actor may manage some bank (its pages for creating, importing and editing)."""
    return actor is None or actor.has_role(*WRITE_ROLES)


def visible_banks(actor) -> Select:
    stmt = select(QuestionBank).order_by(QuestionBank.code)
    if actor is None or is_admin(actor):
        return stmt
    own = sorted(institution_ids(actor, "institution", "grader"))
    if not own:
        return stmt.where(QuestionBank.id == -1)
    return stmt.where(or_(QuestionBank.owner_institution_id.is_(None), QuestionBank.owner_institution_id.in_(own)))


def can_manage(actor, bank: QuestionBank) -> bool:
    if actor is None or is_admin(actor):
        return True
    return bank.owner_institution_id is not None and \
        bank.owner_institution_id in institution_ids(actor, "institution")


def require_manage(actor, bank: QuestionBank) -> None:
    if not can_manage(actor, bank):
        raise Forbidden(_l("您可以查看此题库，但无权修改"))


def can_create_bank(actor) -> bool:
    """Admins create shared banks; institution staff create their institution's banks."""
    return actor is None or is_admin(actor) or bool(managed_institution_ids(actor))


def get_bank(actor, bank_id: int) -> QuestionBank:
    return one_or_404(visible_banks(actor).where(QuestionBank.id == bank_id))


def bank_by_code(code: str) -> QuestionBank | None:
    return db.session.scalar(select(QuestionBank).where(QuestionBank.code == code))


def managed_institution_ids(actor) -> list[int]:
    return sorted(institution_ids(actor, "institution"))


def question_counts(bank_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(select(Question.bank_id, func.count()).where(
        Question.bank_id.in_(bank_ids or [-1]), Question.retired.is_(False)).group_by(Question.bank_id))
    return {bank_id: count for bank_id, count in rows}


@dataclass(frozen=True)
class BankRow:
    bank: QuestionBank
    questions: int  # in use
    manageable: bool


def bank_list(actor) -> list[BankRow]:
    """The banks the actor sees, with their question counts and whether the actor manages each."""
    banks = list(db.session.scalars(visible_banks(actor)))
    counts = question_counts([b.id for b in banks])
    return [BankRow(b, counts.get(b.id, 0), can_manage(actor, b)) for b in banks]


def manageable_banks(actor) -> list[QuestionBank]:
    return [b for b in db.session.scalars(visible_banks(actor)) if can_manage(actor, b)]


BANK_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
BANK_CODE_RULE = _l("题库代码只能包含字母、数字、点、下划线和连字符（不超过 64 个）")
MAX_TITLE = 200
MAX_EXTERNAL_ID = 64  # a question's id in its bank (the column's length)


def create_bank(actor, code: str, title: str) -> QuestionBank:
    """Admins create shared banks; institution staff create their institution's banks."""
    if not can_create_bank(actor):
        raise Forbidden(_l("您没有新建题库的权限"))
    code, title = (code or "").strip(), (title or "").strip()
    problems = {}
    if not BANK_CODE.match(code):
        problems["code"] = BANK_CODE_RULE
    elif bank_by_code(code) is not None:
        problems["code"] = _l("题库代码 %(code)s 已被使用", code=code)
    if not title:
        problems["title"] = _l("请填写题库名称")
    if problems:
        raise ValidationFailed(_l("题库信息有误"), problems)
    owner = None if actor is None or is_admin(actor) else managed_institution_ids(actor)[0]
    bank = QuestionBank(code=code, title=title, version=1, owner_institution_id=owner)
    db.session.add(bank)
    audit.record(actor, "bank.create", bank, code=code)
    return bank


def rename_bank(actor, bank: QuestionBank, title: str) -> None:
    require_manage(actor, bank)
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise ValidationFailed(_l("题库名称有误"), {"title": _l("请填写题库名称（不超过 %(max)s 字）", max=MAX_TITLE)})
    if title != bank.title:
        audit.record(actor, "bank.rename", bank, old=bank.title, new=title)
        bank.title = title


def new_bank_owner(actor) -> int | None:
    """The institution a bank created or imported by this actor belongs to (None: shared)."""
    if actor is None or is_admin(actor):
        return None
    owned = managed_institution_ids(actor)
    return owned[0] if owned else None


# ---- questions ---------------------------------------------------------------------------

def questions_of(bank: QuestionBank, *, query: str = "", category_id: int | None = None, type: str = "",
                 difficulty: int | None = None, tag: str = "",
                 status: QuestionStatus | None = QuestionStatus.ACTIVE) -> Select:
    """The bank's questions joined with their current revision, filtered (status None: all)."""
    stmt = (select(Question).join(QuestionRevision, and_(QuestionRevision.question_id == Question.id,
                                                         QuestionRevision.number == Question.current_number))
            .where(Question.bank_id == bank.id).order_by(Question.external_id))
    if query:
        needle = query.strip().lower()
        stmt = stmt.where(or_(func.lower(QuestionRevision.stem).contains(needle, autoescape=True),
                              func.lower(Question.external_id).contains(needle, autoescape=True)))
    if category_id:
        stmt = stmt.where(Question.category_id == category_id)
    if type:
        stmt = stmt.where(QuestionRevision.type == type)
    if difficulty:
        stmt = stmt.where(QuestionRevision.difficulty == difficulty)
    if tag:
        stmt = stmt.where(QuestionRevision.tags_text.contains(f",{tag.strip()},", autoescape=True))
    if status is not None:
        stmt = stmt.where(Question.retired.is_(status == QuestionStatus.RETIRED))
    return stmt


def get_question(actor, bank: QuestionBank, question_id: int) -> Question:
    return one_or_404(select(Question).where(Question.id == question_id, Question.bank_id == bank.id))


def question_by_external_id(bank: QuestionBank, external_id: str) -> Question | None:
    return db.session.scalar(select(Question).where(Question.bank_id == bank.id,
                                                    Question.external_id == external_id))


def exclusion_groups(bank: QuestionBank, *, include_retired: bool = True) -> list[list[str]]:
    """The bank's `excludes` groups as lists of question ids, in file order. Without the retired
    questions (what an export holds), a group keeps its other members and is left out once
    fewer than two remain."""
    stmt = (select(ExclusionGroup.id, Question.external_id)
            .join(ExclusionMember, ExclusionMember.group_id == ExclusionGroup.id)
            .join(Question, Question.id == ExclusionMember.question_id)
            .where(ExclusionGroup.bank_id == bank.id)
            .order_by(ExclusionGroup.position, ExclusionGroup.id, ExclusionMember.position))
    if not include_retired:
        stmt = stmt.where(Question.retired.is_(False))
    groups: dict[int, list[str]] = {}
    for group_id, external_id in db.session.execute(stmt):
        groups.setdefault(group_id, []).append(external_id)
    return [ids for ids in groups.values() if len(ids) >= 2]


def content_of(revision: QuestionRevision) -> dict[str, Any]:
    """A revision as neutral content (what importers produce and validation checks)."""
    content = {"type": revision.type, "difficulty": revision.difficulty, "points": revision.points,
               "stem": revision.stem}
    content.update({field: revision.data.get(field) for field in DATA_FIELDS})
    return content


def canonical(content: dict[str, Any]) -> str:
    """A stable text form of content: equal content, equal text (1 and 1.0 points alike)."""
    data = {field: content.get(field) for field in ("type", "difficulty", "stem") + DATA_FIELDS
            if content.get(field) not in (None, [], "")}
    data["points"] = float(content["points"])
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def new_revision(question: Question, content: dict[str, Any], actor, number: int) -> QuestionRevision:
    data = {field: content[field] for field in DATA_FIELDS if content.get(field) not in (None, [], "")}
    tags = content.get("tags") or []
    revision = QuestionRevision(
        number=number, type=content["type"], difficulty=content["difficulty"], points=float(content["points"]),
        stem=content["stem"], data=data, tags_text=("," + ",".join(t.strip() for t in tags) + ",") if tags else "",
        created_by_id=getattr(actor, "id", None))
    question.revisions.append(revision)
    return revision


def apply_content(question: Question, content: dict[str, Any], actor) -> bool:
    """Give the question this content: a new revision when it differs. True if changed."""
    current = question.current if question.id is not None else None
    if current is not None and canonical(content_of(current)) == canonical(content):
        return False
    number = max((r.number for r in question.revisions), default=0) + 1
    new_revision(question, content, actor, number)
    question.current_number = number
    question.updated_at = utcnow()
    if question.id is not None:
        db.session.expire(question, ["current"])
    return True


def content_problems(content: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, Any] = {}
    for field, problem in validate_content(content):
        problems.setdefault(field, problem)
    return problems


def save_from_editor(actor, bank: QuestionBank, fields: dict[str, Any], *,
                     question: Question | None = None) -> Question:
    """The editor's text fields (lms.banks.editing's notation) saved as the question's content."""
    require_manage(actor, bank)
    content, problems = content_from_fields(fields)
    if problems:
        raise ValidationFailed(_l("试题格式有误"), problems)
    return save_question(actor, bank, content, category_code=fields.get("category") or "", question=question,
                         external_id=fields.get("external_id"))


def save_question(actor, bank: QuestionBank, content: dict[str, Any], *, category_code: str,
                  question: Question | None = None, external_id: str | None = None) -> Question:
    """Create a question or edit one (a new revision when the content changed)."""
    require_manage(actor, bank)
    content = tidy(dict(content))
    problems = content_problems(content)
    category = bank.category(category_code or "")
    if category is None:
        problems["category"] = _l("请选择本题库的分类")
    if question is None:
        external_id = (external_id or "").strip()
        if not external_id or len(external_id) > MAX_EXTERNAL_ID:
            problems["external_id"] = _l("请填写题号（不超过 %(max)s 字）", max=MAX_EXTERNAL_ID)
        elif question_by_external_id(bank, external_id) is not None:
            problems["external_id"] = _l("题号 %(id)s 在本题库中已存在", id=external_id)
    if problems:
        first = next(iter(problems))
        raise ValidationFailed(_l("%(field)s：%(problem)s", field=QuestionField.label_of(first),
                                  problem=problems[first]), problems)
    created = question is None
    if question is None:
        question = Question(bank=bank, external_id=external_id, category=category)
        db.session.add(question)
    changed = apply_content(question, content, actor)
    moved = question.category_id not in (None, category.id)
    question.category = category
    db.session.flush()
    if created or changed or moved:
        audit.record(actor, "question.create" if created else "question.update", question,
                     bank=bank.code, external_id=question.external_id, revision=question.current_number)
    return question


def is_used(question: Question) -> bool:
    return any(check(question) for check in USAGE_CHECKS)


def delete_question(actor, question: Question) -> Removal:
    """Delete an unused question; retire a used one instead."""
    require_manage(actor, question.bank)
    if is_used(question):
        question.retired = True
        audit.record(actor, "question.retire", question, external_id=question.external_id)
        return Removal.RETIRED
    audit.record(actor, "question.delete", question, external_id=question.external_id,
                 bank=question.bank.code)
    db.session.delete(question)
    db.session.flush()
    return Removal.DELETED


def set_status(actor, question: Question, status: QuestionStatus) -> None:
    """Retire a question (kept, never drawn again) or put it back in use."""
    require_manage(actor, question.bank)
    if question.status == status:
        raise Conflict(_l("试题已是“%(status)s”状态", status=status.label))
    question.retired = status == QuestionStatus.RETIRED
    audit.record(actor, "question.retire" if question.retired else "question.restore", question,
                 external_id=question.external_id)


def category_for(bank: QuestionBank, code: str) -> BankCategory | None:
    return bank.category(code)


def trainee_view(revision: QuestionRevision, rng) -> dict:
    """The question as a trainee sees it (no answer, explanation, rubric or weights)."""
    from lms.banks.types import question_type

    return question_type(revision.type).public_view(revision, rng)


def grade_response(revision: QuestionRevision, response, *, partial: bool = False):
    """Score a trainee's response to the revision they were given."""
    from lms.banks.types import question_type

    return question_type(revision.type).grade(revision, response, partial=partial)
