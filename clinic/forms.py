from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from clinic import throttle


class LoginForm(AuthenticationForm):
    """Email and password; the email label is what people look for."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


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
