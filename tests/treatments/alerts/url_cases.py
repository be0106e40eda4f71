"""Who may open the alert pages: any dermatologist handles an alert; the portal's report page is
the patient's (the permission test's patient user has no Patient record, hence 404)."""

from clinic.models import Role
from tests.treatments.alerts.factories import alert
from tests.url_expectations import DERM, PATIENT, Case


def _alert(request):
    return {"pk": alert().pk}


CASES = {
    "treatments:alert_detail": Case(allowed=DERM, kwargs=_alert),
    "treatments:alert_texts": Case(allowed=DERM),
    "treatments:portal_report_reaction": Case(allowed=PATIENT, per_role={Role.PATIENT: 404}),
}
