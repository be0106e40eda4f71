"""Twilio's inbound webhook: signed replies STOP, START and C act; anything unsigned is 403."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from twilio.request_validator import RequestValidator

from tests.treatments.sms import fake_twilio
from tests.treatments.sms.factories import texting_appointment, texting_patient
from treatments.models import (
    AppointmentConfirmation,
    ContactPreference,
    MessageKind,
    OutboundMessage,
)
from treatments.services import messaging, sms
from treatments.services.calendar import load_entries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_signed")]
URL = reverse("treatments:sms_inbound")


@pytest.fixture
def _signed():
    with override_settings(TWILIO_AUTH_TOKEN=fake_twilio.AUTH_TOKEN):
        yield


def _post(client, params, *, signature=None):
    if signature is None:
        signature = RequestValidator(fake_twilio.AUTH_TOKEN).compute_signature(
            settings.SITE_URL + URL, params
        )
    return client.post(URL, params, HTTP_X_TWILIO_SIGNATURE=signature)


def _reply(number, body):
    return {"From": number, "To": fake_twilio.FROM_NUMBER, "Body": body, "MessageSid": "SM1"}


def test_stop_stops_texts_and_start_resumes_them(client):
    patient = texting_patient()
    number = patient.mobile.as_e164

    response = _post(client, _reply(number, " stop "))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    preference = ContactPreference.objects.get(patient=patient)
    assert preference.texts_stopped_at is not None
    change = patient.contact_preference_changes.get()
    assert (change.via, change.texts_stopped, change.by) == ("reply", True, None)
    assert change.note == f"Replied STOP from {number}"

    _post(client, _reply(number, "START"))

    preference.refresh_from_db()
    assert preference.texts_stopped_at is None
    assert patient.contact_preference_changes.count() == 2


def test_a_bad_signature_is_refused_and_changes_nothing(client):
    patient = texting_patient()

    response = _post(client, _reply(patient.mobile.as_e164, "STOP"), signature="forged")

    assert response.status_code == 403
    assert ContactPreference.objects.get(patient=patient).texts_stopped_at is None


def test_a_signature_for_other_parameters_is_refused(client):
    patient = texting_patient()
    signed_for = _reply(patient.mobile.as_e164, "START")
    signature = RequestValidator(fake_twilio.AUTH_TOKEN).compute_signature(
        settings.SITE_URL + URL, signed_for
    )

    response = _post(client, _reply(patient.mobile.as_e164, "STOP"), signature=signature)

    assert response.status_code == 403


def test_without_an_auth_token_every_request_is_refused(client):
    patient = texting_patient()
    params = _reply(patient.mobile.as_e164, "STOP")
    with override_settings(TWILIO_AUTH_TOKEN=""):
        response = _post(client, params, signature="anything")
    assert response.status_code == 403


def test_c_confirms_the_appointment_the_text_was_about_and_the_calendar_says_so(client):
    appointment = texting_appointment()
    [text] = messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)
    assert messaging.deliver(text.pk) == "sent"

    _post(client, _reply(appointment.patient.mobile.as_e164, "C"))

    confirmation = AppointmentConfirmation.objects.get(appointment=appointment)
    assert confirmation.current
    [entry] = load_entries(type(appointment).objects.filter(pk=appointment.pk), dt.UTC)
    assert entry.status_label == "Booked, confirmed by text"

    # Moved since: the confirmation was for the old time, and the calendar no longer says it.
    type(appointment).objects.filter(pk=appointment.pk).update(schedule_version=2)
    [entry] = load_entries(type(appointment).objects.filter(pk=appointment.pk), dt.UTC)
    assert entry.status_label == "Booked"


def test_c_without_a_text_sent_confirms_nothing(client):
    appointment = texting_appointment()

    response = _post(client, _reply(appointment.patient.mobile.as_e164, "C"))

    assert response.status_code == 200
    assert not AppointmentConfirmation.objects.exists()


@pytest.mark.parametrize("number", ["+447700900999", "not a number", ""])
def test_an_unknown_or_malformed_sender_changes_nothing(client, number):
    patient = texting_patient()

    response = _post(client, _reply(number, "STOP"))

    assert response.status_code == 200
    assert ContactPreference.objects.get(patient=patient).texts_stopped_at is None


def test_stop_then_the_reminder_is_not_texted(client):
    appointment = texting_appointment()
    messaging.appointment_changed(appointment.pk, "booked")
    _post(client, _reply(appointment.patient.mobile.as_e164, "STOP"))
    reminder = OutboundMessage.objects.get(kind="reminder")

    OutboundMessage.objects.filter(pk=reminder.pk).update(send_after=reminder.created_at)
    assert messaging.deliver(reminder.pk) == "skipped"
    assert sms.outbox == []


def test_the_webhook_answers_only_post(client):
    assert client.get(URL).status_code == 405
