"""The eligibility rules (任职条件) as a form: groups where all or any conditions must hold, and
conditions chosen from the profile's facts with their values by name, instead of raw JSON.

The page posts one set of fields per node, named by the node's path ("r" the root group,
"r.0" its first member, "r.0.1" ...):

    kind-<path>   "all" | "any" (a group) or "cond" (a condition)
    not-<path>    "1" when the node is negated (不满足)
    field-<path>  a fact name from FACTS, or "manual" (a condition staff judge by hand)
    op-<path>     gte | lte | eq (is_true for a yes/no fact)
    value-<path>  the value: a scale member's code (chosen by its name), or a number
    text-<path>   the wording of a manual condition

`tree_from_form` turns those into the JSON tree that `lms.programs.eligibility` evaluates
(validated there, as the JSON editor's is); `nodes_from_rules` turns a stored tree into what
the page draws; `edit` adds or removes a node (buttons that work without JavaScript).
"""
from __future__ import annotations

import re
from typing import Any

from lms.programs.eligibility import OPS
from lms.programs.facts import FACTS

ROOT = "r"
GROUPS = ("all", "any")
MANUAL = "manual"
_PATH = re.compile(r"^r(\.\d{1,3}){0,8}$")
MAX_NODES = 200


def _children(paths: list[str], parent: str) -> list[str]:
    depth = parent.count(".") + 1
    mine = [p for p in paths if p.startswith(parent + ".") and p.count(".") == depth]
    return sorted(mine, key=lambda p: int(p.rsplit(".", 1)[1]))


def _number(text: str) -> Any:
    try:
        value = float(text)
    except ValueError:
        return text  # refused by the rules' validation ("应为数字"), with its place
    return int(value) if value.is_integer() else value


def _node(form, path: str, paths: list[str]) -> dict[str, Any]:
    kind = form.get(f"kind-{path}", "")
    if kind in GROUPS:
        node: dict[str, Any] = {kind: [_node(form, child, paths) for child in _children(paths, path)]}
    else:
        field = form.get(f"field-{path}", "")
        if field == MANUAL:
            node = {"manual": form.get(f"text-{path}", "").strip()}
        else:
            fact = FACTS.get(field)
            node = {"field": field, "op": form.get(f"op-{path}", "")}
            if fact is not None and fact.kind == "flag":
                node["op"] = "is_true"
            elif fact is not None and fact.kind == "number":
                node["value"] = _number(form.get(f"value-{path}", "").strip())
            else:
                node["value"] = form.get(f"value-{path}", "")
    return {"not": node} if form.get(f"not-{path}") == "1" else node


def tree_from_form(form) -> dict[str, Any] | None:
    """The rule tree the form describes; None when the root group holds nothing (no rules)."""
    paths = [key[5:] for key in form if key.startswith("kind-") and _PATH.match(key[5:])][:MAX_NODES]
    if ROOT not in paths:
        return None
    tree = _node(form, ROOT, paths)
    group = tree.get("not", tree)
    if any(key in GROUPS and not group[key] for key in group):
        return None
    return tree


def nodes_from_rules(rules: dict[str, Any] | None, path: str = ROOT) -> dict[str, Any]:
    """What the page draws for a stored tree: the root is always a group."""
    if path == ROOT and (not rules or not any(k in rules for k in GROUPS) and "not" not in rules):
        rules = {"all": [rules] if rules else []}
    negated = isinstance(rules, dict) and "not" in rules and len(rules) == 1
    node = rules["not"] if negated else rules
    if not isinstance(node, dict):
        node = {"manual": str(node)}
    drawn: dict[str, Any] = {"path": path, "negated": negated}
    kind = next((k for k in GROUPS if k in node), None)
    if kind is not None:
        members = node[kind] if isinstance(node[kind], list) else []
        drawn.update(kind=kind, children=[nodes_from_rules(child, f"{path}.{n}") for n, child in enumerate(members)])
    elif "manual" in node:
        drawn.update(kind="cond", field=MANUAL, text=node.get("manual") or "")
    else:
        value = node.get("value")
        drawn.update(kind="cond", field=node.get("field") or "", op=node.get("op") or "gte",
                     value="" if value is None else (f"{value:g}" if isinstance(value, float) else str(value)))
    return drawn


def edit(tree: dict[str, Any] | None, action: str) -> dict[str, Any] | None:
    """Apply a builder button to the (unsaved) tree: `add-cond:<path>`, `add-group:<path>`
    (a new member at the end of that group) or `remove:<path>`."""
    verb, _, path = action.partition(":")
    root = nodes_from_rules(tree)
    if verb not in ("add-cond", "add-group", "remove"):
        return _to_tree(root)  # "refresh": redraw what was posted
    target, parent = _find(root, path), _find(root, path.rsplit(".", 1)[0]) if "." in path else None
    if verb in ("add-cond", "add-group") and target is not None and "children" in target:
        fact = next(iter(FACTS))
        member = ({"all": [{"field": fact, "op": "gte", "value": FACTS[fact].values[0] if FACTS[fact].values else 0}]}
                  if verb == "add-group" else {"field": fact, "op": "gte",
                                               "value": FACTS[fact].values[0] if FACTS[fact].values else 0})
        target["children"].append(nodes_from_rules(member, f"{path}.{len(target['children'])}"))
    elif verb == "remove" and parent is not None:
        parent["children"] = [c for c in parent["children"] if c["path"] != path]
    return _to_tree(root)


def _find(node: dict[str, Any], path: str) -> dict[str, Any] | None:
    if node["path"] == path:
        return node
    for child in node.get("children", []):
        if found := _find(child, path):
            return found
    return None


def _to_tree(node: dict[str, Any]) -> dict[str, Any]:
    if "children" in node:
        tree: dict[str, Any] = {node["kind"]: [_to_tree(c) for c in node["children"]]}
    elif node.get("field") == MANUAL:
        tree = {"manual": node.get("text", "")}
    else:
        fact = FACTS.get(node.get("field"))
        tree = {"field": node.get("field"), "op": node.get("op")}
        if fact is not None and fact.kind == "flag":
            tree["op"] = "is_true"
        elif fact is not None and fact.kind == "number":
            tree["value"] = _number(node.get("value", ""))
        else:
            tree["value"] = node.get("value")
    return {"not": tree} if node.get("negated") else tree


OP_CHOICES = OPS
