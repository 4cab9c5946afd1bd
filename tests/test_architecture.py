"""How the packages may depend on each other, read from the source (imports inside functions count too).

- The plumbing (lms.core, lms.api, lms.web, lms.extensions, lms.config, lms.navigation,
  lms.dashboard, lms.cli) imports no domain: domains plug into it, never the other way.
- Domains import only domains listed before them in lms.DOMAINS, so there is no cycle, and
  a new domain is added at the end without touching the others.
- No module imports another package's private (underscore) names.
"""
from __future__ import annotations

import ast
from pathlib import Path

from lms import DOMAINS

LMS = Path(__file__).resolve().parents[1] / "lms"
PLUMBING = {"core", "api", "web", "extensions", "config", "navigation", "dashboard", "cli"}


def _imports():
    """(importing package, imported module, imported names, file:line) for every lms import."""
    for path in sorted(LMS.rglob("*.py")):
        parts = path.relative_to(LMS).with_suffix("").parts
        package = parts[0] if parts[0] != "__init__" else "lms"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield package, node.module, [a.name for a in node.names], f"{path.relative_to(LMS.parent)}:{node.lineno}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield package, alias.name, [], f"{path.relative_to(LMS.parent)}:{node.lineno}"


def _package_of(module: str, names: list[str]) -> list[str]:
    parts = module.split(".")
    if parts[0] != "lms":
        return []
    if len(parts) > 1:
        return [parts[1]]
    return names  # from lms import create_app / from lms import web


def test_the_plumbing_imports_no_domain():
    wrong = [f"{where}: {package} imports {module}" for package, module, names, where in _imports()
             if package in PLUMBING
             for target in _package_of(module, names) if target in DOMAINS and target != "api"]
    assert wrong == []


def test_domains_import_only_domains_listed_before_them():
    order = {name: index for index, name in enumerate(DOMAINS)}
    wrong = []
    for package, module, names, where in _imports():
        if package not in order:
            continue
        for target in _package_of(module, names):
            if target in order and target not in (package, "api") and order[target] > order[package]:
                wrong.append(f"{where}: {package} imports {module} (listed after it)")
    assert wrong == []


def test_every_domain_package_is_listed_and_plugs_in_with_init_app():
    import importlib

    packages = {p.name for p in LMS.iterdir() if (p / "__init__.py").exists()} - {"core", "translations"}
    assert packages <= set(DOMAINS), f"packages not in lms.DOMAINS: {sorted(packages - set(DOMAINS))}"
    for name in DOMAINS:
        assert callable(getattr(importlib.import_module(f"lms.{name}"), "init_app", None)), name


def test_no_module_imports_another_packages_private_names():
    wrong = []
    for package, module, names, where in _imports():
        targets = _package_of(module, names)
        if targets and targets[0] != package and module.count(".") >= 1:
            wrong += [f"{where}: {name} from {module}" for name in names if name.startswith("_")]
    assert wrong == []


def test_every_path_named_in_the_docs_exists():
    """A path written in backticks in README.md or docs/*.md (`lms/ce/ledger.py`, `lms/ce/views*.py`,
    `lms/verify/`, `docs/exams.md`, `tests/api_contract.py`, `certificate_templates/<name>/template.yaml`)
    names something that exists, so a renamed or removed module shows up here instead of in a
    stale document."""
    import glob
    import re

    root = LMS.parent
    folders = "lms|docs|tests|bench|deploy|migrations|certificate_templates|question_banks"
    named = re.compile(rf"`((?:{folders})/[^`\s]*)`")
    missing = []
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
            for path in named.findall(line):
                pattern = re.sub(r"<[^>]*>", "*", path.split(":")[0])
                found = glob.glob(str(root / pattern)) if "*" in pattern else (root / pattern).exists()
                if not found:
                    missing.append(f"{doc.relative_to(root)}:{number}: {path}")
    assert missing == []
