from collections.abc import Mapping

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class LoginForm(AuthenticationForm):
    """Email and password; the email label is what people look for."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


def add_service_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    fields: Mapping[str, str] | None = None,
    default: str | None = None,
) -> None:
    """Show a service's refusal on a form: each message at the field its key names, the rest
    at ``default`` (None: above the form).

    ``fields`` maps a service's key to the form's name for it where the two differ
    (``{"kind": "type"}``). The messages keep their codes, so a page can still ask what kind of
    refusal it was.
    """
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        form.add_error(default, error.error_list)
        return
    for key, errors in error.error_dict.items():
        name = fields.get(key, key)
        form.add_error(name if name in form.fields else default, errors)
