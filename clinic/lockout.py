"""Login lockout (django-axes): one spelling of an address, and a limit per client address.

Axes counts failures per username and address. Without help it counts "LOCK1@demo.clinic",
" lock1@demo.clinic" and "lock1@demo.clinic" as three usernames, while logging in accepts all
three as one account; ``axes_username`` gives Axes the one spelling login uses.

Axes takes the largest failure count over its lockout parameters and compares it with one
AXES_FAILURE_LIMIT, so it cannot give a per-address limit of its own next to the per-account
one. ``ClinicAxesHandler`` adds it from Axes' own records: AXES_ADDRESS_FAILURE_LIMIT failures
from one address within the cool-off, over every account (password spraying), lock that
address out too. The records are in the database, so every app server sees the same count.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def normalise_username(raw):
    """The spelling login matches: no surrounding spaces, lower case (User.save lowers it)."""
    return raw.strip().lower() if isinstance(raw, str) else raw


def axes_username(request, credentials):
    """AXES_USERNAME_CALLABLE: (request, credentials) -> the username Axes counts under."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = credentials.get(field) if credentials else None
    if raw is None and request is not None:
        raw = getattr(request, "data", request.POST).get(field)
    return normalise_username(raw)


class ClinicAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, with a higher second limit per client address."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if address is None:
            return failures
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # Axes locks when this reaches its one limit: report the address as used up.
            return max(failures, get_failure_limit(request, credentials))
        return failures
