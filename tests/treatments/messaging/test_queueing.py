"""Which messages a booking, a move and a cancellation queue, and when they are due."""

import datetime as dt
from unittest import mock

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments.messaging.factories import AppointmentFactory
from treatments.models import AppointmentStatus, MessageKind, MessageStatus, OutboundMessage
from treatments.services import messaging

pytestmark = pytest.mark.django_db


def _kinds(appointment):
    return sorted(
        (m.kind, m.schedule_version, m.status)
        for m in OutboundMessage.objects.filter(appointment=appointment)
    )


def test_booking_queues_a_confirmation_now_and_a_reminder_48_hours_before():
    appointment = AppointmentFactory(starts_at=timezone.now() + dt.timedelta(days=7))
    before = timezone.now()

    messaging.appointment_changed(appointment.pk, "booked")

    confirmation = OutboundMessage.objects.get(appointment=appointment, kind="confirmation")
    reminder = OutboundMessage.objects.get(appointment=appointment, kind="reminder")
    assert before <= confirmation.send_after <= timezone.now()
    assert reminder.send_after == appointment.starts_at - dt.timedelta(hours=48)
    assert confirmation.schedule_version == reminder.schedule_version == 1


@override_settings(REMINDER_HOURS_BEFORE=24)
def test_the_reminder_lead_time_is_a_setting():
    appointment = AppointmentFactory(starts_at=timezone.now() + dt.timedelta(days=7))

    messaging.appointment_changed(appointment.pk, "booked")

    reminder = OutboundMessage.objects.get(appointment=appointment, kind="reminder")
    assert reminder.send_after == appointment.starts_at - dt.timedelta(hours=24)


def test_a_booking_at_short_notice_gets_no_reminder():
    appointment = AppointmentFactory(starts_at=timezone.now() + dt.timedelta(hours=30))

    messaging.appointment_changed(appointment.pk, "booked")

    assert _kinds(appointment) == [("confirmation", 1, "pending")]


def test_a_patient_without_email_gets_no_messages():
    appointment = AppointmentFactory(patient=PatientFactory(email=""))

    assert messaging.appointment_changed(appointment.pk, "booked") == []
    assert messaging.queue_message(appointment=appointment, kind=MessageKind.AFTERCARE) is None
    assert not OutboundMessage.objects.exists()


def test_queueing_twice_keeps_one_message_per_kind_and_version():
    appointment = AppointmentFactory()

    first = messaging.appointment_changed(appointment.pk, "booked")
    again = messaging.appointment_changed(appointment.pk, "booked")

    assert [m.pk for m in first] == [m.pk for m in again]
    assert OutboundMessage.objects.count() == 2


def test_a_move_voids_the_old_reminder_and_queues_a_notice_and_a_new_reminder():
    appointment = AppointmentFactory()
    messaging.appointment_changed(appointment.pk, "booked")
    appointment.starts_at += dt.timedelta(days=3)
    appointment.ends_at += dt.timedelta(days=3)
    appointment.room_free_at += dt.timedelta(days=3)
    appointment.schedule_version = 2
    appointment.save()

    messaging.appointment_changed(appointment.pk, "moved")

    assert _kinds(appointment) == [
        ("confirmation", 1, "skipped"),
        ("moved", 2, "pending"),
        ("reminder", 1, "skipped"),
        ("reminder", 2, "pending"),
    ]
    new_reminder = OutboundMessage.objects.get(kind="reminder", schedule_version=2)
    assert new_reminder.send_after == appointment.starts_at - dt.timedelta(hours=48)
    old = OutboundMessage.objects.get(kind="reminder", schedule_version=1)
    assert old.last_error == messaging.VOIDED


def test_a_sent_message_is_never_voided():
    appointment = AppointmentFactory()
    messaging.appointment_changed(appointment.pk, "booked")
    OutboundMessage.objects.filter(kind="confirmation").update(status=MessageStatus.SENT)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.schedule_version = 2
    appointment.save()

    messaging.appointment_changed(appointment.pk, "cancelled")

    assert _kinds(appointment) == [
        ("cancelled", 2, "pending"),
        ("confirmation", 1, "sent"),
        ("reminder", 1, "skipped"),
    ]


def test_an_event_that_is_no_longer_true_queues_nothing():
    # "booked" arriving after the appointment was cancelled: nothing to confirm.
    appointment = AppointmentFactory(status=AppointmentStatus.CANCELLED, schedule_version=2)

    assert messaging.appointment_changed(appointment.pk, "booked") == []
    assert messaging.appointment_changed(AppointmentFactory().pk, "cancelled") == []
    assert not OutboundMessage.objects.exists()


def test_an_appointment_whose_time_has_passed_gets_no_messages():
    # e.g. a past appointment recorded as cancelled afterwards
    appointment = AppointmentFactory(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        status=AppointmentStatus.CANCELLED,
        schedule_version=2,
    )

    assert messaging.appointment_changed(appointment.pk, "cancelled") == []
    assert not OutboundMessage.objects.exists()


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError, match="Unknown appointment event"):
        messaging.appointment_changed(AppointmentFactory().pk, "rescheduled")


def test_aftercare_is_queued_once_per_appointment():
    appointment = AppointmentFactory()

    first = messaging.queue_message(appointment=appointment, kind=MessageKind.AFTERCARE)
    again = messaging.queue_message(appointment=appointment, kind=MessageKind.AFTERCARE)

    assert first.pk == again.pk
    assert first.status == MessageStatus.PENDING


def test_the_task_is_handed_over_only_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    appointment = AppointmentFactory()

    with (
        mock.patch("treatments.services.messaging.enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        messages = messaging.appointment_changed(appointment.pk, "booked")
        enqueue.assert_not_called()

    assert len(callbacks) == 2
    handed = sorted(call.args[0] for call in enqueue.call_args_list)
    assert handed == sorted(m.pk for m in messages)
