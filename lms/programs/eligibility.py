"""The eligibility (任职条件) rule engine.

A rule set is data (JSON), editable by an admin:

    {"all": [node, ...]}      every node holds
    {"any": [node, ...]}      at least one node holds
    {"not": node}             the node does not hold
    {"field": "title_level", "op": "gte", "value": "intermediate"}     a condition on a profile field
    {"manual": "具有与所从事行业相关的学历背景"}                         a condition only a person can judge

Evaluation is three-valued: eligible > review > ineligible. `all` takes the lowest of its
nodes, `any` the highest, `not` swaps eligible and ineligible (review stays review). A manual
condition is always `review`: the engine never guesses what a reviewer must decide.
Every condition leaves a reason in plain Chinese.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lms.core.errors import ValidationFailed

ELIGIBLE, REVIEW, INELIGIBLE = "eligible", "review", "ineligible"
_RANK = {INELIGIBLE: 0, REVIEW: 1, ELIGIBLE: 2}
RESULT_LABELS = {ELIGIBLE: "符合任职条件", REVIEW: "需人工审核", INELIGIBLE: "不符合任职条件"}

# Ordered scales: "gte"/"lte" compare positions.
EDUCATION_ORDER = ["high_school", "junior_college", "bachelor", "master", "doctorate"]
TITLE_ORDER = ["none", "junior", "intermediate", "associate_senior", "senior"]
EDUCATION_NAMES = dict(zip(EDUCATION_ORDER, ["高中及以下", "大专", "本科", "硕士研究生", "博士研究生"]))
TITLE_NAMES = dict(zip(TITLE_ORDER, ["无职称", "初级职称", "中级职称", "副高级职称", "正高级职称"]))


@dataclass(frozen=True)
class FieldSpec:
    label: str
    kind: str  # "scale" | "number" | "bool"
    order: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    unit: str = ""


FIELDS: dict[str, FieldSpec] = {
    "education": FieldSpec("学历", "scale", tuple(EDUCATION_ORDER), EDUCATION_NAMES),
    "title_level": FieldSpec("职称", "scale", tuple(TITLE_ORDER), TITLE_NAMES),
    "standardization_years": FieldSpec("标准化工作年限", "number", unit="年"),
    "standardization_major": FieldSpec("标准化专业或学科背景", "bool"),
    "appointment_status": FieldSpec("任职状态", "scale", ("prospective", "appointed"),
                                    {"prospective": "拟任", "appointed": "已聘任"}),
}
OPS = {"gte": "不低于", "lte": "不高于", "eq": "为", "is_true": "具有"}


@dataclass
class Verdict:
    result: str
    reasons: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"result": self.result, "reasons": list(self.reasons)}


# ---- validation ----------------------------------------------------------------------

def rule_problems(node: Any, path: str = "规则") -> list[str]:
    """What is wrong with a rule set (Chinese, each naming where), or [] if it is well formed."""
    if not isinstance(node, dict) or len(node) != 1 and "field" not in node:
        return [f"{path}：每个节点应为含 all、any、not、field 或 manual 之一的对象"]
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        children = node[key]
        if not isinstance(children, list) or not children:
            return [f"{path}.{key}：应为非空列表"]
        return [p for i, child in enumerate(children) for p in rule_problems(child, f"{path}.{key}[{i + 1}]")]
    if "not" in node:
        return rule_problems(node["not"], f"{path}.not")
    if "manual" in node:
        return [] if isinstance(node["manual"], str) and node["manual"].strip() else [f"{path}.manual：请写明需人工判断的条件"]
    if "field" in node:
        spec = FIELDS.get(node.get("field"))
        if spec is None:
            return [f"{path}.field：未知字段“{node.get('field')}”，可用：{'、'.join(FIELDS)}"]
        op, value = node.get("op"), node.get("value")
        if spec.kind == "bool":
            return [] if op == "is_true" else [f"{path}.op：字段 {node['field']} 只能用 is_true"]
        if op not in {"gte", "lte", "eq"}:
            return [f"{path}.op：应为 gte、lte 或 eq"]
        if spec.kind == "scale" and value not in spec.order:
            return [f"{path}.value：应为 {'、'.join(spec.order)} 之一"]
        if spec.kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return [f"{path}.value：应为数字"]
        return []
    return [f"{path}：未知节点 {', '.join(node)}"]


def validate_rules(rules: Any) -> None:
    if problems := rule_problems(rules):
        raise ValidationFailed("任职条件规则有误", {"eligibility_rules": "；".join(problems)})


# ---- evaluation ----------------------------------------------------------------------

def describe(node: dict[str, Any]) -> str:
    """A condition in plain Chinese."""
    if "manual" in node:
        return node["manual"]
    spec = FIELDS[node["field"]]
    if spec.kind == "bool":
        return f"具有{spec.label}"
    value = node["value"]
    shown = spec.names.get(value, value) if spec.kind == "scale" else f"{value:g}{spec.unit}"
    if spec.kind == "number" and node["op"] == "gte":
        return f"{spec.label}{value:g}{spec.unit}以上"
    return f"{spec.label}{OPS[node['op']]}{shown}"


def _current(spec: FieldSpec, value: Any) -> str:
    if value is None or value == "":
        return "未填写"
    if spec.kind == "bool":
        return "是" if value else "否"
    if spec.kind == "number":
        return f"{float(value):g}{spec.unit}"
    return spec.names.get(value, str(value))


def _leaf(node: dict[str, Any], profile: dict[str, Any]) -> tuple[str, str]:
    """(result, reason) of one condition."""
    text = describe(node)
    if "manual" in node:
        return REVIEW, f"需人工审核：{text}（系统无法自动判断）"
    spec = FIELDS[node["field"]]
    value = profile.get(node["field"])
    if value is None or value == "":
        return INELIGIBLE, f"不满足：{text}（{spec.label}未填写）"
    if spec.kind == "bool":
        holds = bool(value)
    elif spec.kind == "number":
        number, target = float(value), float(node["value"])
        holds = {"gte": number >= target, "lte": number <= target, "eq": number == target}[node["op"]]
    else:
        if value not in spec.order:
            return INELIGIBLE, f"不满足：{text}（{spec.label}取值无效）"
        pos, target = spec.order.index(value), spec.order.index(node["value"])
        holds = {"gte": pos >= target, "lte": pos <= target, "eq": pos == target}[node["op"]]
    mark = "满足" if holds else "不满足"
    return (ELIGIBLE if holds else INELIGIBLE), f"{mark}：{text}（当前：{_current(spec, value)}）"


def _flip(reason: str) -> str:
    if reason.startswith("满足："):
        return "不满足：不得" + reason[3:]
    if reason.startswith("不满足："):
        return "满足：不" + reason[4:]
    return reason


def _evaluate(node: dict[str, Any], profile: dict[str, Any]) -> Verdict:
    if "all" in node or "any" in node:
        verdicts = [_evaluate(child, profile) for child in node.get("all") or node.get("any")]
        pick = min if "all" in node else max
        result = pick((v.result for v in verdicts), key=_RANK.__getitem__)
        # Keep what decided: the met branches of a passed `any`, the failed ones of a failed
        # `all`; otherwise every condition (what holds and what a reviewer must judge).
        if result == ELIGIBLE and "any" in node or result == INELIGIBLE and "all" in node:
            reasons = [r for v in verdicts if v.result == result for r in v.reasons]
        else:
            reasons = [r for v in verdicts for r in v.reasons]
        return Verdict(result, reasons)
    if "not" in node:
        inner = _evaluate(node["not"], profile)
        result = {ELIGIBLE: INELIGIBLE, INELIGIBLE: ELIGIBLE}.get(inner.result, REVIEW)
        return Verdict(result, [_flip(r) for r in inner.reasons])
    result, reason = _leaf(node, profile)
    return Verdict(result, [reason])


def evaluate(rules: dict[str, Any] | None, profile: dict[str, Any]) -> Verdict:
    """Evaluate a rule set on a profile (a dict of FIELDS values). No rules: eligible."""
    if not rules:
        return Verdict(ELIGIBLE, ["该项目未设任职条件"])
    validate_rules(rules)
    verdict = _evaluate(rules, profile)
    return Verdict(verdict.result, [f"{RESULT_LABELS[verdict.result]}。", *verdict.reasons])


# ---- the policies' rules, shipped as defaults ---------------------------------------

# 上海：企业标准化总监任职条件（沪市监标技〔2021〕 指导意见 三.2）
SHANGHAI_DIRECTOR = {"all": [
    {"any": [
        {"manual": "具有与所从事行业相关的学历背景"},
        {"field": "title_level", "op": "gte", "value": "intermediate"},
    ]},
    {"any": [
        {"field": "standardization_years", "op": "gte", "value": 3},
        {"all": [
            {"field": "standardization_major", "op": "is_true"},
            {"field": "standardization_years", "op": "gte", "value": 2},
        ]},
    ]},
]}

# 辽宁：标准化专员“一般应具备大专以上学历或中级以上职称”
LIAONING_SPECIALIST = {"any": [
    {"field": "education", "op": "gte", "value": "junior_college"},
    {"field": "title_level", "op": "gte", "value": "intermediate"},
]}

DEFAULT_RULES = {"shanghai_director": ("上海市企业标准化总监任职条件", SHANGHAI_DIRECTOR),
                 "liaoning_specialist": ("辽宁省标准化专员任职条件", LIAONING_SPECIALIST)}
