"""The one count of a plan's booked sessions (``TreatmentPlan.booked_sessions()``, and its
annotation ``with_booked_sessions()``): treatment sessions that hold their time. A follow-up
review linked to the plan, a consultation or a cancelled session is not one; a no-show keeps its
place. And the practitioners who can be booked (``StaffProfile.objects.bookable()``)."""

import datetime as dt

import pytest

from clinic.models import Role, StaffProfile
from tests.factories import StaffProfileFactory, UserFactory
from tests.treatments.scheduling.factories import MONDAY, at
from treatments.models import Appointment, AppointmentStatus, TreatmentPlan
from treatments.services import course, course_facts, scheduling

pytestmark = pytest.mark.django_db


def test_only_treatment_sessions_that_hold_their_time_count(world):
    sessions = [
        world.book(
            at(MONDAY + dt.timedelta(days=42 * n), 10),
            appointment_type=world.microneedling,
            plan=world.plan,
        )
        for n in range(3)
    ]
    world.book(
        at(MONDAY + dt.timedelta(days=7), 11), appointment_type=world.review, plan=world.plan
    )
    world.book(
        at(MONDAY + dt.timedelta(days=8), 11), appointment_type=world.consultation, plan=world.plan
    )
    scheduling.appointment_cancel(appointment=sessions[2], reason="Unwell", by=world.desk)
    Appointment.objects.filter(pk=sessions[1].pk).update(status=AppointmentStatus.NO_SHOW)

    assert set(world.plan.booked_sessions()) == {sessions[0], sessions[1]}
    annotated = TreatmentPlan.objects.with_booked_sessions().get(pk=world.plan.pk)
    assert annotated.booked == 2
    assert world.plan.has_sessions_to_book()
    assert [
        place.visit.pk for place in course_facts.places_for(course.load_course(world.plan))[:2]
    ] == [
        sessions[0].pk,
        sessions[1].pk,
    ]


def test_a_plan_without_appointments_counts_none(world):
    assert TreatmentPlan.objects.with_booked_sessions().get(pk=world.plan.pk).booked == 0


def test_the_desk_home_lists_a_plan_whose_only_appointment_is_a_review(world):
    world.book(
        at(MONDAY + dt.timedelta(days=7), 11), appointment_type=world.review, plan=world.plan
    )
    [to_book] = course.courses_to_book()
    assert (to_book.plan, to_book.booked) == (world.plan, 0)


def test_bookable_practitioners_see_patients_and_can_log_in(world):
    StaffProfileFactory(user=UserFactory(role=Role.FRONT_DESK), is_practitioner=False)
    StaffProfileFactory(user=UserFactory(role=Role.DERMATOLOGIST, is_active=False))
    assert set(StaffProfile.objects.bookable()) == {world.hart, world.mehta}
