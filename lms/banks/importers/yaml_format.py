"""The native YAML bank format (DESIGN section 6). Errors carry the line of the field.

The document is composed into nodes (which know their line) and each value is then
constructed on its own; aliases are refused, so a "billion laughs" file cannot expand.
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lms.banks.importers.parsed import DATA_FIELDS, ParsedBank, ParsedCategory, ParsedQuestion, at_line, \
    decode_text

BANK_KEYS = {"code", "title", "version", "categories", "questions", "excludes"}
CATEGORY_KEYS = {"code", "title", "module"}
QUESTION_KEYS = {"id", "category", "type", "difficulty", "points", "stem"} | set(DATA_FIELDS)


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "不支持 YAML 别名（*alias）", event.start_mark)
        return super().compose_node(parent, index)


def _value(node: Node) -> Any:
    return SafeConstructor().construct_document(node)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _pairs(node: MappingNode) -> list[tuple[ScalarNode, Node]]:
    return [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]


def _scalar_text(value: Any) -> Any:
    """Numbers written bare in YAML (an option `3`, a blank answer `2025`) are text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def parse(name: str, raw: bytes, **_options) -> ParsedBank:
    bank = ParsedBank(source=name, format="yaml")
    try:
        root = yaml.compose(decode_text(raw), Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        bank.problem(at_line(name, line), f"YAML 语法错误：{error.problem or error.context}")
        return bank
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        bank.problem(at_line(name, 1), f"无法读取 YAML：{type(error).__name__}")
        return bank
    if not isinstance(root, MappingNode):
        bank.problem(at_line(name, _line(root) if root else 1), "文件应为映射（code、title、categories、questions）")
        return bank
    try:
        _parse_bank(bank, root)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        bank.problem(at_line(name, _line(root)), f"无法读取 YAML：{type(error).__name__}")
    return bank


def _parse_bank(bank: ParsedBank, root: MappingNode) -> None:
    name = bank.source
    fields = {}
    for key, node in _pairs(root):
        if key.value not in BANK_KEYS:
            bank.problem(at_line(name, _line(key)), f"未知字段 {key.value!r}（应为 {', '.join(sorted(BANK_KEYS))}）")
        fields[key.value] = node
    for key in ("code", "title"):
        if key not in fields:
            bank.problem(at_line(name, _line(root)), f"缺少题库字段 {key}")
            continue
        value = _value(fields[key])
        if not isinstance(value, str) or not value.strip():
            bank.problem(at_line(name, _line(fields[key])), f"{key} 应为非空文本")
        else:
            setattr(bank, key, value.strip())
    if "version" in fields:
        version = _value(fields["version"])
        if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
            bank.version = version
        else:
            bank.problem(at_line(name, _line(fields["version"])), "version 应为正整数")
    categories = fields.get("categories")
    if categories is not None:
        if isinstance(categories, SequenceNode):
            for node in categories.value:
                _parse_category(bank, node)
        else:
            bank.problem(at_line(name, _line(categories)), "categories 应为列表")
    questions = fields.get("questions")
    if questions is None:
        bank.problem(at_line(name, _line(root)), "缺少 questions 列表")
    elif not isinstance(questions, SequenceNode):
        bank.problem(at_line(name, _line(questions)), "questions 应为列表")
    else:
        for node in questions.value:
            _parse_question(bank, node)
    if "excludes" in fields:
        _parse_excludes(bank, fields["excludes"])


def _parse_excludes(bank: ParsedBank, node: Node) -> None:
    """`excludes: [[LAW-0002, LAW-0019], ...]`: groups of question ids (checked against the
    bank's questions by the import service)."""
    bank.excludes = []
    if isinstance(node, ScalarNode) and _value(node) is None:
        return
    if not isinstance(node, SequenceNode):
        bank.problem(at_line(bank.source, _line(node)), "excludes 应为题号组的列表，如 [[LAW-0002, LAW-0019]]")
        return
    for group in node.value:
        where = at_line(bank.source, _line(group))
        if not isinstance(group, SequenceNode):
            bank.problem(where, "excludes 的每一项应为题号列表，如 [LAW-0002, LAW-0019]")
            continue
        ids = [_scalar_text(_value(item)) for item in group.value]
        if not all(isinstance(i, str) and i.strip() for i in ids):
            bank.problem(where, "excludes 的题号应为文本")
            continue
        ids = [i.strip() for i in ids]
        if len(set(ids)) != len(ids):
            bank.problem(where, f"excludes 组 {ids} 中有重复的题号")
            continue
        if len(ids) < 2:
            bank.problem(where, "excludes 的每组至少要有两道题")
            continue
        bank.excludes.append((ids, where))


def _parse_category(bank: ParsedBank, node: Node) -> None:
    where = at_line(bank.source, _line(node))
    if not isinstance(node, MappingNode):
        bank.problem(where, "分类应为 {code, title, module} 映射")
        return
    values = {}
    for key, value in _pairs(node):
        if key.value not in CATEGORY_KEYS:
            bank.problem(at_line(bank.source, _line(key)), f"分类中的未知字段 {key.value!r}")
        values[key.value] = _scalar_text(_value(value))
    code, title, module = values.get("code"), values.get("title"), values.get("module")
    if not isinstance(code, str) or not code.strip() or len(code) > 64:
        bank.problem(where, "分类缺少 code（不超过 64 字的文本）")
        return
    if not isinstance(title, str) or not title.strip():
        bank.problem(where, f"分类 {code} 缺少 title")
        return
    if module is not None and not (isinstance(module, str) and module.strip() and len(module) <= 64):
        bank.problem(where, f"分类 {code} 的 module 应为课程模块代码（文本）")
        return
    bank.categories.append(ParsedCategory(code.strip(), title.strip(), module.strip() if module else None, where))


def _parse_question(bank: ParsedBank, node: Node) -> None:
    where = at_line(bank.source, _line(node))
    if not isinstance(node, MappingNode):
        bank.problem(where, "试题应为映射（id、category、type、stem ……）")
        return
    values: dict[str, Any] = {}
    field_where: dict[str, str] = {}
    for key, value_node in _pairs(node):
        if key.value not in QUESTION_KEYS:
            bank.problem(at_line(bank.source, _line(key)),
                         f"未知字段 {key.value!r}（可用字段：{', '.join(sorted(QUESTION_KEYS))}）")
            continue
        field_where[key.value] = at_line(bank.source, _line(key))
        if key.value == "options" and isinstance(value_node, MappingNode):
            values["options"] = [{"key": _scalar_text(_value(k)), "text": _scalar_text(_value(v))}
                                 for k, v in value_node.value]
        else:
            values[key.value] = _value(value_node)
    content = {field: values.get(field) for field in ("type", "difficulty", "points", "stem") + DATA_FIELDS}
    if "options" in values and not isinstance(values["options"], list):
        content["options"] = values["options"]  # not a mapping: validation reports it
    content = _normalize(content)
    external_id = _scalar_text(values.get("id"))
    category = _scalar_text(values.get("category"))
    bank.questions.append(ParsedQuestion(external_id, category, content, where, field_where))


def _normalize(content: dict[str, Any]) -> dict[str, Any]:
    kind = content.get("type")
    answer = content.get("answer")
    if kind in ("single", "essay"):
        content["answer"] = _scalar_text(answer)
    elif kind == "multiple" and isinstance(answer, list):
        content["answer"] = [_scalar_text(a) for a in answer]
    elif kind == "fill" and isinstance(answer, list):
        content["answer"] = [[_scalar_text(a) for a in entry] if isinstance(entry, list) else _scalar_text(entry)
                             for entry in answer]
    if isinstance(content.get("weights"), dict):
        content["weights"] = {_scalar_text(k): v for k, v in content["weights"].items()}
    if isinstance(content.get("explanation"), (int, float)) or isinstance(content.get("source"), (int, float)):
        content["explanation"] = _scalar_text(content.get("explanation"))
        content["source"] = _scalar_text(content.get("source"))
    return content
