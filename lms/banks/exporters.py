"""Exporters: a bank back to a file. Export then import gives back the same questions."""
from __future__ import annotations

import json
from collections.abc import Callable

import yaml
from sqlalchemy import select

from lms.banks.enums import BankFormat
from lms.banks.importers.gift import escape
from lms.banks.models import Question, QuestionBank
from lms.banks.services import content_of, exclusion_groups
from lms.banks.types import BLANK


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


class _FlowList(list):
    """A list written on one line: an `excludes` group `[LAW-0002, LAW-0019]`."""


_Dumper.add_representer(_FlowList, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", value, flow_style=True))


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
    # groups over the exported (not retired) questions, when there are any; GIFT has no place for them
    groups = exclusion_groups(bank, include_retired=False)
    if groups:
        document["excludes"] = [_FlowList(ids) for ids in groups]
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _meta_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _gift_block(content: dict) -> tuple[str, str, str]:
    """(text before the block, the block, text after) for one question."""
    kind, stem = content["type"], content["stem"]
    feedback = f"####{escape(content['explanation'])}" if content.get("explanation") else ""
    if kind == "truefalse":
        return escape(stem) + " ", "{" + ("TRUE" if content["answer"] else "FALSE") + feedback + "}", ""
    if kind == "essay":
        return escape(stem) + " ", "{" + feedback + "}", ""
    if kind == "fill":
        before, _blank, after = stem.partition(BLANK)
        first = content["answer"][0]
        accepted = " ".join("=" + escape(a) for a in ([first] if isinstance(first, str) else first))
        return escape(before), "{" + accepted + feedback + "}", escape(after)
    lines = []
    answer = content["answer"]
    if kind == "single":
        for option in content["options"]:
            lines.append(("=" if option["key"] == answer else "~") + escape(option["text"]))
    else:
        weights = content.get("weights") or {
            o["key"]: (100 / len(answer) if o["key"] in answer else -100) for o in content["options"]}
        for option in content["options"]:
            lines.append(f"~%{_weight(weights.get(option['key'], 0))}%{escape(option['text'])}")
    if feedback:
        lines.append(feedback)
    return escape(stem) + " ", "{\n" + "\n".join(lines) + "\n}", ""


def export_gift(bank: QuestionBank) -> str:
    """GIFT that Moodle reads; `// lms...` comments keep what GIFT cannot express."""
    out = [f"// {bank.title}",
           "// lms-bank: " + _meta_json({"code": bank.code, "title": bank.title, "version": bank.version}), ""]
    by_category: dict[int, list[Question]] = {}
    for question in _questions(bank):
        by_category.setdefault(question.category_id, []).append(question)
    for category in bank.categories:
        questions = by_category.get(category.id)
        if not questions:
            continue
        out.append("// lms-category: " + _meta_json({"code": category.code, "title": category.title,
                                                      "module": category.module_code}))
        out.append(f"$CATEGORY: {bank.code}/{category.code}")
        out.append("")
        for question in questions:
            content = content_of(question.current)
            meta = {"difficulty": content["difficulty"], "points": _number(content["points"])}
            for key in ("source", "tags", "rubric", "weights"):
                if content.get(key):
                    meta[key] = content[key]
            if content["type"] in ("fill", "essay") and content.get("answer"):
                meta["answer"] = content["answer"]
            out.append("// lms: " + _meta_json(meta))
            before, block, after = _gift_block(content)
            out.append(f"::{escape(question.external_id)}::{before}{block}{after}")
            out.append("")
    return "\n".join(out)


EXPORTERS: dict[BankFormat, tuple[Callable[[QuestionBank], str], str]] = {
    BankFormat.YAML: (export_yaml, ".yaml"),
    BankFormat.GIFT: (export_gift, ".gift.txt"),
}
