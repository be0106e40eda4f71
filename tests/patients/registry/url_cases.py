"""Who may open the registry, chart, screen, consent and merge pages."""

from clinic.models import Role
from tests.factories import ConsentFactory, PatientFactory, ScreenFactory, UserFactory
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


def _pending_merge(request):
    from patients.services import merges

    survivor, duplicate = PatientFactory(), PatientFactory()
    ScreenFactory(patient=survivor)
    ScreenFactory(patient=duplicate)
    desk = UserFactory(role=Role.FRONT_DESK)
    return {"pk": merges.merge_request(survivor=survivor, merged=duplicate, by=desk).pk}


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
    # Without a tablet handed over there is nothing to show: back to the home page.
    "patients:handover": Case(allowed=DESK_AND_DERM, ok=302),
    "patients:merge": Case(allowed=DESK_AND_DERM, kwargs=_patient),
    "patients:merge_list": Case(allowed=DERM),
    # A decision with no choice is a form error (400); a decided or hidden merge is 404.
    "patients:merge_decide": Case(
        allowed=DERM, kwargs=_pending_merge, method="post", data={}, ok=400
    ),
}
