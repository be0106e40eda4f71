"""Who may open the portal, worklist and request pages.

The portal pages are the patient's own: staff get 403. The permission test's patient user is made
fresh, with no Patient record, so it gets 404 on every portal page (even on records created here,
which belong to other patients); the 200 for a patient reaching their own records is tested in
this folder's view tests.
"""

from clinic.models import Role
from tests.treatments.portal.factories import (
    AppointmentFactory,
    change_request,
    completed_session,
    worklist_item_for,
)
from tests.url_expectations import DERM, DESK_AND_DERM, PATIENT, Case

NO_PATIENT_RECORD = {Role.PATIENT: 404}


def _appointment(request):
    return {"pk": AppointmentFactory().pk}


def _session(request):
    return {"pk": completed_session().pk}


def _plan(request):
    return {"pk": completed_session().plan_id}


def _worklist_item(request):
    # Unassigned, so on every dermatologist's worklist (a colleague's item answers 404:
    # test_worklist).
    return {"pk": worklist_item_for(completed_session(), assigned_to=None).pk}


def _request(request):
    return {"pk": change_request().pk}


CASES = {
    "treatments:portal_appointments": Case(allowed=PATIENT, per_role=NO_PATIENT_RECORD),
    "treatments:portal_change_request": Case(
        allowed=PATIENT, kwargs=_appointment, per_role=NO_PATIENT_RECORD
    ),
    "treatments:portal_sessions": Case(allowed=PATIENT, per_role=NO_PATIENT_RECORD),
    "treatments:portal_skin_report": Case(
        allowed=PATIENT, kwargs=_session, per_role=NO_PATIENT_RECORD
    ),
    "treatments:portal_rating": Case(allowed=PATIENT, kwargs=_plan, per_role=NO_PATIENT_RECORD),
    # Marking a worklist item done, with what was done, answers with the way back to the home page.
    "treatments:worklist_item_done": Case(
        allowed=DERM,
        kwargs=_worklist_item,
        method="post",
        data={"outcome": "Called the patient: settling."},
        ok=302,
    ),
    "treatments:change_requests": Case(allowed=DESK_AND_DERM),
    "treatments:change_request_handle": Case(allowed=DESK_AND_DERM, kwargs=_request),
}
