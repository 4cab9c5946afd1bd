"""Glue between service ValidationFailed errors and WTForms forms."""
from wtforms.fields.choices import SelectChoice

from lms.core.errors import ValidationFailed


def options(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def apply_errors(form, error: ValidationFailed) -> None:
    """Show each service-side field problem on the matching form field."""
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)
    if not error.fields and error.message:
        form.form_errors.append(error.message)
