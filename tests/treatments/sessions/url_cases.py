"""Who may open the session pages: the session record is the dermatologist's; the
printable aftercare also the front desk's (docs/clinical-rules.md §People: the desk issues printed
aftercare) and the patient's own (a fresh patient user owns no session: 404, as for any other
patient's)."""

from clinic.models import Role
from tests.factories import PatientFactory
from tests.url_expectations import DERM, Case


def _appointment(request):
    from tests.treatments.sessions.factories import checked_in_appointment

    return {"appointment_pk": checked_in_appointment().pk}


def _session(request):
    from tests.treatments.sessions.factories import started_session

    return {"pk": started_session().pk}


def _completed(request):
    from tests.treatments.sessions.factories import completed_session

    return {"pk": completed_session().pk}


def _patient(request):
    return {"patient_pk": PatientFactory().pk}


CASES = {
    # The dermatologist opens the session record and is sent to it.
    "treatments:session_start": Case(allowed=DERM, kwargs=_appointment, method="post", ok=302),
    "treatments:session_detail": Case(allowed=DERM, kwargs=_session),
    # Nothing changed: the day's screen is recorded and the page comes back at the next step.
    "treatments:session_prescreen": Case(allowed=DERM, kwargs=_session, method="post", ok=302),
    # Each step refused for a missing earlier step or empty input: the page with the message.
    "treatments:session_prep": Case(allowed=DERM, kwargs=_session, method="post"),
    "treatments:session_application": Case(allowed=DERM, kwargs=_session, method="post"),
    "treatments:session_complete": Case(allowed=DERM, kwargs=_session, method="post"),
    "treatments:session_not_treated": Case(allowed=DERM, kwargs=_session, method="post"),
    # An addendum to a session still open is refused with a message, back to the session.
    "treatments:session_addendum": Case(allowed=DERM, kwargs=_session, method="post", ok=302),
    "treatments:adverse_event_new": Case(allowed=DERM, kwargs=_patient),
    "treatments:aftercare": Case(
        allowed=frozenset({Role.DERMATOLOGIST, Role.FRONT_DESK, Role.PATIENT}),
        kwargs=_completed,
        per_role={Role.PATIENT: 404},
    ),
}
