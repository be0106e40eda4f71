"""A dermatologist opens the session record from a checked-in treatment appointment."""

import pytest
from django.urls import reverse

from clinic.models import AppointmentType, Role
from tests.treatments.sessions.factories import checked_in_appointment
from treatments.models import AppointmentStatus, PlanState, SessionStatus, TreatmentSession

pytestmark = pytest.mark.django_db


def _start(client, appointment):
    return client.post(reverse("treatments:session_start", args=[appointment.pk]))


def test_dermatologist_starts_the_session_of_a_checked_in_appointment(client, derm):
    appointment = checked_in_appointment()
    client.force_login(derm)

    response = _start(client, appointment)

    session = TreatmentSession.objects.get(appointment=appointment)
    assert response.status_code == 302
    assert response["Location"] == reverse("treatments:session_detail", args=[session.pk])
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.clinician == derm
    assert session.plan == appointment.plan
    assert session.patient == appointment.patient


def test_starting_again_resumes_the_same_session(client, derm):
    appointment = checked_in_appointment()
    client.force_login(derm)
    _start(client, appointment)
    response = _start(client, appointment)
    session = TreatmentSession.objects.get(appointment=appointment)
    assert response["Location"] == reverse("treatments:session_detail", args=[session.pk])
    assert TreatmentSession.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (AppointmentStatus.BOOKED, "Check the patient in first: the appointment is booked."),
        (AppointmentStatus.NO_SHOW, "Check the patient in first: the appointment is no-show."),
        (AppointmentStatus.CANCELLED, "Check the patient in first: the appointment is cancelled."),
    ],
)
def test_an_appointment_not_checked_in_has_no_session(client, derm, status, message):
    appointment = checked_in_appointment(status=status)
    client.force_login(derm)
    response = _start(client, appointment)
    assert response["Location"] == reverse("patients:detail", args=[appointment.patient_id])
    assert message in client.get(response["Location"]).text
    assert not TreatmentSession.objects.exists()


def test_a_consultation_has_no_session(client, derm):
    consultation = AppointmentType.objects.create(
        name="Consultation", kind=AppointmentType.Kind.CONSULTATION, duration_minutes=45
    )
    appointment = checked_in_appointment(appointment_type=consultation)
    client.force_login(derm)
    response = client.post(reverse("treatments:session_start", args=[appointment.pk]), follow=True)
    assert "has no treatment session record" in response.text
    assert not TreatmentSession.objects.exists()


def test_a_cancelled_plan_has_no_new_session(client, derm):
    appointment = checked_in_appointment(state=PlanState.CANCELLED, cancel_reason="Moved away")
    client.force_login(derm)
    response = client.post(reverse("treatments:session_start", args=[appointment.pk]), follow=True)
    assert "The plan is cancelled: no session can be recorded on it." in response.text
    assert not TreatmentSession.objects.exists()


def test_an_unknown_appointment_is_404(client, derm):
    client.force_login(derm)
    assert client.post(reverse("treatments:session_start", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_only_dermatologists_start_sessions(client_for, role):
    appointment = checked_in_appointment()
    assert _start(client_for(role), appointment).status_code == 403
    assert not TreatmentSession.objects.exists()


def test_starting_needs_a_post(client, derm):
    appointment = checked_in_appointment()
    client.force_login(derm)
    response = client.get(reverse("treatments:session_start", args=[appointment.pk]))
    assert response.status_code == 405
