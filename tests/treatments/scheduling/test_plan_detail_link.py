"""The plan page links to booking its course while the plan is bookable and has unbooked
sessions (templates/treatments/plans/detail.html)."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.treatments.scheduling.factories import MONDAY, at, ready_plan
from treatments.models import PlanState

pytestmark = pytest.mark.django_db


def link_shown(client_for, plan) -> bool:
    page = client_for(Role.DERMATOLOGIST).get(reverse("treatments:plan_detail", args=[plan.pk]))
    return reverse("treatments:course_preview", args=[plan.pk]) in page.text


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (PlanState.DRAFT, False),
        (PlanState.PLANNED, True),
        (PlanState.IN_TREATMENT, True),
        (PlanState.FOLLOW_UP, True),
        (PlanState.COMPLETED, False),
    ],
)
def test_the_link_follows_the_plans_state(db, client_for, state, shown):
    assert link_shown(client_for, ready_plan(state=state)) is shown


def test_no_link_once_every_session_is_booked(world, client_for):
    for n in range(3):
        world.book(
            at(MONDAY + dt.timedelta(days=42 * n), 10),
            appointment_type=world.microneedling,
            plan=world.plan,
        )
    assert link_shown(client_for, world.plan)
    world.book(
        at(MONDAY + dt.timedelta(days=126), 10),
        appointment_type=world.microneedling,
        plan=world.plan,
    )
    assert not link_shown(client_for, world.plan)


def test_a_follow_up_review_does_not_fill_a_session_place(world, client_for):
    for n in range(3):
        world.book(
            at(MONDAY + dt.timedelta(days=42 * n), 10),
            appointment_type=world.microneedling,
            plan=world.plan,
        )
    world.book(
        at(MONDAY + dt.timedelta(days=7), 11), appointment_type=world.review, plan=world.plan
    )
    assert link_shown(client_for, world.plan)
