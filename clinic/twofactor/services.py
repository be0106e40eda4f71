"""Enrolling, proving and resetting a second factor."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from clinic import throttle
from clinic.models import AccountChange, Role, User
from clinic.twofactor import AUTHENTICATOR_DEVICE_NAME, RECOVERY_CODES, RECOVERY_DEVICE_NAME


def sessions_end(account: User) -> int:
    """Log ``account`` out everywhere. Sessions are not indexed by user, so each is read: a
    clinic has a few hundred at most, and this runs only when a factor is reset."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(account.pk):
            session.delete()
            ended += 1
    return ended


class SecondStepLocked(ValidationError):
    """Too many wrong codes: the second step is closed for an hour."""


WRONG_CODE = "That code is not right. Check the app shows this account, and type the newest code."
LOCKED = "Too many wrong codes: logging in to this account is paused for an hour."


def totp_pending(*, user: User) -> TOTPDevice:
    """The authenticator secret being set up: the same one until its first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_DEVICE_NAME, confirmed=False
    )


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> TOTPDevice:
    """The first code from the app confirms its secret, which replaces any earlier app."""
    device = totp_pending(user=user)
    if not device.verify_token(_normalise(code)):
        raise ValidationError({"code": WRONG_CODE})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new one-time recovery codes; any earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_step_verify(*, user: User, code: str, address: str | None):
    """The device a code proves (an authenticator code or an unused recovery code, which is
    then spent); a ValidationError otherwise, SecondStepLocked once too many were wrong."""
    if throttle.second_step_locked(user=user, address=address):
        raise SecondStepLocked(LOCKED)
    token = _normalise(code)
    # Six digits are an app's code, anything else a recovery code: a typo in one never slows
    # down (django-otp's growing delay per device) the other.
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    devices = list(kind.objects.filter(user=user, confirmed=True))
    throttled = False
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if device.verify_token(token):
            throttle.second_step_passed(user=user)
            return device
    throttle.second_step_failed(user=user, address=address)
    if throttle.second_step_locked(user=user, address=address):
        raise SecondStepLocked(LOCKED)
    if throttled:
        raise ValidationError(
            {"code": "Too many wrong codes in a row: wait a few seconds, then try again."}
        )
    raise ValidationError({"code": WRONG_CODE})


def may_reset(by: User, account: User) -> bool:
    """A superuser resets anyone's factors; a manager those of the front desk and other
    managers, never a clinician's (which opens every chart), a superuser's, a patient's or
    their own (a lost factor is reset by someone else)."""
    if by == account:
        return False
    if by.is_superuser:
        return True
    return (
        by.has_role(Role.MANAGER)
        and not account.is_superuser
        and not account.is_clinician
        and account.role in (Role.FRONT_DESK, Role.MANAGER)
    )


@transaction.atomic
def two_factor_reset(*, by: User, account: User) -> AccountChange:
    """Remove every factor of an account whose owner lost theirs: they enrol again at their next
    request, and the reset is kept in the account changes."""
    if not may_reset(by, account):
        raise PermissionDenied("You may not reset this account's two-factor login.")
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    WebAuthnCredential.objects.filter(user=account).delete()
    # A session's proof of the second step came from a factor that is gone.
    sessions_end(account)
    return AccountChange.objects.create(
        by=by, account=account, kind=AccountChange.Kind.TWO_FACTOR_RESET
    )
