"""Who may download a patient's record as FHIR: dermatologists (it is the clinical record)."""

from tests.factories import PatientFactory
from tests.url_expectations import DERM, Case


def _patient(request):
    return {"pk": PatientFactory().pk}


CASES = {
    "interop:patient_bundle": Case(allowed=DERM, kwargs=_patient),
}
