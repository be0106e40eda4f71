"""Who may open the registry, chart, screen and consent pages (issue 3)."""

from tests.factories import ConsentFactory, PatientFactory, ScreenFactory
from tests.url_expectations import DERM, DESK_AND_DERM, Case


def _patient(request):
    return {"pk": PatientFactory().pk}


def _screen(request):
    screen = ScreenFactory()
    return {"pk": screen.patient_id, "screen_pk": screen.pk}


def _consent_kind(request):
    return {"pk": PatientFactory().pk, "kind": "treatment"}


def _consent(request):
    consent = ConsentFactory()
    return {"pk": consent.patient_id, "consent_pk": consent.pk}


CASES = {
    "patients:list": Case(allowed=DESK_AND_DERM),
    "patients:register": Case(allowed=DESK_AND_DERM),
    "patients:detail": Case(allowed=DESK_AND_DERM, kwargs=_patient),
    "patients:edit": Case(allowed=DESK_AND_DERM, kwargs=_patient),
    "patients:archive": Case(allowed=DESK_AND_DERM, kwargs=_patient, method="post", ok=302),
    "patients:unarchive": Case(allowed=DESK_AND_DERM, kwargs=_patient, method="post", ok=302),
    "patients:screen_new": Case(allowed=DERM, kwargs=_patient),
    "patients:screen_detail": Case(allowed=DERM, kwargs=_screen),
    "patients:consent_sign": Case(allowed=DESK_AND_DERM, kwargs=_consent_kind),
    "patients:consent_revoke": Case(allowed=DESK_AND_DERM, kwargs=_consent),
}
