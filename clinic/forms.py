from collections.abc import Mapping

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError

from clinic import throttle
from clinic.models import ClinicSettings


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
    (``{"appointment_type": "type"}``). The messages keep their codes, so a page can still ask
    what kind of refusal it was.
    """
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        form.add_error(default, error.error_list)
        return
    for key, errors in error.error_dict.items():
        name = fields.get(key, key)
        form.add_error(name if name in form.fields else default, errors)
class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending no more reset emails than clinic/throttle.py allows.

    A refused email is simply not sent: the page after it reads the same either way.
    """

    def save(self, *args, request=None, **kwargs):
        self._request = request
        return super().save(*args, request=request, **kwargs)

    def get_users(self, email):
        request = getattr(self, "_request", None)
        for user in super().get_users(email):
            if throttle.password_reset_allowed(user=user, request=request):
                yield user


class ClinicalPolicyForm(forms.Form):
    """The clinical policy switches, and the reason for changing them (clinic_policy_change)."""

    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Kept with the change and shown to every dermatologist.",
    )

    def __init__(self, *args, clinic: ClinicSettings, **kwargs):
        super().__init__(*args, **kwargs)
        switches = {}
        for name in ClinicSettings.POLICY_FIELDS:
            field = ClinicSettings._meta.get_field(name)
            switches[name] = forms.BooleanField(
                label=str(field.verbose_name).capitalize(),
                help_text=field.help_text,
                required=False,
                initial=getattr(clinic, name),
            )
        # The switches first, then the reason.
        self.fields = {**switches, "reason": self.fields["reason"]}

    def values(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in ClinicSettings.POLICY_FIELDS}
