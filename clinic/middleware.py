import logging

from django.db import DatabaseError
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from clinic.models import ClinicSettings

log = logging.getLogger(__name__)


def _load_clinic():
    return ClinicSettings.load()


class ClinicMiddleware:
    """Puts the clinic record on the request and shows times in the clinic's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.clinic = SimpleLazyObject(_load_clinic)
        try:
            timezone.activate(request.clinic.zone)
        except DatabaseError:
            # The database is down: let /healthz say so instead of failing here.
            log.warning("Clinic settings unavailable; using the default time zone.")
            timezone.activate(timezone.get_default_timezone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
