from clinic.models import Role
from tests.factories import PatientFactory
from tests.url_expectations import ALL, DESK_AND_DERM, PATIENT, Case

#: The permission test's patient login has no patient record: 404 (tests/patients/portal/
#: test_portal_consents.py serves a patient their own).
NO_PATIENT_RECORD = {Role.PATIENT: 404}


def _patient(request):
    return {"pk": PatientFactory().pk}


CASES = {
    "patients:portal_consents": Case(allowed=PATIENT, per_role=NO_PATIENT_RECORD),
    "patients:portal_consent_sign": Case(
        allowed=PATIENT, kwargs={"kind": "treatment"}, per_role=NO_PATIENT_RECORD
    ),
    "patients:portal_invite": Case(allowed=DESK_AND_DERM, kwargs=_patient, method="post", ok=302),
    "patients:education": Case(allowed=ALL),
    # A bad or used link says so on a page anyone may open.
    "portal_activate": Case(public=True, kwargs={"uidb64": "MQ", "token": "used-or-bad"}),
}
