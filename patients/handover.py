"""The hand-over screen: the clinic's tablet, handed to a patient to sign consent.

Opening a patient's consent page from the chart hands the tablet over: the staff member's session
is locked to that patient's consent pages and the hand-over screen, without the staff navigation.
Whoever holds the tablet can sign that patient's consents (witnessed by the staff member) and
nothing else; leaving needs the staff member's password (``unlock``), wrong passwords counted per
account and per client address as logging in counts them. Logging out also ends it.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone

from clinic.models import ThrottleEvent
from clinic.throttle import HOUR, Limit

SESSION_KEY = "handover"
UNLOCK = "handover-unlock"
UNLOCK_FROM = "handover-unlock-from"
#: The pages a locked session may open, besides the patient's consent pages.
OPEN_WHILE_LOCKED = frozenset({"patients:handover", "logout", "session_status"})
LOCKED_OUT = (
    "Too many wrong passwords: this screen stays locked. Log out; logging in again ends the "
    "hand-over."
)


def start(request, patient) -> None:
    """Lock the session to ``patient``'s consent pages (again, if already locked to them)."""
    request.session[SESSION_KEY] = {"patient": patient.pk, "by": request.user.pk}
    request.handover = True  # this very page already shows no staff navigation


def locked_patient_id(request) -> int | None:
    state = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not state or state.get("by") != getattr(request.user, "pk", None):
        return None
    return state.get("patient")


def end(request) -> None:
    request.session.pop(SESSION_KEY, None)


def _limits(user, address: str | None) -> list[Limit]:
    limits = [Limit(UNLOCK, str(user.pk), settings.AXES_FAILURE_LIMIT)]
    if address:
        limits.append(Limit(UNLOCK_FROM, address, settings.AXES_ADDRESS_FAILURE_LIMIT))
    return limits


def unlock_refused(request) -> bool:
    """Whether too many wrong passwords came for this account, or from this address, this hour."""
    since = timezone.now() - HOUR
    return any(
        ThrottleEvent.objects.filter(scope=limit.scope, key=limit.key, at__gt=since).count()
        >= limit.most
        for limit in _limits(request.user, get_client_ip_address(request))
    )


def unlock(request, password: str) -> bool:
    """End the hand-over if ``password`` is the staff member's; count it when it is not."""
    if unlock_refused(request):
        return False
    if request.user.check_password(password):
        ThrottleEvent.objects.filter(scope=UNLOCK, key=str(request.user.pk)).delete()
        end(request)
        return True
    now = timezone.now()
    ThrottleEvent.objects.filter(scope__in=[UNLOCK, UNLOCK_FROM], at__lte=now - HOUR).delete()
    ThrottleEvent.objects.bulk_create(
        ThrottleEvent(scope=limit.scope, key=limit.key, at=now)
        for limit in _limits(request.user, get_client_ip_address(request))
    )
    return False


class HandoverMiddleware:
    """While a session is handed over, every other page leads back to the hand-over screen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        patient_id = locked_patient_id(request) if request.user.is_authenticated else None
        request.handover = patient_id is not None
        if patient_id is None or self._open(request, patient_id):
            return self.get_response(request)
        return redirect("patients:handover")

    @staticmethod
    def _open(request, patient_id: int) -> bool:
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        if match.view_name in OPEN_WHILE_LOCKED:
            return True
        return match.view_name == "patients:consent_sign" and str(match.kwargs.get("pk")) == str(
            patient_id
        )
