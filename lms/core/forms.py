"""Glue between service ValidationFailed errors and WTForms forms."""
from lms.core.errors import ValidationFailed


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
