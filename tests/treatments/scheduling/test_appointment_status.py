"""treatments:appointment_status: check in, no-show, complete, through the scheduling services;
a refused change is said in a message and changes nothing."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.treatments.scheduling.factories import MONDAY, at
from treatments.models import (
    Appointment,
    AppointmentStatus,
    PlanState,
    TreatmentPlan,
    TreatmentSession,
)
from treatments.services import scheduling

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def url(appointment):
    return reverse("treatments:appointment_status", args=[appointment.pk])


@pytest.fixture
def desk(world, client):
    client.force_login(world.desk)
    return client


def follow(client, response):
    return client.get(response["Location"]).text


def test_check_in(world, desk, frozen):
    appointment = world.book(at(MONDAY, 10))
    frozen.move_to(at(MONDAY, 9, 52))
    response = desk.post(url(appointment), {"action": "check_in"})
    assert response["Location"] == reverse("treatments:appointment_detail", args=[appointment.pk])
    changed = Appointment.objects.get()
    assert changed.status == AppointmentStatus.CHECKED_IN
    assert changed.checked_in_at == at(MONDAY, 9, 52)
    assert f"{world.patient.full_name}: Checked in at 09:52." in follow(desk, response)


def test_a_session_a_week_ahead_is_not_checked_in(world, desk):
    appointment = world.book(at(MONDAY + dt.timedelta(days=7), 10))
    response = desk.post(url(appointment), {"action": "check_in"})
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    assert Appointment.objects.get().checked_in_at is None
    assert (
        "A patient is checked in on the day of their appointment: this one is on Monday 22 June "
        "2026." in follow(desk, response)
    )


def test_complete_after_check_in(world, desk):
    appointment = world.book(at(MONDAY, 10))
    desk.post(url(appointment), {"action": "check_in"})
    response = desk.post(url(appointment), {"action": "complete"})
    assert Appointment.objects.get().status == AppointmentStatus.COMPLETED
    assert "Marked as completed." in follow(desk, response)


def test_no_show_after_the_start(world, desk, frozen):
    appointment = world.book(at(MONDAY, 10))
    frozen.move_to(at(MONDAY, 10, 30))
    response = desk.post(url(appointment), {"action": "no_show"})
    assert Appointment.objects.get().status == AppointmentStatus.NO_SHOW
    assert "Marked as no-show." in follow(desk, response)


def test_no_show_before_the_start_is_refused_with_a_message(world, desk):
    appointment = world.book(at(MONDAY, 10))
    response = desk.post(url(appointment), {"action": "no_show"})
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    assert "A patient can be marked as not shown only after the start time." in follow(
        desk, response
    )


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_a_forced_completion_of_a_treatment_is_refused_and_changes_nothing(
    world, client_for, role
):
    """A treatment appointment is completed only by completing its session record (lot, depth,
    aftercare): a forced POST is refused with a message, and the appointment, its history and the
    plan stay as they were."""
    appointment = world.book(at(TUESDAY, 10), appointment_type=world.microneedling, plan=world.plan)
    scheduling.appointment_check_in(
        appointment=appointment, by=world.desk, now=at(TUESDAY, 9, 50), clinic=world.clinic
    )
    versions = appointment.history.count()
    client = client_for(role)
    response = client.post(url(appointment), {"action": "complete"})
    page = follow(client, response)
    assert (
        "A treatment appointment is completed by completing its treatment session record"
        in html.unescape(page)
    )
    assert "Marked as completed." not in page
    stored = Appointment.objects.get(pk=appointment.pk)
    assert stored.status == AppointmentStatus.CHECKED_IN
    assert stored.history.count() == versions
    assert not TreatmentSession.objects.exists()
    assert TreatmentPlan.objects.get(pk=world.plan.pk).state == PlanState.PLANNED


def test_completing_a_booked_appointment_is_refused(world, desk):
    appointment = world.book(at(MONDAY, 10))
    response = desk.post(url(appointment), {"action": "complete"})
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    assert "A booked appointment cannot be marked completed." in follow(desk, response)


def test_an_unknown_action_changes_nothing(world, desk):
    appointment = world.book(at(MONDAY, 10))
    response = desk.post(url(appointment), {"action": "delete"})
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    assert "Choose check in, no-show or completed." in follow(desk, response)


def test_next_returns_to_a_page_of_this_site(world, desk):
    appointment = world.book(at(MONDAY, 10))
    response = desk.post(url(appointment), {"action": "check_in", "next": "/treatments/?day=1"})
    assert response["Location"] == "/treatments/?day=1"


def test_next_never_leaves_the_site(world, desk):
    appointment = world.book(at(MONDAY, 10))
    response = desk.post(url(appointment), {"action": "check_in", "next": "https://evil.test/"})
    assert response["Location"] == reverse("treatments:appointment_detail", args=[appointment.pk])


def test_get_is_405(world, desk):
    assert desk.get(url(world.book(at(MONDAY, 10)))).status_code == 405


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_patients_and_managers_get_403(world, client_for, role):
    appointment = world.book(at(MONDAY, 10))
    assert client_for(role).post(url(appointment), {"action": "check_in"}).status_code == 403
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED


def test_unknown_appointment_is_404(desk):
    response = desk.post(reverse("treatments:appointment_status", args=[999999]))
    assert response.status_code == 404
