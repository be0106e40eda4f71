"""The patient's choice in the portal, the desk's page of a patient's messages, the failed
list and "Send again"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import PatientFactory, UserFactory
from tests.treatments.messaging.factories import AppointmentFactory, clinic
from tests.treatments.sms.factories import texting_appointment
from treatments.models import (
    ContactPreference,
    MessageChannel,
    MessageStatus,
    OutboundMessage,
)
from treatments.services import contact, sms

pytestmark = pytest.mark.django_db
PORTAL = reverse("treatments:portal_contact")


def _patient_client(client, **fields):
    user = UserFactory(role=Role.PATIENT)
    patient = PatientFactory(user=user, **fields)
    client.force_login(user)
    return patient


REFUSED = "Twilio refused the text: bad number (Twilio error 21211)"


def _failed_text(appointment=None, reason=REFUSED):
    appointment = appointment or texting_appointment()
    return OutboundMessage.objects.create(
        appointment=appointment,
        kind="confirmation",
        channel=MessageChannel.SMS,
        schedule_version=appointment.schedule_version,
        send_after=timezone.now(),
        status=MessageStatus.FAILED,
        attempts=1,
        last_error=reason,
    )


def test_the_patient_chooses_text_only_in_the_portal(client):
    patient = _patient_client(client)

    page = client.get(PORTAL)
    assert page.status_code == 200
    assert page.context["form"].initial == {"reminders": "email", "other": "email"}

    response = client.post(PORTAL, {"reminders": "sms", "other": "sms"})

    assert response.status_code == 302
    preference = ContactPreference.objects.get(patient=patient)
    assert (preference.reminders, preference.other) == ("sms", "sms")
    change = patient.contact_preference_changes.get()
    assert (change.via, change.by_id) == ("portal", patient.user_id)


def test_the_portal_refuses_a_value_it_does_not_offer(client):
    patient = _patient_client(client)

    response = client.post(PORTAL, {"reminders": "pigeon", "other": "sms"})

    assert response.status_code == 200
    assert "Choose email only, text only" in response.content.decode()
    assert not ContactPreference.objects.filter(patient=patient).exists()


def test_texts_without_a_mobile_are_refused_next_to_the_field(client):
    patient = _patient_client(client, mobile="")

    response = client.post(PORTAL, {"reminders": "both", "other": "email"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reminders": [contact.NEEDS_MOBILE]}
    assert not ContactPreference.objects.filter(patient=patient).exists()


def test_the_portal_shows_a_stop(client):
    patient = _patient_client(client)
    contact.texts_stop(patient=patient, note="Replied STOP")

    assert "You replied STOP" in client.get(PORTAL).content.decode()


def test_the_desk_sees_a_stop_and_failed_texts_on_the_record(client_for):
    failed = _failed_text()
    patient = failed.appointment.patient
    contact.texts_stop(patient=patient, note="Replied STOP from +44")
    desk = client_for(Role.FRONT_DESK)

    record = desk.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Texts stopped:" in record and "1 failed or bounced message." in record

    page = desk.get(reverse("treatments:patient_messages", args=[patient.pk])).content.decode()
    assert "Texts stopped" in page
    assert "bad number (Twilio error 21211)" in page
    assert "Send again" in page


def test_the_desk_records_the_patients_choice(client_for):
    patient = PatientFactory()
    desk = client_for(Role.FRONT_DESK)

    response = desk.post(
        reverse("treatments:patient_messages", args=[patient.pk]),
        {"reminders": "both", "other": "none"},
    )

    assert response.status_code == 302
    change = patient.contact_preference_changes.get()
    assert (change.via, change.reminders, change.other) == ("desk", "both", "none")


def test_the_failed_list_runs_a_bounded_number_of_queries(
    client_for, django_assert_max_num_queries
):
    clinic()
    for _ in range(3):
        _failed_text()
    desk = client_for(Role.FRONT_DESK)
    with django_assert_max_num_queries(10):
        few = desk.get(reverse("treatments:failed_messages"))
    for _ in range(10):
        _failed_text()
    with django_assert_max_num_queries(10):
        many = desk.get(reverse("treatments:failed_messages"))
    assert few.content.decode().count("Send again<") == 3
    assert many.content.decode().count("Send again<") == 13


def test_send_again_sends_a_failed_text_once(client_for, django_capture_on_commit_callbacks):
    failed = _failed_text()
    desk = client_for(Role.FRONT_DESK)
    url = reverse("treatments:message_resend", args=[failed.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(url, {"next": "patient"})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "treatments:patient_messages", args=[failed.appointment.patient_id]
    )
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT  # the test backend sends at once
    assert len(sms.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        again = desk.post(url)  # a second click, or a forced POST: nothing more goes
    assert again.status_code == 302
    assert len(sms.outbox) == 1
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT


def test_send_again_of_a_moved_appointments_text_sends_nothing(
    client_for, django_capture_on_commit_callbacks
):
    appointment = texting_appointment()
    failed = _failed_text(appointment)
    type(appointment).objects.filter(pk=appointment.pk).update(schedule_version=2)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(Role.FRONT_DESK).post(reverse("treatments:message_resend", args=[failed.pk]))

    failed.refresh_from_db()
    assert failed.status == MessageStatus.SKIPPED
    assert sms.outbox == []


def test_a_sent_message_cannot_be_sent_again(client_for):
    clinic()
    message = OutboundMessage.objects.create(
        appointment=AppointmentFactory(),
        kind="confirmation",
        schedule_version=1,
        send_after=timezone.now(),
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
    )

    response = client_for(Role.FRONT_DESK).post(
        reverse("treatments:message_resend", args=[message.pk]), follow=True
    )

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert "cannot become waiting to be sent" in response.content.decode().lower()


def test_the_manager_cannot_send_again(client_for):
    failed = _failed_text()
    response = client_for(Role.MANAGER).post(reverse("treatments:message_resend", args=[failed.pk]))
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.status == MessageStatus.FAILED
