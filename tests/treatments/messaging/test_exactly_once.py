"""Each message goes out exactly once: two workers at once, a task run twice, a worker that
stopped mid-send."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from tests.treatments.messaging.factories import AppointmentFactory, clinic
from treatments.models import MessageKind, MessageStatus, OutboundMessage
from treatments.services import messaging
from treatments.services.messaging import send_message


def _confirmation() -> OutboundMessage:
    clinic()
    appointment = AppointmentFactory()
    return OutboundMessage.objects.create(
        appointment=appointment,
        kind=MessageKind.CONFIRMATION,
        schedule_version=1,
        send_after=timezone.now(),
    )


def _in_threads(*works):
    """Run each of ``works`` in its own thread, with its own database connection; their results."""
    outcomes, errors = [], []

    def run(work):
        try:
            outcomes.append(work())
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return outcomes


def test_two_workers_running_the_same_message_at_once_send_one_email(committed):
    message = _confirmation()
    start = threading.Barrier(2)

    def worker():
        start.wait(timeout=10)
        return send_message.call(message.pk)

    outcomes = _in_threads(worker, worker)

    assert sorted(outcomes) == ["sent", "taken"]
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


def test_a_second_worker_during_the_first_ones_send_finds_the_message_taken(committed):
    message = _confirmation()
    sending, second_done = threading.Event(), threading.Event()
    real_send = messaging.EmailMultiAlternatives.send

    def slow_send(email, *args, **kwargs):
        sending.set()
        assert second_done.wait(timeout=10)
        return real_send(email, *args, **kwargs)

    def first():
        return send_message.call(message.pk)

    def second():
        assert sending.wait(timeout=10)
        try:
            return send_message.call(message.pk)
        finally:
            second_done.set()

    with mock.patch.object(messaging.EmailMultiAlternatives, "send", slow_send):
        outcomes = _in_threads(first, second)

    assert outcomes == ["taken", "sent"]  # the second finished first, while the first was sending
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_worker_that_stopped_mid_send_is_recovered_and_the_message_sent_once():
    message = _confirmation()
    claimed = timezone.now() - dt.timedelta(minutes=11)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=claimed, attempts=1
    )

    assert messaging.recover_stale() == 1  # queued again: the test backend runs it at once
    assert messaging.recover_stale() == 0

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)


@pytest.mark.django_db
def test_a_claim_younger_than_the_stale_limit_is_left_to_its_worker():
    message = _confirmation()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(minutes=2)
    )

    assert messaging.recover_stale() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_message_interrupted_three_times_is_left_failed_for_a_person():
    message = _confirmation()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING,
        claimed_at=timezone.now() - dt.timedelta(hours=1),
        attempts=messaging.MAX_ATTEMPTS,
    )

    assert messaging.recover_stale() == 0

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "3 times" in message.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_lost_task_is_queued_again_once_per_stale_period():
    message = _confirmation()
    OutboundMessage.objects.filter(pk=message.pk).update(
        send_after=timezone.now() - dt.timedelta(minutes=30)
    )

    with mock.patch("treatments.services.messaging.enqueue") as enqueue:
        assert messaging.recover_stale() == 1
        assert messaging.recover_stale() == 0  # still waiting for its worker: not queued again

    enqueue.assert_called_once_with(message.pk)
    assert messaging.recover_stale() == 0
    later = timezone.now() + messaging.STALE_AFTER + dt.timedelta(seconds=1)
    assert messaging.recover_stale(now=later) == 1
    assert len(mail.outbox) == 1  # sent by the second queueing, and only once


@pytest.mark.django_db
def test_a_message_that_is_not_overdue_is_not_queued_again():
    message = _confirmation()
    OutboundMessage.objects.filter(pk=message.pk).update(
        send_after=timezone.now() - dt.timedelta(minutes=5)
    )

    with mock.patch("treatments.services.messaging.enqueue") as enqueue:
        assert messaging.recover_stale() == 0
    enqueue.assert_not_called()
