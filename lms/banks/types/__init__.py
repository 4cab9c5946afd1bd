"""The question-type registry. Each type validates its own data, renders the trainee's
view and grades a response. Adding a type means adding one module in this package with a
`@register`ed QuestionType subclass: the modules are imported here automatically.

`data` given to validate() is the neutral question content: type, difficulty, points,
stem, options [{key, text}], answer, explanation, source, rubric, tags, weights.
"""
from __future__ import annotations

import importlib
import pkgutil

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from lms.banks.types.base import QUESTION_TYPES, QuestionType, Score, common_problems, shown, unused_field_problems
from lms.banks.types.fill import BLANK, normalize_text

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
# one stable order for lists and menus
_ordered = sorted(QUESTION_TYPES.values(), key=lambda kind: kind.order)
QUESTION_TYPES.clear()
QUESTION_TYPES.update((kind.name, kind) for kind in _ordered)


def validate_content(data: dict) -> list[tuple[str, str]]:
    """Every problem with a question's content, as (field, problem) pairs."""
    problems = common_problems(data)
    name = data.get("type")
    kind = QUESTION_TYPES.get(name) if isinstance(name, str) else None
    if kind is None:
        problems.append(("type", _l("题型 %(value)s 不存在，应为 %(types)s 之一", value=shown(name),
                                    types=" / ".join(QUESTION_TYPES))))
        return problems
    return problems + unused_field_problems(kind, data) + kind.validate(data)


def question_type(name: str) -> type[QuestionType]:
    return QUESTION_TYPES[name]


def type_label(name: str) -> str:
    """A type's label in the reader's language (the name itself for a type no longer registered)."""
    kind = QUESTION_TYPES.get(name)
    return str(kind.label) if kind else name


def type_choices() -> list[SelectChoice]:
    """Form and filter choices, in the registry's order."""
    return [SelectChoice(value=name, label=kind.label) for name, kind in QUESTION_TYPES.items()]


__all__ = ["BLANK", "QUESTION_TYPES", "QuestionType", "Score", "normalize_text", "question_type",
           "type_choices", "type_label", "validate_content"]
