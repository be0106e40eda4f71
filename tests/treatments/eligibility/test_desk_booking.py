"""The desk's booking asks the one eligibility rule (treatments.services.eligibility,
docs/clinical-rules.md §Who may book what): no second copy in the booking service or view."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from patients.models import Screen
from tests.factories import PatientFactory, ScreenFactory
from tests.treatments.scheduling.factories import MONDAY, at
from treatments.models import Appointment

pytestmark = pytest.mark.django_db

NEXT_WEEK = MONDAY + dt.timedelta(days=7)


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_a_session_needs_a_screen_within_the_clinics_validity(world):
    Screen.objects.filter(patient=world.patient).update(screened_on=MONDAY - dt.timedelta(days=90))
    with pytest.raises(ValidationError) as refused:
        world.book(at(NEXT_WEEK, 10), appointment_type=world.microneedling, plan=world.plan)
    assert codes(refused.value) == {"screen_out_of_date"}
    assert not Appointment.objects.exists()


def test_the_clinic_sets_how_long_a_screen_stays_current(world):
    Screen.objects.filter(patient=world.patient).update(screened_on=MONDAY - dt.timedelta(days=90))
    world.clinic.screen_valid_days = 120
    world.clinic.save()
    appointment = world.book(
        at(NEXT_WEEK, 10), appointment_type=world.microneedling, plan=world.plan
    )
    assert appointment.plan == world.plan


def test_no_session_while_the_latest_screen_blocks_the_route(world):
    ScreenFactory(patient=world.patient, keloid_history=True)
    with pytest.raises(ValidationError) as refused:
        world.book(at(NEXT_WEEK, 10), appointment_type=world.microneedling, plan=world.plan)
    assert codes(refused.value) == {"route_blocked"}


def test_a_new_patient_books_a_consultation_before_a_review(world):
    newcomer = PatientFactory()
    with pytest.raises(ValidationError) as refused:
        world.book(at(NEXT_WEEK, 10), patient=newcomer, appointment_type=world.review)
    assert codes(refused.value) == {"consultation_first"}
    world.book(at(NEXT_WEEK, 10), patient=newcomer, appointment_type=world.consultation)
    review = world.book(at(NEXT_WEEK, 14), patient=newcomer, appointment_type=world.review)
    assert review.patient == newcomer


def test_the_booking_page_shows_the_refusal_at_the_plan(client, world):
    Screen.objects.filter(patient=world.patient).update(screened_on=MONDAY - dt.timedelta(days=200))
    client.force_login(world.desk)
    response = client.post(
        reverse("treatments:appointment_new", args=[world.patient.pk]),
        {
            "step": "confirm",
            "book-type": world.microneedling.pk,
            "book-plan": world.plan.pk,
            "book-practitioner": world.hart.pk,
            "book-room": world.room_a.pk,
            "book-starts_at": at(NEXT_WEEK, 10).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "needs a contraindication screen from the last 90 days" in response.content.decode()
    assert not Appointment.objects.exists()
