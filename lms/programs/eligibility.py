"""The eligibility (任职条件) rule engine.

A rule set is data (JSON), editable by an admin:

    {"all": [node, ...]}      every node holds
    {"any": [node, ...]}      at least one node holds
    {"not": node}             the node does not hold
    {"field": "title_level", "op": "gte", "value": "intermediate"}     a condition on a profile fact
    {"manual": "具有与所从事行业相关的学历背景"}                         a condition only a person can judge

Evaluation is three-valued: eligible > review > ineligible. `all` takes the lowest of its
nodes, `any` the highest, `not` swaps eligible and ineligible (review stays review). A manual
condition is always `review`: the engine never guesses what a reviewer must decide.

Every condition leaves a reason. A verdict is stored (on the application) as it was evaluated,
and its reasons are stored as codes with their parameters, never as text:

    {"result": "review", "reasons": [
        {"code": "manual", "text": "具有与所从事行业相关的学历背景"},
        {"code": "condition", "field": "title_level", "op": "gte", "value": "intermediate",
         "current": "junior", "met": false}]}

`reason_texts(verdict)` words them when shown, in the reader's language (verdicts stored
before, whose reasons are Chinese sentences, are shown as they are).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.core.enums import LabeledEnum
from lms.core.errors import ValidationFailed
from lms.programs.facts import FACTS, years

FIELDS = FACTS  # the facts a condition may name


class EligibilityResult(LabeledEnum):
    ELIGIBLE = "eligible", _l("符合任职条件")
    REVIEW = "review", _l("需人工审核")
    INELIGIBLE = "ineligible", _l("不符合任职条件")


ELIGIBLE, REVIEW, INELIGIBLE = EligibilityResult.ELIGIBLE, EligibilityResult.REVIEW, EligibilityResult.INELIGIBLE
_RANK = {INELIGIBLE: 0, REVIEW: 1, ELIGIBLE: 2}
OPS = ("gte", "lte", "eq")


@dataclass
class Verdict:
    result: EligibilityResult
    reasons: list[dict[str, Any]]
    tree: dict[str, Any] | None = None  # the rule set with each node's result (explain())

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"result": self.result, "reasons": list(self.reasons)}
        if self.tree is not None:
            data["tree"] = self.tree
        return data

    def texts(self) -> list[str]:
        """The headline and every reason, in the reader's language (what the API sends)."""
        return verdict_json(self.as_json())["reasons"]


# ---- validation ----------------------------------------------------------------------

MAX_DEPTH = 16  # real rule sets nest three or four levels


def rule_problems(node: Any, path: str = "rules", depth: int = 0) -> list[str]:
    """What is wrong with a rule set (each naming where, e.g. `rules.all[2]`), or [] if it is well formed."""
    if depth > MAX_DEPTH:
        return [_("%(path)s：嵌套层数过多（最多 %(depth)s 层）", path=path, depth=MAX_DEPTH)]
    if not isinstance(node, dict) or len(node) != 1 and "field" not in node:
        return [_("%(path)s：每个节点应为含 all、any、not、field 或 manual 之一的对象", path=path)]
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        children = node[key]
        if not isinstance(children, list) or not children:
            return [_("%(path)s：应为非空列表", path=f"{path}.{key}")]
        return [p for i, child in enumerate(children)
                for p in rule_problems(child, f"{path}.{key}[{i + 1}]", depth + 1)]
    if "not" in node:
        return rule_problems(node["not"], f"{path}.not", depth + 1)
    if "manual" in node:
        return [] if isinstance(node["manual"], str) and node["manual"].strip() else \
            [_("%(path)s：请写明需人工判断的条件", path=f"{path}.manual")]
    if "field" in node:
        fact = FACTS.get(node.get("field")) if isinstance(node.get("field"), str) else None
        if fact is None:
            return [_("%(path)s：未知字段“%(field)s”，可用：%(fields)s", path=f"{path}.field",
                      field=node.get("field"), fields=", ".join(FACTS))]
        op, value = node.get("op"), node.get("value")
        if fact.kind == "flag":
            return [] if op == "is_true" else [_("%(path)s：字段 %(field)s 只能用 is_true", path=f"{path}.op",
                                                 field=node["field"])]
        if op not in OPS:
            return [_("%(path)s：应为 gte、lte 或 eq", path=f"{path}.op")]
        if fact.kind == "scale" and (not isinstance(value, str) or value not in fact.values):
            return [_("%(path)s：应为 %(values)s 之一", path=f"{path}.value", values=", ".join(fact.values))]
        if fact.kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return [_("%(path)s：应为数字", path=f"{path}.value")]
        return []
    return [_("%(path)s：未知节点 %(keys)s", path=path, keys=", ".join(map(str, node)))]


def validate_rules(rules: Any) -> None:
    if problems := rule_problems(rules):
        raise ValidationFailed(_l("任职条件规则有误"), {"eligibility_rules": _("；").join(problems)})


# ---- evaluation ----------------------------------------------------------------------

def _leaf(node: dict[str, Any], profile: dict[str, Any]) -> tuple[EligibilityResult, dict[str, Any]]:
    """(result, reason) of one condition."""
    if "manual" in node:
        return REVIEW, {"code": "manual", "text": node["manual"]}
    fact = FACTS[node["field"]]
    value = profile.get(node["field"])
    reason = {"code": "condition", "field": node["field"], "op": node.get("op"), "value": node.get("value"),
              "current": value}
    if value is None or value == "" or fact.kind == "scale" and value not in fact.values:
        holds = False  # not filled in, or not a value of the scale
    elif fact.kind == "flag":
        holds = bool(value)
    elif fact.kind == "number":
        number, target = float(value), float(node["value"])
        holds = {"gte": number >= target, "lte": number <= target, "eq": number == target}[node["op"]]
    else:
        pos, target = fact.values.index(value), fact.values.index(node["value"])
        holds = {"gte": pos >= target, "lte": pos <= target, "eq": pos == target}[node["op"]]
    return (ELIGIBLE if holds else INELIGIBLE), {**reason, "met": holds}


def _negated(reason: dict[str, Any]) -> dict[str, Any]:
    if reason.get("code") != "condition":
        return reason  # what a person must judge stays for a person to judge
    return {**reason, "met": not reason["met"], "negated": not reason.get("negated", False)}


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
        return Verdict(result, [_negated(r) for r in inner.reasons])
    result, reason = _leaf(node, profile)
    return Verdict(result, [reason])


def evaluate(rules: dict[str, Any] | None, profile: dict[str, Any]) -> Verdict:
    """Evaluate a rule set on a profile (a dict of FACTS values). No rules: eligible.
    The verdict keeps the rule tree with every node's result (`tree`), for the trainee's page."""
    if not rules:
        return Verdict(ELIGIBLE, [{"code": "no_rules"}])
    validate_rules(rules)
    verdict = _evaluate(rules, profile)
    verdict.tree = explain(rules, profile)
    return verdict


def explain(node: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    """The rule set with `result` on every node and `current` (the profile's value) on every
    condition: the same tree the programme page draws, each branch marked."""
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        children = [explain(child, profile) for child in node[key]]
        pick = min if key == "all" else max
        return {key: children, "result": pick((c["result"] for c in children), key=_RANK.__getitem__)}
    if "not" in node:
        inner = explain(node["not"], profile)
        return {"not": inner, "result": {ELIGIBLE: INELIGIBLE, INELIGIBLE: ELIGIBLE}.get(inner["result"], REVIEW)}
    result, reason = _leaf(node, profile)
    leaf = {**node, "result": result}
    if "field" in node:
        leaf["current"] = reason["current"]
    return leaf


def first_unmet(tree: dict[str, Any] | None) -> dict[str, Any] | None:
    """The condition that decided a verdict short of eligible, first in the rules' order: down the
    branches that gave the node its result (an `all`'s first such child; a failed `any`'s first)."""
    if not tree or tree.get("result") == ELIGIBLE:
        return None
    for key in ("all", "any"):
        if key in tree:
            return next((found for child in tree[key] if child.get("result") == tree["result"]
                         for found in [first_unmet(child)] if found), None)
    if "not" in tree:
        return tree  # a negated condition: the `not` node itself is what failed
    return tree


def marked_first(tree: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of the tree with `first: true` on the node first_unmet() finds (for drawing)."""
    target = first_unmet(tree)

    def copy(node):
        out = {k: (copy(v) if isinstance(v, dict) else [copy(c) for c in v] if isinstance(v, list) else v)
               for k, v in node.items()}
        if node is target:
            out["first"] = True
        return out

    return copy(tree) if tree else None


def condition_text(node: dict[str, Any]) -> str:
    """A node of an explained tree in words, with what the profile says: 职称不低于中级（当前：初级）."""
    if "not" in node:
        return _("不得：%(condition)s", condition=condition_text(node["not"]))
    if "field" not in node:
        return describe(node) if "manual" in node else ""
    fact = FACTS.get(node["field"])
    current = node.get("current")
    if fact is None:
        return str(node)
    if current is None or current == "":
        detail = _("%(fact)s未填写", fact=fact.label)
    elif fact.kind == "scale" and current not in fact.values:
        detail = _("%(fact)s取值无效", fact=fact.label)
    else:
        detail = _("当前：%(value)s", value=fact.shown(current))
    return _("%(condition)s（%(detail)s）", condition=describe(node), detail=detail)


def next_step(node: dict[str, Any] | None) -> str | None:
    """What the trainee can do about the condition that failed first, in their language."""
    if node is None:
        return None
    if "manual" in node:
        return _("系统无法自动判断这一项：请在下方上传能证明的材料（如学历证书、职称证书），由审核人员判断。")
    if "field" not in node:
        return _("请对照上面的条件检查个人资料，如有变化请更新后重新报名。")
    fact = FACTS.get(node["field"])
    if node.get("current") in (None, ""):
        return _("请在个人资料中填写“%(fact)s”，然后撤回本报名并重新报名，系统会重新审查。", fact=fact.label)
    return _("如果个人资料中的“%(fact)s”已有变化（例如取得了新的职称或学历），请更新个人资料后撤回本报名并重新报名；"
             "否则本班次暂不能录取您，可考虑其他层级的研修班。", fact=fact.label)


# ---- wording, in the reader's language ------------------------------------------------

HEADLINES = {ELIGIBLE: _l("符合任职条件。"), REVIEW: _l("需人工审核。"), INELIGIBLE: _l("不符合任职条件。")}
_CONDITIONS = {"gte": _l("%(fact)s不低于%(value)s"), "lte": _l("%(fact)s不高于%(value)s"),
               "eq": _l("%(fact)s为%(value)s")}
# (met, negated) -> the sentence around a condition and what the profile says
_OUTCOMES = {(True, False): _l("满足：%(condition)s（%(detail)s）"),
             (False, False): _l("不满足：%(condition)s（%(detail)s）"),
             (True, True): _l("满足：不%(condition)s（%(detail)s）"),
             (False, True): _l("不满足：不得%(condition)s（%(detail)s）")}


def describe(node: dict[str, Any]) -> str:
    """A condition in the reader's language (a manual condition is shown as written)."""
    if "manual" in node:
        return node["manual"]
    fact = FACTS[node["field"]]
    if fact.kind == "flag":
        return _("具有%(fact)s", fact=fact.label)
    if fact.kind == "number" and node["op"] == "gte":
        return _("%(fact)s%(value)s以上", fact=fact.label, value=years(node["value"]))
    return str(_CONDITIONS[node["op"]]) % {"fact": fact.label, "value": fact.shown(node["value"])}


def reason_text(reason: Any) -> str:
    if isinstance(reason, str):
        return reason  # stored as a Chinese sentence before reasons were codes
    code = reason.get("code")
    if code == "no_rules":
        return _("该项目未设任职条件")
    if code == "manual":
        return _("需人工审核：%(condition)s（系统无法自动判断）", condition=reason.get("text", ""))
    fact = FACTS.get(reason.get("field"))
    if code != "condition" or fact is None:
        return str(reason)
    current = reason.get("current")
    if current is None or current == "":
        detail = _("%(fact)s未填写", fact=fact.label)
    elif fact.kind == "scale" and current not in fact.values:
        detail = _("%(fact)s取值无效", fact=fact.label)
    else:
        detail = _("当前：%(value)s", value=fact.shown(current))
    outcome = _OUTCOMES[(bool(reason.get("met")), bool(reason.get("negated")))]
    return str(outcome) % {"condition": describe(reason), "detail": detail}


_OLD_HEADLINES = {"符合任职条件。", "需人工审核。", "不符合任职条件。"}


def reason_texts(verdict: dict[str, Any] | None) -> list[str]:
    """Why the verdict is what it is, one sentence per condition, without the headline."""
    reasons = list((verdict or {}).get("reasons") or [])
    if reasons and isinstance(reasons[0], str) and reasons[0] in _OLD_HEADLINES:
        reasons = reasons[1:]
    return [reason_text(r) for r in reasons]


def verdict_json(verdict: dict[str, Any] | None) -> dict[str, Any]:
    """A stored verdict as the API documents it: `{result, reasons[]}`, the reasons as sentences
    in the reader's language, the first one the headline."""
    if not verdict:
        return {"result": None, "reasons": []}
    result = EligibilityResult.get(verdict.get("result"))
    headline = [str(HEADLINES[result])] if result is not None else []
    return {"result": verdict.get("result"), "reasons": headline + reason_texts(verdict)}


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

# 辽宁（辽宁省首席标准官制度实施方案 四(一)、(三)）：首席标准官“一般由企业副总经理（或相应职务层次）
# 及以上级别人员担任”，并“应具备标准化战略思维，熟悉国家标准化法律法规和战略规划”（人工判断）
LIAONING_CSO = {"all": [
    {"field": "position_level", "op": "gte", "value": "deputy_head"},
    {"manual": "具备标准化战略思维，熟悉国家标准化法律法规和战略规划"},
]}

# 标准总监“一般由企业技术（研发）总监、质量部长或相应职务层次专职（兼职）人员担任”，“具备一定的标准化
# 工作经验”：方案未定年限，由人工判断
LIAONING_DIRECTOR = {"all": [
    {"field": "position_level", "op": "gte", "value": "department_head"},
    {"manual": "熟悉企业标准化基本理论与业务知识，具备一定的标准化工作经验"},
]}

# 标准化专员“一般由企业专业技术人员担任”（任何职务层级），“一般应具备大专以上学历或中级以上职称”
LIAONING_SPECIALIST = {"any": [
    {"field": "education", "op": "gte", "value": "junior_college"},
    {"field": "title_level", "op": "gte", "value": "intermediate"},
]}

DEFAULT_RULES = {"shanghai_director": (_l("上海市企业标准化总监任职条件"), SHANGHAI_DIRECTOR),
                 "liaoning_cso": (_l("辽宁省首席标准官任职条件"), LIAONING_CSO),
                 "liaoning_director": (_l("辽宁省标准总监任职条件"), LIAONING_DIRECTOR),
                 "liaoning_specialist": (_l("辽宁省标准化专员任职条件"), LIAONING_SPECIALIST)}
