"""A patient moves or cancels in the portal outside the clinic's notice window (24 hours unless
it sets another); inside it they ask the desk, told why. Every change sends its email once."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.treatments.scheduling.factories import MONDAY, NOW, at
from treatments.models import Appointment, AppointmentStatus, ChangeRequest, OutboundMessage

pytestmark = pytest.mark.django_db

THURSDAY = MONDAY + dt.timedelta(days=3)


def offered(response) -> list[str]:
    return re.findall(r'name="slot" id="[^"]+" value="([^"]+)"', response.content.decode())


def move_url(appointment):
    return reverse("treatments:portal_appointment_move", args=[appointment.pk])


def cancel_url(appointment):
    return reverse("treatments:portal_appointment_cancel", args=[appointment.pk])


@pytest.fixture
def consultation(world, django_capture_on_commit_callbacks):
    """A consultation on Thursday, its confirmation sent."""
    with django_capture_on_commit_callbacks(execute=True):
        return world.book(at(THURSDAY, 11), appointment_type=world.consultation, now=NOW)


@pytest.fixture
def this_afternoon(world):
    """An appointment this afternoon, 7 hours away: inside the 24-hour notice window."""
    return world.book(at(MONDAY, 15), appointment_type=world.consultation, now=NOW)


def test_the_appointments_page_offers_move_and_cancel_outside_the_window(
    patient_client, consultation, this_afternoon
):
    page = patient_client.get(reverse("treatments:portal_appointments")).content.decode()
    assert move_url(consultation) in page and cancel_url(consultation) in page
    assert move_url(this_afternoon) not in page
    assert "less than 24 hours" in page
    assert reverse("treatments:portal_change_request", args=[this_afternoon.pk]) in page


def test_a_patient_cancels_outside_the_window_and_is_told_once(
    patient_client, consultation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(cancel_url(consultation), {"reason": "Away that week"})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == AppointmentStatus.CANCELLED
    assert not consultation.late_cancellation
    assert "Away that week" in consultation.cancel_reason
    cancelled = OutboundMessage.objects.filter(appointment=consultation, kind="cancelled")
    assert cancelled.count() == 1
    # The confirmation and the consultation's intake request, then the cancellation notice.
    assert len(mailoutbox) == 3
    assert "a few questions" in mailoutbox[1].subject
    assert "cancel" in mailoutbox[2].subject.lower()
    # Sending it again changes nothing and sends nothing more.
    again = patient_client.post(cancel_url(consultation), {"reason": "Away that week"})
    assert again.status_code == 200
    assert cancelled.count() == 1


def test_a_cancellation_needs_a_reason(patient_client, consultation):
    response = patient_client.post(cancel_url(consultation), {"reason": "  "})
    assert response.status_code == 200
    assert "Say why you are cancelling" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == AppointmentStatus.BOOKED


def test_inside_the_window_the_patient_asks_the_desk_and_sees_why(patient_client, this_afternoon):
    page = patient_client.get(cancel_url(this_afternoon)).content.decode()
    assert "less than 24 hours" in page
    assert reverse("treatments:portal_change_request", args=[this_afternoon.pk]) in page
    forced = patient_client.post(cancel_url(this_afternoon), {"reason": "Ill"})
    assert forced.status_code == 200
    this_afternoon.refresh_from_db()
    assert this_afternoon.status == AppointmentStatus.BOOKED
    forced_move = patient_client.post(move_url(this_afternoon), {"slot": "x"})
    assert forced_move.status_code == 200
    assert not ChangeRequest.objects.exists()


def test_the_clinic_sets_the_notice_window(patient_client, world, consultation):
    world.clinic.notice_hours = 24 * 5
    world.clinic.save()
    page = patient_client.get(cancel_url(consultation)).content.decode()
    assert "less than 120 hours" in page
    patient_client.post(cancel_url(consultation), {"reason": "Away"})
    consultation.refresh_from_db()
    assert consultation.status == AppointmentStatus.BOOKED


def test_a_patient_moves_to_an_offered_time_and_is_told_once(
    patient_client, consultation, django_capture_on_commit_callbacks
):
    choices = offered(patient_client.get(move_url(consultation)))
    target = choices[-1]
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(move_url(consultation), {"slot": target})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.starts_at == dt.datetime.fromisoformat(target.split("|")[0])
    assert OutboundMessage.objects.filter(appointment=consultation, kind="moved").count() == 1


def test_a_session_moves_only_to_times_that_keep_the_interval(patient_client, world):
    first = world.book(
        at(MONDAY + dt.timedelta(days=2), 10),
        appointment_type=world.microneedling,
        plan=world.plan,
        now=NOW,
    )
    second_day = MONDAY + dt.timedelta(days=2 + 50)
    second = world.book(
        at(second_day, 10), appointment_type=world.microneedling, plan=world.plan, now=NOW
    )
    near = second_day - dt.timedelta(days=10)  # 40 days after the first: inside 42
    days = {
        dt.datetime.fromisoformat(v.split("|")[0]).date()
        for v in offered(patient_client.get(move_url(second), {"week": near.isoformat()}))
    }
    assert days and all((d - (MONDAY + dt.timedelta(days=2))).days >= 42 for d in days)
    forged = f"{at(near, 10).isoformat()}|{world.hart.pk}|{world.room_a.pk}"
    response = patient_client.post(move_url(second), {"slot": forged})
    assert response.status_code == 200
    assert "too soon after another session" in response.content.decode()
    second.refresh_from_db()
    assert second.starts_at == at(second_day, 10)
    assert first.pk != second.pk


def test_another_patients_appointment_answers_404(patient_client, world):
    from tests.factories import PatientFactory

    theirs = world.book(
        at(THURSDAY, 15), patient=PatientFactory(), appointment_type=world.consultation, now=NOW
    )
    assert patient_client.get(move_url(theirs)).status_code == 404
    assert patient_client.post(cancel_url(theirs), {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AppointmentStatus.BOOKED
    assert Appointment.objects.count() == 1
