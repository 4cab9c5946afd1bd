"""The native YAML bank format (DESIGN section 6). Errors carry the line of the field.

The document is composed into nodes (which know their line) from libyaml's events, with the
limits applied while it is read, before any value is built: aliases are refused (a "billion
laughs" file cannot expand), and so are nesting deeper than a bank needs, more values than
MAX_QUESTIONS questions can hold, and the question past MAX_QUESTIONS — a 5 MB file of a
million empty questions stops at the first one too many. Each value is then constructed on
its own.
"""
from __future__ import annotations

from typing import Any

import yaml
from flask_babel import lazy_gettext as _l
from yaml.constructor import SafeConstructor
from yaml.events import (AliasEvent, CollectionStartEvent, DocumentStartEvent, MappingEndEvent, NodeEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lms.banks.enums import BankFormat
from lms.banks.importers.parsed import DATA_FIELDS, MAX_CODE, MAX_QUESTIONS, ParsedBank, ParsedCategory, \
    ParsedQuestion, at_line
from lms.banks.types.base import shown

BANK_KEYS = {"code", "title", "version", "categories", "questions", "excludes"}
CATEGORY_KEYS = {"code", "title", "module"}
QUESTION_KEYS = {"id", "category", "type", "difficulty", "points", "stem"} | set(DATA_FIELDS)
MAX_DEPTH = 12  # root › questions › question › rubric › item › value is 6 deep
MAX_NODES = 100 * MAX_QUESTIONS
# libyaml's parser (C) when PyYAML has it, else PyYAML's own; only its events are used
_EventLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Refused(Exception):
    """The file breaks a limit at this (1-based) line."""

    def __init__(self, line: int, message: Any):
        super().__init__(line)
        self.line, self.message = line, message


def _event_line(event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def compose(text: str) -> Node | None:
    """The document's root node, or None for an empty file. Raises Refused past a limit and
    yaml.YAMLError on a syntax error."""
    loader = _EventLoader(text)
    root: Node | None = None
    open_nodes: list[Node] = []  # the collections being filled, innermost last
    keys: list[Node | None] = []  # per open mapping: its key waiting for a value
    questions: Node | None = None
    count = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, DocumentStartEvent) and root is not None:
                raise Refused(_event_line(event), _l("文件只能包含一个 YAML 文档"))
            if isinstance(event, AliasEvent):
                raise Refused(_event_line(event),
                              _l("不支持 YAML 别名（*%(name)s）", name=shown(event.anchor, quote=False)))
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                open_nodes.pop().end_mark = event.end_mark
                keys.pop()
            if not isinstance(event, NodeEvent):
                continue
            count += 1
            if count > MAX_NODES:
                raise Refused(_event_line(event), _l("文件内容过多（超过 %(max)s 个值），请拆分文件", max=MAX_NODES))
            node = _node(loader, event)
            if not open_nodes:
                root = node
            elif isinstance(open_nodes[-1], SequenceNode):
                open_nodes[-1].value.append(node)
                if open_nodes[-1] is questions and len(questions.value) > MAX_QUESTIONS:
                    raise Refused(_event_line(event), _l("试题超过 %(max)s 道，请拆分文件", max=MAX_QUESTIONS))
            elif keys[-1] is None:
                keys[-1] = node
            else:
                key, keys[-1] = keys[-1], None
                open_nodes[-1].value.append((key, node))
                if len(open_nodes) == 1 and isinstance(node, SequenceNode) and isinstance(key, ScalarNode) \
                        and key.value == "questions":
                    questions = node
            if isinstance(event, CollectionStartEvent):
                if len(open_nodes) >= MAX_DEPTH:
                    raise Refused(_event_line(event), _l("嵌套层数过多（超过 %(max)s 层）", max=MAX_DEPTH))
                open_nodes.append(node)
                keys.append(None)
    finally:
        loader.dispose()
    return root


def _node(loader, event) -> Node:
    tag = event.tag
    if isinstance(event, ScalarEvent):
        if tag is None or tag == "!":
            tag = loader.resolve(ScalarNode, event.value, event.implicit)
        return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
    kind = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
    if tag is None or tag == "!":
        tag = loader.resolve(kind, None, event.implicit)
    return kind(tag, [], event.start_mark, None, flow_style=event.flow_style)


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
    bank = ParsedBank(source=name, format=BankFormat.YAML)
    text = bank.read_text(raw)
    if text is None:
        return bank
    try:
        root = compose(text)
    except Refused as refused:
        bank.problem(at_line(name, refused.line), refused.message)
        return bank
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        bank.problem(at_line(name, line), _l("YAML 语法错误：%(problem)s", problem=error.problem or error.context))
        return bank
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        bank.problem(at_line(name, line), _l("文件含有不允许的字符 %(char)s", char=f"U+{code:04X}"))
        return bank
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        bank.problem(at_line(name, 1), _l("无法读取 YAML：%(error)s", error=type(error).__name__))
        return bank
    if not isinstance(root, MappingNode):
        bank.problem(at_line(name, _line(root) if root else 1),
                     _l("文件应为映射（code、title、categories、questions）"))
        return bank
    try:
        _parse_bank(bank, root)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        bank.problem(at_line(name, _line(root)), _l("无法读取 YAML：%(error)s", error=type(error).__name__))
    return bank


def _parse_bank(bank: ParsedBank, root: MappingNode) -> None:
    name = bank.source
    fields = {}
    for key, node in _pairs(root):
        if key.value not in BANK_KEYS:
            bank.problem(at_line(name, _line(key)), _l("未知字段 %(key)s（应为 %(keys)s）", key=shown(key.value),
                                                       keys=", ".join(sorted(BANK_KEYS))))
        fields[key.value] = node
    for key in ("code", "title"):
        if key not in fields:
            bank.problem(at_line(name, _line(root)), _l("缺少题库字段 %(key)s", key=key))
            continue
        value = _value(fields[key])
        if not isinstance(value, str) or not value.strip():
            bank.problem(at_line(name, _line(fields[key])), _l("%(key)s 应为非空文本", key=key))
        else:
            setattr(bank, key, value.strip())
    if "version" in fields:
        version = _value(fields["version"])
        if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
            bank.version = version
        else:
            bank.problem(at_line(name, _line(fields["version"])), _l("version 应为正整数"))
    categories = fields.get("categories")
    if categories is not None:
        if isinstance(categories, SequenceNode):
            for node in categories.value:
                _parse_category(bank, node)
        else:
            bank.problem(at_line(name, _line(categories)), _l("categories 应为列表"))
    questions = fields.get("questions")
    if questions is None:
        bank.problem(at_line(name, _line(root)), _l("缺少 questions 列表"))
    elif not isinstance(questions, SequenceNode):
        bank.problem(at_line(name, _line(questions)), _l("questions 应为列表"))
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
        bank.problem(at_line(bank.source, _line(node)), _l("excludes 应为题号组的列表，如 [[LAW-0002, LAW-0019]]"))
        return
    for group in node.value:
        where = at_line(bank.source, _line(group))
        if not isinstance(group, SequenceNode):
            bank.problem(where, _l("excludes 的每一项应为题号列表，如 [LAW-0002, LAW-0019]"))
            continue
        ids = [_scalar_text(_value(item)) for item in group.value]
        if not all(isinstance(i, str) and i.strip() for i in ids):
            bank.problem(where, _l("excludes 的题号应为文本"))
            continue
        ids = [i.strip() for i in ids]
        if len(set(ids)) != len(ids):
            bank.problem(where, _l("excludes 组 %(ids)s 中有重复的题号", ids=shown(ids, 80)))
            continue
        if len(ids) < 2:
            bank.problem(where, _l("excludes 的每组至少要有两道题"))
            continue
        bank.excludes.append((ids, where))


def _parse_category(bank: ParsedBank, node: Node) -> None:
    where = at_line(bank.source, _line(node))
    if not isinstance(node, MappingNode):
        bank.problem(where, _l("分类应为 {code, title, module} 映射"))
        return
    values = {}
    for key, value in _pairs(node):
        if key.value not in CATEGORY_KEYS:
            bank.problem(at_line(bank.source, _line(key)), _l("分类中的未知字段 %(key)s", key=shown(key.value)))
        values[key.value] = _scalar_text(_value(value))
    code, title, module = values.get("code"), values.get("title"), values.get("module")
    if not isinstance(code, str) or not code.strip() or len(code) > MAX_CODE:
        bank.problem(where, _l("分类缺少 code（不超过 %(max)s 字的文本）", max=MAX_CODE))
        return
    if not isinstance(title, str) or not title.strip():
        bank.problem(where, _l("分类 %(code)s 缺少 title", code=code))
        return
    if module is not None and not (isinstance(module, str) and module.strip() and len(module) <= MAX_CODE):
        bank.problem(where, _l("分类 %(code)s 的 module 应为课程模块代码（文本）", code=code))
        return
    bank.add_category(ParsedCategory(code.strip(), title.strip(), module.strip() if module else None, where))


def _parse_question(bank: ParsedBank, node: Node) -> None:
    where = at_line(bank.source, _line(node))
    if not isinstance(node, MappingNode):
        bank.problem(where, _l("试题应为映射（id、category、type、stem ……）"))
        return
    values: dict[str, Any] = {}
    field_where: dict[str, Any] = {}
    for key, value_node in _pairs(node):
        if key.value not in QUESTION_KEYS:
            bank.problem(at_line(bank.source, _line(key)),
                         _l("未知字段 %(key)s（可用字段：%(keys)s）", key=shown(key.value),
                            keys=", ".join(sorted(QUESTION_KEYS))))
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
    bank.add_question(ParsedQuestion(external_id, category, content, where, field_where))


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
