"""Glue between service ValidationFailed errors and WTForms forms."""
from wtforms.fields.choices import SelectChoice

from lms.core.errors import ValidationFailed


def options(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def apply_errors(form, error: ValidationFailed, renames: dict[str, str] | None = None) -> None:
    """Show each service-side field problem on the matching form field (`renames` maps a
    service's field name to the form's, e.g. {"program": "program_id"}).

    Problems become plain text here: a lazily translated string counts as safe HTML to Jinja
    (it has `__html__`), so one quoting what the user typed would reach the page unescaped."""
    for name, message in error.fields.items():
        field = getattr(form, (renames or {}).get(name, name), None)
        if field is not None:
            field.errors = list(field.errors) + [str(message)]
        else:
            form.form_errors.append(str(message))
    if not error.fields and error.message:
        form.form_errors.append(str(error.message))
