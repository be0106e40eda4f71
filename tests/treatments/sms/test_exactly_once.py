"""A text goes out exactly once per channel: two workers at once, and a worker process killed
while Twilio was taking the text."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from unittest import mock

from django.conf import settings
from django.db import connection

from tests.treatments.messaging.test_exactly_once import _in_threads
from tests.treatments.sms import fake_twilio
from tests.treatments.sms.factories import texting_appointment, texting_patient
from treatments.models import Channels, MessageKind, MessageStatus, OutboundMessage
from treatments.services import messaging
from treatments.services.messaging import send_message


def _both():
    """A confirmation by email and by text: two rows, one per channel."""
    appointment = texting_appointment(patient=texting_patient(other=Channels.BOTH))
    return _queued(appointment)


def _queued(appointment):
    """Queued but not yet handed to a worker (the test backend would send at once)."""
    with mock.patch.object(messaging, "enqueue"):
        return messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)


def test_two_workers_on_each_message_send_one_email_and_one_text(committed, twilio, mailoutbox):
    email, text = sorted(_both(), key=lambda m: m.channel)
    start = threading.Barrier(4)

    def worker(message):
        def run():
            start.wait(timeout=10)
            return send_message.call(message.pk)

        return run

    outcomes = _in_threads(worker(email), worker(email), worker(text), worker(text))

    assert sorted(outcomes) == ["sent", "sent", "taken", "taken"]
    assert len(mailoutbox) == 1
    assert len(twilio.accepted) == 1
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


WORKER = (
    "import sys, django; django.setup(); "
    "from treatments.services import messaging; messaging.deliver(int(sys.argv[1]))"
)


def test_a_worker_killed_while_twilio_takes_the_text_leaves_one_text(committed, twilio):
    [text] = _queued(texting_appointment())
    twilio.hold = threading.Event()  # Twilio records the text, then keeps the worker waiting
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": fake_twilio.ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": fake_twilio.AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": fake_twilio.FROM_NUMBER,
        "TWILIO_API_URL": twilio.url,
        "SMS_QUIET_HOURS": "",  # the worker runs on the real clock
    }
    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", WORKER, str(text.pk)], env=env, cwd=settings.BASE_DIR
    )
    try:
        assert twilio.held.wait(timeout=60), "the worker never reached Twilio"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        twilio.hold.set()

    text.refresh_from_db()
    assert text.status == MessageStatus.SENDING  # nobody recorded what happened
    assert len(twilio.accepted) == 1

    # Recovery, once the claim is stale, finds the text with Twilio rather than resending it.
    assert messaging.recover_stale(now=text.claimed_at + dt.timedelta(minutes=11)) == 1

    text.refresh_from_db()
    assert (text.status, text.provider_id) == (MessageStatus.SENT, twilio.accepted[0]["sid"])
    assert len(twilio.accepted) == 1
    assert [method for method, _ in twilio.requests] == ["POST", "GET"]
