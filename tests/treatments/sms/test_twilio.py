"""Texts through the real Twilio client to a fake Twilio on 127.0.0.1: accepted, refused,
rate limited and down; retried with backoff, never sent twice, shown failed with the reason."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from clinic.models import ClinicSettings
from tests.treatments.sms import fake_twilio
from tests.treatments.sms.factories import texting_appointment
from treatments.models import MessageKind, MessageStatus, OutboundMessage
from treatments.services import messaging, texting

pytestmark = pytest.mark.django_db


def _text():
    appointment = texting_appointment()
    [message] = messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)
    return message


def _creates(fake):
    return [path for method, path in fake.requests if method == "POST"]


def test_an_accepted_text_is_recorded_with_twilios_id(twilio):
    message = _text()

    assert messaging.deliver(message.pk) == "sent"

    [sent] = twilio.accepted
    assert sent["to"] == message.appointment.patient.mobile.as_e164
    assert sent["from"] == fake_twilio.FROM_NUMBER
    assert sent["body"].startswith("Exoclinic Demo Clinic: your appointment is booked for")
    assert _creates(twilio) == [f"/2010-04-01/Accounts/{fake_twilio.ACCOUNT_SID}/Messages.json"]
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (MessageStatus.SENT, sent["sid"])


def test_an_invalid_number_fails_at_once_with_twilios_reason(twilio):
    twilio.script.append(fake_twilio.INVALID_NUMBER)
    message = _text()

    assert messaging.deliver(message.pk) == "failed"

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "is not a valid phone number. (Twilio error 21211)" in message.last_error
    assert messaging.deliver(message.pk) == "taken"  # not tried again by itself
    assert len(_creates(twilio)) == 1 and twilio.accepted == []


@pytest.mark.parametrize(
    ("answer", "said"),
    [(fake_twilio.RATE_LIMITED, "limiting our rate"), (fake_twilio.DOWN, "HTTP 503")],
)
def test_a_busy_or_down_provider_is_tried_again_later_and_the_text_goes_once(twilio, answer, said):
    twilio.script.append(answer)
    message = _text()
    first_try = timezone.now()

    assert messaging.deliver(message.pk) == "retrying"

    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert said in message.last_error and "Trying again at" in message.last_error
    wait = message.send_after - first_try
    assert dt.timedelta(minutes=2) <= wait < dt.timedelta(minutes=2, seconds=5)
    assert messaging.deliver(message.pk) == "not due"  # the backoff holds

    with time_machine.travel(message.send_after + dt.timedelta(seconds=1)):
        assert messaging.deliver(message.pk) == "sent"
        assert messaging.deliver(message.pk) == "taken"

    assert len(twilio.accepted) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 2, "")
    # Before trying again it asked Twilio whether the text was already there.
    assert [method for method, _ in twilio.requests] == ["POST", "GET", "POST"]


def test_a_provider_down_on_every_try_leaves_the_text_failed_for_the_desk(twilio):
    twilio.script.extend([fake_twilio.DOWN] * messaging.MAX_ATTEMPTS)
    message = _text()

    outcomes = []
    for _ in range(messaging.MAX_ATTEMPTS):
        message.refresh_from_db()
        with time_machine.travel(message.send_after + dt.timedelta(seconds=1)):
            outcomes.append(messaging.deliver(message.pk))

    assert outcomes == ["retrying", "retrying", "failed"]
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "HTTP 503" in message.last_error and "Gave up after 3 tries" in message.last_error
    # The second wait is longer than the first (SMS_RETRY_MINUTES 2, 10).
    assert twilio.accepted == []


def test_a_text_twilio_took_without_our_hearing_is_not_sent_again(twilio):
    message = _text()
    # Twilio took it, but the worker stopped before recording it (see test_exactly_once).
    twilio.accepted.append(
        {
            "sid": "SM" + "7" * 32,
            "to": message.appointment.patient.mobile.as_e164,
            "from": fake_twilio.FROM_NUMBER,
            "body": texting.text_body(message, clinic=ClinicSettings.load()),
            "status": "sent",
            "account_sid": fake_twilio.ACCOUNT_SID,
            "date_sent": None,
        }
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - dt.timedelta(minutes=11),
    )

    assert messaging.recover_stale() == 1  # queued again; the test backend sends at once

    message.refresh_from_db()
    assert (message.status, message.provider_id) == (MessageStatus.SENT, "SM" + "7" * 32)
    assert _creates(twilio) == []
