"""Who may open the follow-up and course pages.

Follow-ups are clinical: dermatologists only. The course at a glance is for dermatologists and
the front desk (the desk's version has no clinical detail). The portal's course is the patient's
own plan only: a fresh patient user owns no plan, so every id answers 404 (the 200 is tested in
test_course_page).
"""

from django.utils import timezone

from clinic.models import Role
from tests.treatments.followups.factories import course_plan, recorded_follow_up
from tests.url_expectations import DERM, DESK_AND_DERM, PATIENT, Case


def _plan(request):
    return {"plan_pk": course_plan().pk}


def _course(request):
    return {"pk": course_plan().pk}


def _follow_up(request):
    follow_up = recorded_follow_up(
        course_plan(),
        reviewed_on=timezone.localdate(),
        scores={"melasma": 2, "hyperpigmentation": 1},
    )
    return {"pk": follow_up.pk}


CASES = {
    "treatments:followup_new": Case(allowed=DERM, kwargs=_plan),
    "treatments:followup_detail": Case(allowed=DERM, kwargs=_follow_up),
    "treatments:course": Case(allowed=DESK_AND_DERM, kwargs=_course),
    "treatments:portal_course": Case(allowed=PATIENT, kwargs=_course, per_role={Role.PATIENT: 404}),
}
