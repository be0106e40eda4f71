"""Keeps a signed-in person on the two-factor pages until this session has proved a factor."""

import functools

from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from clinic.twofactor import has_any_device, two_factor_required

#: What a person between the password and the second step may still open.
OPEN_BEFORE_SECOND_STEP = frozenset(
    {
        "two_factor_verify",
        "two_factor_setup",
        "logout",
        "healthz",
        "session_status",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)
#: Decided at login and kept in the session: True for a person who needs no second step (a
#: patient who never turned it on), so their requests skip the device lookups.
NOT_NEEDED = "two_factor_not_needed"


def decide_at_login(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: note whether this session will need a second step."""
    if hasattr(request, "session"):
        clinic = getattr(request, "clinic", None)
        request.session[NOT_NEEDED] = not (
            has_any_device(user) or two_factor_required(user, clinic)
        )


def second_step_pending(request) -> str | None:
    """None when the session may go anywhere; otherwise the page it must see first."""
    user = request.user
    if not user.is_authenticated or user.is_verified() or request.session.get(NOT_NEEDED):
        return None
    if has_any_device(user):
        return "two_factor_verify"
    if two_factor_required(user, request.clinic):
        return "two_factor_setup"
    return None


class SessionOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, answering ``user.is_verified()`` from the session alone.

    The session holds the proof of the second step as it holds the login itself, so a page
    costs no device query. What would make the proof stale ends the account's sessions
    instead: a reset of its factors (``two_factor_reset``) logs it out everywhere.
    ``user.otp_device`` is set only on the request that proves a factor (``django_otp.login``).
    """

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            user.is_verified = functools.partial(_session_verified, request)
        return user


def _session_verified(request) -> bool:
    return request.session.get(DEVICE_ID_SESSION_KEY) is not None


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.second_step = step = second_step_pending(request)
        # Whoever has a factor proves it before setting up another.
        other = "two_factor_setup" if step == "two_factor_verify" else "two_factor_verify"
        if step is not None and _url_name(request) not in OPEN_BEFORE_SECOND_STEP - {other}:
            target = redirect(request.second_step)
            target["Location"] += "?" + _next_query(request)
            return target
        return self.get_response(request)


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _next_query(request) -> str:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query["next"] = request.get_full_path() if request.method == "GET" else "/"
    return query.urlencode()
