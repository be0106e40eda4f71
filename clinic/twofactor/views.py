"""The second step of logging in, and setting up one's factors."""

import base64

import segno
from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from clinic.compression import compression_off
from clinic.forms import add_service_errors
from clinic.twofactor import has_second_factor, recovery_codes_left, services, two_factor_required
from clinic.twofactor.forms import CodeForm, ConfirmAppForm


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """After the password: an authenticator code, a recovery code or a passkey."""
    if request.second_step != "two_factor_verify":
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_step_verify(
                user=request.user,
                code=form.cleaned_data["code"],
                address=get_client_ip_address(request),
            )
        except services.SecondStepLocked:
            logout(request)
            return render(request, "registration/locked_out.html", status=429)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"Recovery code used: {left} left. Make new ones at Two-factor login.",
                )
            return redirect(_next_url(request))
    has_passkey = WebAuthnCredential.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next_url(request), "has_passkey": has_passkey},
    )


def _qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


@require_http_methods(["GET", "POST"])
@compression_off  # the app's key and recovery codes, beside the reflected ?next= and code
def two_factor_setup(request):
    """One's own factors: an authenticator app, passkeys and the recovery codes."""
    user = request.user
    if request.second_step == "two_factor_verify":
        return redirect("two_factor_verify")
    form = ConfirmAppForm(request.POST if request.POST.get("action") == "app" else None)
    new_codes: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "codes":
        if has_second_factor(user):
            new_codes = services.recovery_codes_issue(user=user)
    elif request.method == "POST" and form.is_valid():
        try:
            device = services.totp_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not user.is_verified():
                otp_login(request, device)
            messages.success(request, "Authenticator app set up.")
            form = ConfirmAppForm()
    if has_second_factor(user) and not StaticDevice.objects.filter(user=user).exists():
        # The first factor is in place: the recovery codes come with it, shown this once.
        new_codes = services.recovery_codes_issue(user=user)
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    pending = None if app else services.totp_pending(user=user)
    context = {
        "form": form,
        "app": app,
        "pending": pending,
        "qr": _qr_data_uri(pending) if pending else None,
        "secret": _secret(pending) if pending else None,
        "passkeys": list(WebAuthnCredential.objects.filter(user=user, confirmed=True)),
        "new_codes": new_codes,
        "codes_left": recovery_codes_left(user),
        "required": two_factor_required(user, request.clinic),
        "enrolled": has_second_factor(user),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_setup.html", context)
