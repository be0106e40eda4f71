from tests.factories import PatientFactory
from tests.url_expectations import ALL, DESK_AND_DERM, Case


def _patient(request):
    return {"pk": PatientFactory().pk}


CASES = {
    "patients:portal_invite": Case(allowed=DESK_AND_DERM, kwargs=_patient, method="post", ok=302),
    "patients:education": Case(allowed=ALL),
    # A bad or used link says so on a page anyone may open.
    "portal_activate": Case(public=True, kwargs={"uidb64": "MQ", "token": "used-or-bad"}),
}
