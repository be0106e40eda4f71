"""treatments:appointment_cancel: a required reason; under 24 hours before the start the page
says it will be a late cancellation, and it is marked so."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.treatments.scheduling.factories import MONDAY, at
from treatments.models import Appointment, AppointmentStatus
from treatments.services import scheduling

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)
LATE = "This is a late cancellation"


def url(appointment):
    return reverse("treatments:appointment_cancel", args=[appointment.pk])


@pytest.fixture
def desk(world, client):
    client.force_login(world.desk)
    return client


def test_more_than_24_hours_ahead_is_not_late(world, desk):
    appointment = world.book(at(TUESDAY, 10))  # 26 hours ahead
    page = desk.get(url(appointment))
    assert page.status_code == 200
    assert LATE not in page.text
    response = desk.post(url(appointment), {"reason": "Diary clash"})
    assert response.status_code == 302
    cancelled = Appointment.objects.get()
    assert cancelled.status == AppointmentStatus.CANCELLED
    assert not cancelled.late_cancellation
    assert cancelled.cancel_reason == "Diary clash"
    assert "Appointment cancelled." in desk.get(response["Location"]).text


def test_under_24_hours_ahead_is_said_before_and_marked_late(world, desk):
    appointment = world.book(at(MONDAY, 11))  # three hours ahead
    page = desk.get(url(appointment))
    assert LATE in page.text
    assert "(less than 24 hours before)" in page.text
    response = desk.post(url(appointment), {"reason": "Childcare fell through"})
    assert Appointment.objects.get().late_cancellation
    assert "It was a late cancellation." in desk.get(response["Location"]).text


def test_exactly_24_hours_ahead_is_not_late(world, desk, frozen):
    appointment = world.book(at(TUESDAY, 9))
    frozen.move_to(at(MONDAY, 9))
    assert LATE not in desk.get(url(appointment)).text
    desk.post(url(appointment), {"reason": "Unwell"})
    assert not Appointment.objects.get().late_cancellation


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required_and_nothing_changes(world, desk, reason):
    appointment = world.book(at(TUESDAY, 10))
    response = desk.post(url(appointment), {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Say why the appointment is cancelled."]
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED


def test_a_completed_appointment_cannot_be_cancelled(world, desk):
    appointment = world.book(at(TUESDAY, 10))
    scheduling.appointment_check_in(appointment=appointment, by=world.desk, now=at(TUESDAY, 9, 55))
    scheduling.appointment_complete(appointment=appointment, by=world.desk)
    page = desk.get(url(appointment))
    assert "A completed appointment cannot be cancelled." in page.text
    response = desk.post(url(appointment), {"reason": "Oops"})
    assert "A completed appointment cannot be cancelled." in response.text
    assert Appointment.objects.get().status == AppointmentStatus.COMPLETED


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_patients_and_managers_get_403(world, client_for, role):
    appointment = world.book(at(TUESDAY, 10))
    client = client_for(role)
    assert client.get(url(appointment)).status_code == 403
    assert client.post(url(appointment), {"reason": "x"}).status_code == 403
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED


def test_unknown_appointment_is_404(desk):
    assert desk.get(reverse("treatments:appointment_cancel", args=[999999])).status_code == 404


def test_put_is_405(world, desk):
    assert desk.put(url(world.book(at(TUESDAY, 10)))).status_code == 405
