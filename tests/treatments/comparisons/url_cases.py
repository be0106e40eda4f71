"""Who may open the comparisons: any two photos of a patient for the dermatologist; the
portal's for the patient, of their own photos (a fresh patient user has no record: 404)."""

from clinic.models import Role
from tests.factories import PatientFactory
from tests.url_expectations import DERM, PATIENT, Case


def _patient(request):
    return {"patient_pk": PatientFactory().pk}


CASES = {
    "treatments:photo_compare": Case(allowed=DERM, kwargs=_patient),
    "treatments:portal_compare": Case(allowed=PATIENT, per_role={Role.PATIENT: 404}),
}
