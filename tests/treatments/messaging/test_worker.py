"""The real worker path: tasks stored by the database backend, run by `manage.py db_worker`."""

import datetime as dt
import signal

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.treatments.messaging.factories import AppointmentFactory, clinic
from treatments.models import MessageStatus, OutboundMessage
from treatments.services import messaging

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _run_worker():
    """Run every task that is due, as `make run`'s worker would, then stop."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0", verbosity=0
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_sends_the_confirmation_now_and_the_reminder_when_due(committed):
    clinic()
    appointment = AppointmentFactory(starts_at=timezone.now() + dt.timedelta(days=5))

    messaging.appointment_changed(appointment.pk, "booked")

    confirmation = OutboundMessage.objects.get(kind="confirmation")
    reminder = OutboundMessage.objects.get(kind="reminder")
    tasks = {task.args_kwargs["args"][0]: task for task in DBTaskResult.objects.all()}
    assert set(tasks) == {confirmation.pk, reminder.pk}
    assert tasks[reminder.pk].run_after == reminder.send_after  # the backend waits for it

    _run_worker()

    assert [email.subject.split(":")[0] for email in mail.outbox] == ["Booked"]
    assert OutboundMessage.objects.get(pk=reminder.pk).status == MessageStatus.PENDING

    # The same message handed to the worker again (a retry, a second worker): nothing more.
    messaging.enqueue(confirmation.pk)
    _run_worker()
    assert len(mail.outbox) == 1

    with time_machine.travel(reminder.send_after + dt.timedelta(seconds=1)):
        _run_worker()

    assert [email.subject.split(":")[0] for email in mail.outbox] == ["Booked", "Reminder"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


@override_settings(TASKS=DATABASE_TASKS)
def test_a_moved_appointments_old_reminder_task_sends_nothing(committed):
    clinic()
    appointment = AppointmentFactory(starts_at=timezone.now() + dt.timedelta(days=5))
    messaging.appointment_changed(appointment.pk, "booked")
    _run_worker()
    old_reminder = OutboundMessage.objects.get(kind="reminder")
    appointment.starts_at += dt.timedelta(days=1)
    appointment.ends_at += dt.timedelta(days=1)
    appointment.room_free_at += dt.timedelta(days=1)
    appointment.schedule_version = 2
    appointment.save()
    messaging.appointment_changed(appointment.pk, "moved")
    _run_worker()  # the move notice

    with time_machine.travel(appointment.starts_at - dt.timedelta(hours=1)):
        _run_worker()  # both reminders' tasks are due by now

    subjects = [email.subject.split(":")[0] for email in mail.outbox]
    assert subjects == ["Booked", "Moved", "Reminder"]
    old_reminder.refresh_from_db()
    assert old_reminder.status == MessageStatus.SKIPPED
    new_when = messaging.ics.format_when(timezone.localtime(appointment.starts_at))
    assert new_when in mail.outbox[2].subject
