"""Chinese is the source language; English is the second. Every string the code and the
templates mark for translation must be in the English catalog, translated and not fuzzy,
or an English-speaking user meets Chinese in the middle of an English page."""
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_every_marked_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_ngettext:1,2",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as source:
        wanted = [message for message in read_po(source) if message.id]
    with (ROOT / "lms/translations/en/LC_MESSAGES/messages.po").open("rb") as source:
        english = read_po(source, locale="en")

    def translated(message) -> bool:
        entry = english.get(message.id, context=message.context)
        if entry is None or entry.fuzzy:
            return False
        return all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string)

    assert len(wanted) > 500  # the extraction found the app's strings
    untranslated = [message.id for message in wanted if not translated(message)]
    assert untranslated == [], f"{len(untranslated)} strings without English: {untranslated[:10]}"


# ---- messages are marked where they are raised ------------------------------------------------

import ast  # noqa: E402

from lms.core.errors import AppError  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
TRANSLATORS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}
# Domains whose messages are still being marked (issue 10's sweep); each leaves this set when done.
PENDING_DOMAINS: set[str] = set()


def _error_names() -> set[str]:
    import lms  # noqa: F401 - every error class is defined once the app's modules are imported
    from lms import create_app

    create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    found, todo = set(), [AppError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _literal_chinese(node) -> bool:
    """A str literal or f-string with Chinese in it, used as is (not inside a translation call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(CJK.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_literal_chinese(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _literal_chinese(node.left) or _literal_chinese(node.right)
    if isinstance(node, ast.Dict):
        return any(_literal_chinese(value) for value in node.values)
    if isinstance(node, ast.IfExp):
        return _literal_chinese(node.body) or _literal_chinese(node.orelse)
    return False


def _callee(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def test_errors_notifications_and_flashes_are_translated_where_they_are_raised():
    """`raise NotFound("中文")` would reach an English reader in Chinese: every message given to an
    error, a notification or a flash is marked (`_l("…")`), and no translation call translates
    an f-string (its text would never be in the catalog)."""
    watched = _error_names() | {"notify", "flash", "message"}
    problems = []
    for path in sorted((ROOT / "lms").rglob("*.py")):
        domain = path.relative_to(ROOT / "lms").parts[0]
        if domain in PENDING_DOMAINS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            if name in watched and any(_literal_chinese(arg) for arg in [*node.args, *(k.value for k in node.keywords)]):
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(...) with an unmarked Chinese message")
            if name in TRANSLATORS and node.args and not isinstance(node.args[0], ast.Constant):
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}() of a computed string")
    assert problems == []
