"""Two-factor login: who needs a second factor, and the factors a person has.

django-otp keeps the factors (an authenticator app's secret, recovery codes) and
django-otp-webauthn the passkeys; ``request.user.is_verified()`` says whether this session
proved one. Dermatologists, managers and superusers always need one; the front desk does
while the clinic's "require two-factor for front desk" setting is on; a patient may add one,
and from then on is asked for it too.
"""

from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from clinic.models import ClinicSettings, Role

RECOVERY_CODES = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
AUTHENTICATOR_DEVICE_NAME = "Authenticator app"


def two_factor_required(user, clinic: ClinicSettings | None = None) -> bool:
    """Whether ``user`` may not work without a second factor, enrolled or not."""
    if user.is_superuser or user.role in (Role.DERMATOLOGIST, Role.MANAGER):
        return True
    if user.role == Role.FRONT_DESK:
        clinic = clinic or ClinicSettings.load()
        return clinic.require_two_factor_front_desk
    return False


def has_second_factor(user) -> bool:
    """A confirmed authenticator app or passkey (recovery codes alone are not one)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_any_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device else 0
