"""No texts in quiet hours (21:00-08:00 clinic time): a text due then goes at 08:00, also on the
nights the clocks change (Europe/London, 29 March and 25 October 2026)."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from tests.treatments.messaging.factories import AppointmentFactory, clinic
from tests.treatments.sms.factories import texting_appointment, texting_patient
from treatments.models import Channels, MessageStatus, OutboundMessage
from treatments.services import messaging, sms

pytestmark = pytest.mark.django_db


def _utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("booked_at", "text_at"),
    [
        # Saturday 28 March, 22:30 GMT: Sunday's 08:00 is BST, 07:00 UTC.
        (_utc(2026, 3, 28, 22, 30), _utc(2026, 3, 29, 7, 0)),
        # Saturday 24 October, 21:30 BST: Sunday's 08:00 is GMT, 08:00 UTC.
        (_utc(2026, 10, 24, 20, 30), _utc(2026, 10, 25, 8, 0)),
        # An ordinary winter evening.
        (_utc(2026, 12, 1, 21, 15), _utc(2026, 12, 2, 8, 0)),
    ],
)
def test_a_booking_at_night_texts_at_eight_and_emails_at_once(booked_at, text_at):
    with time_machine.travel(booked_at, tick=False):
        appointment = texting_appointment(patient=texting_patient(other=Channels.BOTH))
        messaging.appointment_changed(appointment.pk, "booked")

        text = OutboundMessage.objects.get(kind="confirmation", channel="sms")
        email = OutboundMessage.objects.get(kind="confirmation", channel="email")
        assert text.send_after == text_at
        assert email.send_after == booked_at
        assert messaging.deliver(text.pk) == "not due"

    with time_machine.travel(text_at - dt.timedelta(minutes=1), tick=False):
        assert messaging.deliver(text.pk) == "not due"
    with time_machine.travel(text_at, tick=False):
        assert messaging.deliver(text.pk) == "sent"
    assert len(sms.outbox) == 1


def test_a_reminder_due_in_quiet_hours_waits_for_the_morning():
    # Monday 30 March 2026 at 07:30 BST (06:30 UTC): 48 hours before is Saturday 06:30 GMT.
    with time_machine.travel(_utc(2026, 3, 20, 12, 0), tick=False):
        appointment = texting_appointment(starts_at=_utc(2026, 3, 30, 6, 30))
        messaging.appointment_changed(appointment.pk, "booked")
    reminder = OutboundMessage.objects.get(kind="reminder", channel="sms")
    assert reminder.send_after == _utc(2026, 3, 28, 8, 0)  # Saturday 08:00 GMT


def test_a_text_that_comes_due_at_night_anyway_is_put_back_to_the_morning():
    # A resend, or a retry after the provider was down, falls due at 23:00.
    appointment = texting_appointment()
    message = OutboundMessage.objects.create(
        appointment=appointment,
        kind="confirmation",
        channel="sms",
        schedule_version=1,
        send_after=_utc(2026, 12, 1, 22, 59),
    )
    with time_machine.travel(_utc(2026, 12, 1, 23, 0), tick=False):
        assert messaging.deliver(message.pk) == "not due"

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    assert message.send_after == _utc(2026, 12, 2, 8, 0)
    assert sms.outbox == []


@override_settings(SMS_QUIET_HOURS="22:00-07:00")
def test_quiet_hours_are_a_setting():
    with time_machine.travel(_utc(2026, 12, 1, 21, 30), tick=False):
        clinic()
        appointment = AppointmentFactory(patient=texting_patient())
        messaging.appointment_changed(appointment.pk, "booked")
        text = OutboundMessage.objects.get(appointment=appointment, kind="confirmation")
        assert text.send_after == _utc(2026, 12, 1, 21, 30)
