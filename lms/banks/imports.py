"""The import service: parse (any importer) → validate (shared) → report → store.

All-or-nothing: nothing is stored unless every file is free of errors; a dry run stores
nothing and reports what would be added, changed, left unchanged and rejected.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.banks import services
from lms.banks.enums import BankFormat, QuestionField
from lms.banks.importers import IMPORTERS, accepted_suffixes, format_for
from lms.banks.importers.parsed import MAX_PROBLEMS, ParsedBank, ParsedQuestion, located, tidy
from lms.banks.models import BankCategory, ExclusionGroup, ExclusionMember, Question, QuestionBank
from lms.banks.types import normalize_text, validate_content
from lms.banks.types.base import shown
from lms.core import audit
from lms.extensions import db

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class FileReport:
    """What an import did or would do with one file. Errors and warnings are lazy strings
    naming the file and line (rendered in the language of whoever reads the report); at most
    MAX_PROBLEMS are listed, the rest counted in `errors_left_off`."""

    name: str
    format: BankFormat | None = None
    bank_code: str | None = None
    bank_title: str | None = None
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)
    errors_left_off: int = 0
    warnings: list[Any] = field(default_factory=list)
    # the file's exclusion groups differ from the bank's (None: the file has no `excludes`)
    excludes_changed: bool | None = None
    parsed: ParsedBank | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_left_off

    def error(self, where: Any, message: Any) -> None:
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(located(where, message))
        else:
            self.errors_left_off += 1


@dataclass
class ImportReport:
    files: list[FileReport]
    dry_run: bool
    applied: bool = False

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def error_count(self) -> int:
        return sum(f.error_count for f in self.files)


def generated_id(stem: str) -> str:
    """A stable id for a question whose file gives none (GIFT/Aiken without a title)."""
    return "Q-" + hashlib.sha1(normalize_text(stem or "").encode(), usedforsecurity=False).hexdigest()[:10].upper()


def import_files(actor, files: list[tuple[str, bytes]], *, dry_run: bool = False, bank_code: str | None = None,
                 category_code: str | None = None, owner_institution_id: int | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """Import bank files (name, content). The caller commits when the report is ok and applied."""
    reports = [_check_file(actor, name, raw, bank_code=bank_code, category_code=category_code,
                           owner_institution_id=owner_institution_id, max_bytes=max_bytes)
               for name, raw in files]
    report = ImportReport(reports, dry_run)
    if report.ok and not dry_run:
        for file_report in reports:
            _store(actor, file_report, owner_institution_id)
        db.session.flush()
        report.applied = True
    return report


def _check_file(actor, name: str, raw: bytes, *, bank_code, category_code, owner_institution_id,
                max_bytes) -> FileReport:
    report = FileReport(name=name, format=format_for(name))
    if len(raw) > max_bytes:
        report.error(name, _l("文件大小 %(size)s MB 超过上限 %(limit)s MB", size=f"{len(raw) / 1048576:.1f}",
                              limit=f"{max_bytes / 1048576:g}"))
        return report
    if report.format is None:
        report.error(name, _l("无法识别的文件类型（支持 %(suffixes)s）", suffixes=", ".join(accepted_suffixes())))
        return report
    parsed = IMPORTERS[report.format](name, raw, bank_code=bank_code, category_code=category_code)
    report.parsed = parsed
    report.errors.extend(parsed.problems)
    report.errors_left_off += parsed.problems_left_off
    report.warnings.extend(parsed.warnings)
    if parsed.full:
        return report  # past the question limit: no validation, no lookups
    if bank_code and parsed.code is None:
        parsed.code = bank_code
    if not parsed.code:
        if parsed.problems:
            return report
        report.error(name, _l("未指定目标题库（请用 --bank 或在页面上选择题库）"))
        return report
    report.bank_code, report.bank_title = parsed.code, parsed.title
    if not services.BANK_CODE.match(parsed.code):
        report.error(name, _l("%(rule)s，而不是 %(value)s", rule=services.BANK_CODE_RULE, value=shown(parsed.code)))
        return report
    bank = services.bank_by_code(parsed.code)
    if bank is not None and not _may_import_into(actor, bank):
        report.error(name, _l("题库代码 %(code)s 已被占用，您无权向其导入", code=parsed.code))
        return report
    if bank is None:
        if not parsed.title and parsed.format != BankFormat.YAML:
            parsed.title = report.bank_title = parsed.code
            report.warnings.append(located(name, _l("将新建题库 %(code)s，名称暂用题库代码，可在题库页面修改",
                                                    code=parsed.code)))
        if not parsed.title:
            report.error(name, _l("题库 %(code)s 不存在；新建题库需要名称（title）", code=parsed.code))
        if actor is not None and owner_institution_id is None and not services.is_admin(actor):
            report.error(name, _l("只有管理员可以新建共享题库"))
    _check_categories(report, parsed, bank)
    _check_questions(report, parsed, bank)
    _check_excludes(report, parsed, bank)
    return report


def _may_import_into(actor, bank: QuestionBank) -> bool:
    return db.session.scalar(services.visible_banks(actor).where(QuestionBank.id == bank.id)) is not None \
        and services.can_manage(actor, bank)


def _check_categories(report: FileReport, parsed: ParsedBank, bank: QuestionBank | None) -> None:
    seen: set[str] = set()
    for category in parsed.categories:
        if "/" in category.code or "\n" in category.code:
            report.error(category.where, _l("分类代码 %(code)s 不能包含 / 或换行", code=shown(category.code)))
        if category.code in seen:
            report.error(category.where, _l("分类代码 %(code)s 重复", code=shown(category.code, quote=False)))
        seen.add(category.code)


def _check_questions(report: FileReport, parsed: ParsedBank, bank: QuestionBank | None) -> None:
    known = {c.code for c in parsed.categories} | {c.code for c in (bank.categories if bank else [])}
    seen: dict[str, ParsedQuestion] = {}
    stems: dict[str, tuple[str, str]] = {}
    if bank is not None:
        for question in db.session.scalars(select(Question).where(Question.bank_id == bank.id)):
            stems[normalize_text(question.current.stem)] = (question.external_id, _l("题库 %(code)s", code=bank.code))
    for question in parsed.questions:
        tidy(question.content)
        problems = []
        if question.external_id is None and isinstance(question.content.get("stem"), str):
            question.external_id = generated_id(question.content["stem"])
        qid = question.external_id
        if not isinstance(qid, str) or not qid.strip() or len(qid) > services.MAX_EXTERNAL_ID:
            problems.append((question.located("id"),
                             _l("题号（id）应为不超过 %(max)s 字的文本", max=services.MAX_EXTERNAL_ID)))
            qid = None
        elif qid in seen:
            problems.append((question.located("id"), _l("题号 %(id)s 重复（首次出现于 %(where)s）", id=qid,
                                                         where=seen[qid].where)))
        if question.category is None:
            problems.append((question.where, _l("缺少分类（category）")))
        elif not isinstance(question.category, str):
            problems.append((question.located("category"), _l("分类应为分类代码（文本）")))
        elif question.category not in known:
            problems.append((question.located("category"), _l("分类 %(code)s 未在 categories 中定义",
                                                              code=shown(question.category))))
        for field_name, problem in validate_content(question.content):
            problems.append((_l("%(where)s（%(field)s）", where=question.located(field_name),
                                field=QuestionField.label_of(field_name)), problem))
        label = qid or str(question.where)
        if problems:
            for where, problem in problems:
                report.error(where, problem)
            report.rejected.append(label)
            continue
        seen[qid] = question
        stem_key = normalize_text(question.content["stem"])
        other = stems.get(stem_key)
        if other is not None and other[0] != qid:
            report.warnings.append(located(question.where, _l("题干与 %(id)s（%(where)s）重复", id=other[0],
                                                              where=other[1])))
        stems.setdefault(stem_key, (qid, question.where))
        existing = services.question_by_external_id(bank, qid) if bank is not None else None
        if existing is None:
            report.added.append(qid)
        elif services.canonical(services.content_of(existing.current)) != services.canonical(question.content) \
                or existing.category.code != question.category:
            report.changed.append(qid)
        else:
            report.unchanged.append(qid)


def _check_excludes(report: FileReport, parsed: ParsedBank, bank: QuestionBank | None) -> None:
    """Every id of an `excludes` group is a question of the file or of the bank."""
    if parsed.excludes is None:
        return
    known = {q.external_id for q in parsed.questions if isinstance(q.external_id, str)}
    if bank is not None:
        known |= set(db.session.scalars(select(Question.external_id).where(Question.bank_id == bank.id)))
    label = QuestionField.label_of(QuestionField.EXCLUDES)
    for ids, where in parsed.excludes:
        unknown = [i for i in ids if i not in known]
        if unknown:
            report.error(_l("%(where)s（%(field)s）", where=where, field=label),
                         _l("题号 %(ids)s 不在题库中", ids=shown("、".join(unknown), 200, quote=False)))
    report.excludes_changed = _group_sets([ids for ids, _where in parsed.excludes]) != \
        _group_sets(services.exclusion_groups(bank) if bank is not None else [])


def _group_sets(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(g) for g in groups}


def _store_excludes(bank: QuestionBank, groups: list[list[str]]) -> None:
    """Replace the bank's exclusion groups (the file's `excludes` is the whole list)."""
    if _group_sets(groups) == _group_sets(services.exclusion_groups(bank)):
        return
    for group in db.session.scalars(select(ExclusionGroup).where(ExclusionGroup.bank_id == bank.id)):
        db.session.delete(group)
    db.session.flush()
    for position, ids in enumerate(groups):
        group = ExclusionGroup(bank_id=bank.id, position=position)
        for number, external_id in enumerate(ids):
            group.members.append(ExclusionMember(question=services.question_by_external_id(bank, external_id),
                                                 position=number))
        db.session.add(group)


def _store(actor, report: FileReport, owner_institution_id: int | None) -> None:
    parsed = report.parsed
    bank = services.bank_by_code(parsed.code)
    created = bank is None
    if bank is None:
        bank = QuestionBank(code=parsed.code, title=parsed.title, version=parsed.version or 1,
                            owner_institution_id=owner_institution_id)
        db.session.add(bank)
    else:
        bank.title = parsed.title or bank.title
        bank.version = parsed.version or bank.version
    for position, item in enumerate(parsed.categories):
        category = bank.category(item.code)
        if category is None:
            category = BankCategory(code=item.code)
            bank.categories.append(category)
        category.title = item.title or category.title or item.code
        category.module_code = item.module_code if item.title else category.module_code
        category.position = position if item.title else category.position
    db.session.flush()
    for item in parsed.questions:
        question = services.question_by_external_id(bank, item.external_id)
        if question is None:
            question = Question(bank=bank, external_id=item.external_id)
            db.session.add(question)
        question.category = bank.category(item.category)
        services.apply_content(question, item.content, actor)
    db.session.flush()
    if parsed.excludes is not None:
        _store_excludes(bank, [ids for ids, _where in parsed.excludes])
        db.session.flush()
    if created or report.added or report.changed or report.excludes_changed:
        audit.record(actor, "bank.import", bank, file=report.name, format=report.format, created=created,
                     added=len(report.added), changed=len(report.changed),
                     excludes_changed=bool(report.excludes_changed))
