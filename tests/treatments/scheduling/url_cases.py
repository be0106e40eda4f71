"""Who may open the booking pages: the front desk and dermatologists book; patients and
the clinic manager get 403 (the manager does not book, and a patient sees no staff page)."""

from tests.factories import PatientFactory
from tests.treatments.scheduling.factories import MONDAY, NOW, at, make_clinic
from tests.url_expectations import DESK_AND_DERM, Case


def _patient(request):
    return {"patient_pk": PatientFactory().pk}


def _plan(request):
    return {"plan_pk": make_clinic().plan.pk}


def _appointment(request):
    return {"pk": make_clinic().book(at(MONDAY, 10), now=NOW).pk}


CASES = {
    "treatments:appointment_new": Case(allowed=DESK_AND_DERM, kwargs=_patient),
    "treatments:slot_search": Case(allowed=DESK_AND_DERM, kwargs=_patient),
    "treatments:course_preview": Case(allowed=DESK_AND_DERM, kwargs=_plan),
    "treatments:appointment_detail": Case(allowed=DESK_AND_DERM, kwargs=_appointment),
    "treatments:appointment_move": Case(allowed=DESK_AND_DERM, kwargs=_appointment),
    "treatments:appointment_cancel": Case(allowed=DESK_AND_DERM, kwargs=_appointment),
    "treatments:appointment_status": Case(
        allowed=DESK_AND_DERM,
        kwargs=_appointment,
        method="post",
        data={"action": "check_in"},
        ok=302,
    ),
}
