"""Who may open the portal's booking pages: the patient's own (staff 403). The permission test's
patient has no Patient record, so every page answers 404; records made here are other patients'.
The 200s for a patient's own records are this folder's view tests."""

from clinic.models import Role
from tests.treatments.portal.factories import AppointmentFactory
from tests.treatments.scheduling.factories import ready_plan
from tests.url_expectations import PATIENT, Case

NO_PATIENT_RECORD = {Role.PATIENT: 404}


def _appointment(request):
    return {"pk": AppointmentFactory().pk}


def _plan(request):
    return {"pk": ready_plan().pk}


CASES = {
    "treatments:portal_book": Case(allowed=PATIENT, per_role=NO_PATIENT_RECORD),
    "treatments:portal_book_plan": Case(allowed=PATIENT, kwargs=_plan, per_role=NO_PATIENT_RECORD),
    "treatments:portal_appointment_move": Case(
        allowed=PATIENT, kwargs=_appointment, per_role=NO_PATIENT_RECORD
    ),
    "treatments:portal_appointment_cancel": Case(
        allowed=PATIENT, kwargs=_appointment, per_role=NO_PATIENT_RECORD
    ),
}
