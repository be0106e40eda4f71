"""Follow-ups on the chart timeline: the dermatologist's, linked; nothing for the desk."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from patients import timeline
from tests.treatments.followups.factories import course_plan, recorded_follow_up
from treatments.services import followups

pytestmark = pytest.mark.django_db



def test_the_dermatologist_sees_each_follow_up_linked():
    plan = course_plan()
    follow_up = recorded_follow_up(
        plan, reviewed_on=dt.date(2026, 3, 2), scores={"melasma": 1}, decision="complete", gais=1
    )
    (entry,) = followups.follow_up_entries(plan.patient, Role.DERMATOLOGIST)
    assert entry.when == dt.date(2026, 3, 2)
    assert entry.kind == "Follow-up"
    assert entry.title == "Follow-up: very much improved (clinician's GAIS)"
    assert entry.detail == "Decision: complete the course"
    assert entry.url == reverse("treatments:followup_detail", args=[follow_up.pk])


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT, Role.MANAGER])
def test_other_roles_get_nothing(role):
    plan = course_plan()
    recorded_follow_up(plan, reviewed_on=dt.date(2026, 3, 2), scores={"melasma": 1})
    assert followups.follow_up_entries(plan.patient, role) == []


def test_the_provider_is_registered_once():
    assert timeline.PROVIDERS.count(followups.follow_up_entries) == 1
