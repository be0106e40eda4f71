"""Who may open the intake pages: the patient their own consultation's (the permission test's
patient login has no record: 404), a dermatologist any; the desk sees the status on the schedule
only (403)."""

from clinic.models import Role
from tests.treatments.intake.factories import consultation, submitted_intake
from tests.url_expectations import DERM, PATIENT, Case


def _consultation(request):
    return {"pk": consultation().pk}


def _submitted(request):
    return {"pk": submitted_intake().appointment_id}


CASES = {
    "treatments:portal_intake": Case(
        allowed=PATIENT, kwargs=_consultation, per_role={Role.PATIENT: 404}
    ),
    # Confirming answers with the screen it made.
    "treatments:intake_review": Case(
        allowed=DERM, kwargs=_submitted, method="post", data={"note": ""}, ok=302
    ),
}
