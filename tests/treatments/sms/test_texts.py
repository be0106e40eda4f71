"""Which texts a booking queues, what they say, and the console and memory backends."""

import datetime as dt

import pytest
from django.test import override_settings

from clinic.lib.sms import segments
from tests.factories import PatientFactory
from tests.treatments.messaging.factories import AppointmentFactory, clinic
from tests.treatments.sms.factories import texting_appointment, texting_patient
from treatments.models import (
    Channels,
    ContactPreference,
    MessageChannel,
    MessageKind,
    MessageStatus,
    OutboundMessage,
)
from treatments.services import contact, messaging, sms, texting

pytestmark = pytest.mark.django_db


def _rows(appointment):
    return sorted(
        (m.kind, m.channel) for m in OutboundMessage.objects.filter(appointment=appointment)
    )


def test_a_patient_who_never_chose_gets_email_only():
    clinic()
    appointment = AppointmentFactory()

    messaging.appointment_changed(appointment.pk, "booked")

    assert _rows(appointment) == [("confirmation", "email"), ("reminder", "email")]


def test_text_only_queues_texts_and_no_email():
    appointment = texting_appointment()

    messaging.appointment_changed(appointment.pk, "booked")

    assert _rows(appointment) == [("confirmation", "sms"), ("reminder", "sms")]


def test_each_topic_has_its_own_channels():
    patient = texting_patient(reminders=Channels.BOTH, other=Channels.EMAIL)
    appointment = texting_appointment(patient=patient)

    messaging.appointment_changed(appointment.pk, "booked")

    assert _rows(appointment) == [
        ("confirmation", "email"),
        ("reminder", "email"),
        ("reminder", "sms"),
    ]


def test_neither_queues_nothing():
    appointment = texting_appointment(
        patient=texting_patient(reminders=Channels.NONE, other=Channels.NONE)
    )

    assert messaging.appointment_changed(appointment.pk, "booked") == []


def test_aftercare_goes_by_email_to_a_patient_who_chose_text_only():
    appointment = texting_appointment()

    messaging.queue_for_patient(appointment=appointment, kind=MessageKind.AFTERCARE)

    assert _rows(appointment) == [("aftercare", "email")]


def test_queueing_one_text_twice_keeps_one_row_per_channel():
    appointment = texting_appointment(patient=texting_patient(other=Channels.BOTH))

    first = messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)
    again = messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)

    assert [m.pk for m in first] == [m.pk for m in again]
    assert len(first) == 2


def test_a_patient_without_a_mobile_gets_no_text():
    appointment = texting_appointment(patient=texting_patient(mobile=""))

    assert messaging.appointment_changed(appointment.pk, "booked") == []


def test_stop_then_a_reminder_sends_no_text():
    appointment = texting_appointment()
    messaging.appointment_changed(appointment.pk, "booked")
    reminder = OutboundMessage.objects.get(kind="reminder", channel="sms")

    assert contact.inbound_text(from_number=str(appointment.patient.mobile), body="STOP") == (
        "stopped"
    )
    OutboundMessage.objects.filter(pk=reminder.pk).update(send_after=reminder.created_at)
    assert messaging.deliver(reminder.pk) == "skipped"

    reminder.refresh_from_db()
    assert reminder.last_error == "The patient replied STOP to texts."
    assert sms.outbox == []
    # And a new booking queues no text at all while texts are stopped.
    later = AppointmentFactory(
        patient=appointment.patient, starts_at=appointment.starts_at + dt.timedelta(days=7)
    )
    assert messaging.appointment_changed(later.pk, "booked") == []


def test_the_text_says_when_and_how_to_answer_and_nothing_clinical():
    appointment = texting_appointment()
    messaging.appointment_changed(appointment.pk, "booked")
    confirmation = OutboundMessage.objects.get(kind="confirmation")

    assert messaging.deliver(confirmation.pk) == "sent"

    [text] = sms.outbox
    when = texting.when_text(appointment.starts_at, clinic())
    assert text["body"] == (
        f"Exoclinic Demo Clinic: your appointment is booked for {when}. "
        "Reply C to confirm or call 020 7946 0000"
    )
    assert text["to"] == appointment.patient.mobile.as_e164
    assert "icroneedl" not in text["body"] and "exosome" not in text["body"].lower()
    confirmation.refresh_from_db()
    assert confirmation.status == MessageStatus.SENT
    assert (confirmation.segments, confirmation.sent_to) == (1, text["to"])


@pytest.mark.parametrize("kind", sorted(texting.TEXTS))
def test_every_text_fits_one_segment(kind):
    appointment = texting_appointment()
    message = OutboundMessage(appointment=appointment, kind=kind, channel=MessageChannel.SMS)

    body = texting.text_body(message, clinic=clinic(name="Exoclinic Demo Clinic"))

    assert segments(body).count == 1, body


def test_the_console_backend_writes_each_text_to_a_file_and_the_log(tmp_path, caplog):
    with override_settings(SMS_BACKEND="console", SMS_DIR=tmp_path):
        backend = sms.get_backend()
        with caplog.at_level("INFO", logger="treatments.services.sms"):
            provider_id = backend.send(to="+447911123456", body="Hello", reference="message-7")
        [path] = tmp_path.glob("*-message-7.txt")
        assert path.read_text().endswith("\n\nHello\n")
        assert "Hello" in caplog.text
        found = backend.find_sent(
            to="+447911123456", body="Hello", since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        )
        assert found == provider_id
        assert backend.find_sent(to="+447911000000", body="Hello", since=dt.datetime.now()) is None


def test_choosing_texts_needs_a_mobile():
    patient = PatientFactory(mobile="")

    with pytest.raises(contact.ValidationError) as refused:
        contact.contact_preference_set(
            patient=patient,
            reminders=Channels.SMS,
            other=Channels.EMAIL,
            by=None,
            via=contact.ChangedVia.DESK,
        )

    assert refused.value.message_dict == {"reminders": [contact.NEEDS_MOBILE]}
    assert not ContactPreference.objects.exists()


def test_choosing_texts_queues_the_coming_reminders_by_text(django_capture_on_commit_callbacks):
    clinic()
    appointment = AppointmentFactory()
    messaging.appointment_changed(appointment.pk, "booked")

    with django_capture_on_commit_callbacks(execute=True):
        contact.contact_preference_set(
            patient=appointment.patient,
            reminders=Channels.BOTH,
            other=Channels.EMAIL,
            by=None,
            via=contact.ChangedVia.PORTAL,
        )

    assert ("reminder", "sms") in _rows(appointment)
    [change] = appointment.patient.contact_preference_changes.all()
    assert (change.via, change.reminders, change.other) == ("portal", "both", "email")
