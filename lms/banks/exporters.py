"""Exporters: a bank back to a file. Export then import gives back the same questions."""
from __future__ import annotations

from typing import Callable

import yaml
from sqlalchemy import select

from lms.banks.models import Question, QuestionBank
from lms.banks.services import content_of


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _questions(bank: QuestionBank, include_retired: bool = False) -> list[Question]:
    stmt = select(Question).where(Question.bank_id == bank.id).order_by(Question.external_id)
    if not include_retired:
        stmt = stmt.where(Question.retired.is_(False))
    from lms.extensions import db

    return list(db.session.scalars(stmt))


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def export_yaml(bank: QuestionBank) -> str:
    categories = []
    for category in bank.categories:
        item = {"code": category.code, "title": category.title}
        if category.module_code:
            item["module"] = category.module_code
        categories.append(item)
    questions = []
    for question in _questions(bank):
        content = content_of(question.current)
        item = {"id": question.external_id, "category": question.category.code, "type": content["type"],
                "difficulty": content["difficulty"], "points": _number(content["points"]), "stem": content["stem"]}
        if content.get("options"):
            item["options"] = {o["key"]: o["text"] for o in content["options"]}
        for field in ("answer", "weights", "rubric", "explanation", "source", "tags"):
            if content.get(field) not in (None, [], ""):
                item[field] = content[field]
        if item.get("rubric"):
            item["rubric"] = [{"criterion": r["criterion"], "points": _number(r["points"])} for r in item["rubric"]]
        questions.append(item)
    document = {"code": bank.code, "title": bank.title, "version": bank.version, "categories": categories,
                "questions": questions}
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


EXPORTERS: dict[str, tuple[Callable[[QuestionBank], str], str]] = {
    "yaml": (export_yaml, ".yaml"),
}
