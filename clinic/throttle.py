"""Limits on emails anyone can make the clinic send: password resets, portal invitations and
the codes of online bookings.

Each email taken under a limit is a ThrottleEvent row; a limit allows ``most`` of them per
``per`` for one key (an account, a recipient, a client address). When a limit is used up the
email is simply not sent: the password-reset page says the same neutral thing either way, so
nobody learns whether an address has an account.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import ThrottleEvent

log = logging.getLogger(__name__)

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Limit:
    scope: str
    key: str
    most: int
    per: dt.timedelta = HOUR


@transaction.atomic
def throttle_take(*limits: Limit, now: dt.datetime | None = None) -> bool:
    """Count one email under every limit and say True, or say False (and count nothing) when
    any of them is used up."""
    now = now or timezone.now()
    for limit in limits:
        # What has left the window is forgotten, for every key of the scope: the table stays small.
        ThrottleEvent.objects.filter(scope=limit.scope, at__lte=now - limit.per).delete()
        if ThrottleEvent.objects.filter(scope=limit.scope, key=limit.key).count() >= limit.most:
            return False
    ThrottleEvent.objects.bulk_create(
        ThrottleEvent(scope=limit.scope, key=limit.key, at=now) for limit in limits
    )
    return True


def password_reset_allowed(*, user, request=None) -> bool:
    """At most PASSWORD_RESET_EMAILS_PER_ACCOUNT an hour to one account, and at most
    PASSWORD_RESET_EMAILS_PER_ADDRESS an hour asked for from one client address."""
    limits = [Limit("password-reset", str(user.pk), settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT)]
    address = get_client_ip_address(request) if request is not None else None
    if address:
        limits.append(
            Limit("password-reset-from", address, settings.PASSWORD_RESET_EMAILS_PER_ADDRESS)
        )
    allowed = throttle_take(*limits)
    if not allowed:
        log.warning("Password reset email for user %s not sent: limit reached.", user.pk)
    return allowed


def invitation_check(*, email: str) -> None:
    """Refuse a portal invitation beyond PORTAL_INVITATIONS_PER_ADDRESS an hour to one address.

    Called by the sender inside its transaction: an invitation that is rolled back is not
    counted.
    """
    recipient = email.strip().lower()
    limit = Limit("portal-invitation", recipient, settings.PORTAL_INVITATIONS_PER_ADDRESS)
    if not throttle_take(limit):
        raise ValidationError(
            f"{limit.most} invitations already went to {email} in the last hour. Ask the "
            "patient to check their spam folder, or send another later."
        )


def booking_code_allowed(
    *, email: str, address: str | None, now: dt.datetime | None = None
) -> bool:
    """At most ONLINE_BOOKING_CODES_PER_EMAIL an hour to one email address, and at most
    ONLINE_BOOKING_CODES_PER_ADDRESS an hour asked for from one client (IP) address.

    Counted inside the booking's transaction: a hold that is refused later is not counted.
    """
    limits = [Limit("booking-code", email.strip().lower(), settings.ONLINE_BOOKING_CODES_PER_EMAIL)]
    if address:
        limits.append(
            Limit("booking-code-from", address, settings.ONLINE_BOOKING_CODES_PER_ADDRESS)
        )
    allowed = throttle_take(*limits, now=now)
    if not allowed:
        log.warning("Online booking code not sent: limit reached.")
    return allowed


def client_address(request) -> str | None:
    """The client's IP address as the login's lockout reads it (behind the clinic's proxy)."""
    return get_client_ip_address(request)


# The second step of logging in: wrong codes are counted per account and per client address,
# whatever the password step did (a correct password does not wipe them, as it does Axes').
SECOND_STEP = "second-step"
SECOND_STEP_FROM = "second-step-from"


def _second_step_limits(user, address: str | None) -> list[Limit]:
    limits = [Limit(SECOND_STEP, str(user.pk), settings.TWO_FACTOR_FAILURE_LIMIT)]
    if address:
        limits.append(Limit(SECOND_STEP_FROM, address, settings.AXES_ADDRESS_FAILURE_LIMIT))
    return limits


def second_step_locked(*, user, address: str | None, now: dt.datetime | None = None) -> bool:
    """Whether too many wrong codes came for this account, or from this address, this hour."""
    since = (now or timezone.now()) - HOUR
    return any(
        ThrottleEvent.objects.filter(scope=limit.scope, key=limit.key, at__gt=since).count()
        >= limit.most
        for limit in _second_step_limits(user, address)
    )


def second_step_failed(*, user, address: str | None, now: dt.datetime | None = None) -> None:
    """Count one wrong code, for the account and for the address."""
    now = now or timezone.now()
    ThrottleEvent.objects.filter(
        scope__in=[SECOND_STEP, SECOND_STEP_FROM], at__lte=now - HOUR
    ).delete()
    ThrottleEvent.objects.bulk_create(
        ThrottleEvent(scope=limit.scope, key=limit.key, at=now)
        for limit in _second_step_limits(user, address)
    )


def second_step_passed(*, user) -> None:
    """The account's wrong codes are forgotten once the right one comes."""
    ThrottleEvent.objects.filter(scope=SECOND_STEP, key=str(user.pk)).delete()
