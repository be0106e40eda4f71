"""Who may open the calendar files and feeds.

An appointment's .ics: the desk and dermatologists any appointment, a patient only their own (any
other appointment answers 404, as if it did not exist), the manager 403. A feed URL is public: its
token is the key. The feed settings page is the dermatologist's own.
"""

from clinic.models import Role
from tests.factories import CalendarFeedFactory
from tests.treatments.messaging.factories import AppointmentFactory
from tests.url_expectations import ALL, DERM, Case


def _appointment(request):
    return {"pk": AppointmentFactory().pk}


def _feed(request):
    return {"token": CalendarFeedFactory().token}


CASES = {
    "treatments:appointment_ics": Case(
        allowed=frozenset({Role.DERMATOLOGIST, Role.FRONT_DESK}),
        kwargs=_appointment,
        per_role={Role.PATIENT: 404},
    ),
    "treatments:feed": Case(allowed=ALL, kwargs=_feed, public=True),
    "treatments:feed_settings": Case(allowed=DERM),
}
