"""The optional same-day reminder: off by default; when the clinic sets a time, one more
reminder per chosen channel on the morning of the appointment, through the outbox and its
once-per-version-and-channel claim; a move voids it and queues the new one; across the clock
changes it goes at the clinic's wall-clock time (docs/clinical-rules.md §Reminders)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from tests.treatments.messaging.factories import clinic
from tests.treatments.sms.factories import texting_appointment, texting_patient
from treatments.models import Channels, MessageStatus, OutboundMessage
from treatments.services import messaging, sms

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _same_day():
    return OutboundMessage.objects.filter(kind="same_day").order_by("channel")


def _book(starts_at, *, reminders=Channels.BOTH, at=dt.time(8, 0)):
    appointment = texting_appointment(
        patient=texting_patient(reminders=reminders), starts_at=starts_at
    )
    clinic(name="Exoclinic Demo Clinic", same_day_reminder_at=at)
    messaging.appointment_changed(appointment.pk, "booked")
    return appointment


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_off_by_default_no_same_day_reminder_is_queued():
    _book(dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC), at=None)
    assert not _same_day().exists()
    assert OutboundMessage.objects.filter(kind="reminder").count() == 2


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_each_chosen_channel_gets_one_at_the_clinics_time_and_asking_again_adds_none():
    appointment = _book(dt.datetime(2026, 12, 8, 14, 0, tzinfo=dt.UTC))
    messaging.appointment_changed(appointment.pk, "booked")  # a second run of the same event

    email, text = _same_day()
    assert (email.channel, text.channel) == ("email", "sms")
    assert email.send_after == text.send_after == dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)
    assert _same_day().count() == 2


def test_it_goes_once_per_channel_at_its_time_with_no_clinical_detail():
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        appointment = _book(dt.datetime(2026, 12, 8, 14, 0, tzinfo=dt.UTC))
        email, text = _same_day()
        assert messaging.deliver(text.pk) == "not due"
    with time_machine.travel(dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC), tick=False):
        assert messaging.deliver(text.pk) == "sent"
        assert messaging.deliver(text.pk) == "taken"  # a second worker, or the task again
        assert messaging.deliver(email.pk) == "sent"
    [texted] = [t for t in sms.outbox if "today" in t["body"]]
    assert texted["body"] == (
        "Your appointment at Exoclinic Demo Clinic is today at 14:00. "
        "Reply C to confirm or call 020 7946 0000"
    )
    assert "microneedling" not in texted["body"].lower()
    [emailed] = [m for m in mail.outbox if m.subject.startswith("Today: ")]
    assert emailed.subject.endswith(" at 14:00")
    assert appointment.messages.filter(kind="same_day", status="sent").count() == 2


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_patient_who_wants_no_reminders_gets_no_same_day_one():
    _book(dt.datetime(2026, 12, 8, 14, 0, tzinfo=dt.UTC), reminders=Channels.NONE)
    assert not _same_day().exists()


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_move_voids_the_old_one_and_queues_the_new_time():
    appointment = _book(dt.datetime(2026, 12, 8, 14, 0, tzinfo=dt.UTC))
    type(appointment).objects.filter(pk=appointment.pk).update(
        starts_at=dt.datetime(2026, 12, 9, 15, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 9, 16, 0, tzinfo=dt.UTC),
        room_free_at=dt.datetime(2026, 12, 9, 16, 0, tzinfo=dt.UTC),
        schedule_version=2,
    )
    messaging.appointment_changed(appointment.pk, "moved")

    old = _same_day().filter(schedule_version=1)
    new = _same_day().filter(schedule_version=2)
    assert set(old.values_list("status", flat=True)) == {MessageStatus.SKIPPED}
    assert {m.send_after for m in new} == {dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC)}


@pytest.mark.parametrize(
    ("starts_at", "expected"),
    [
        # Sunday 29 March 2026, clocks forward at 01:00 GMT: 08:00 BST is 07:00 UTC.
        (dt.datetime(2026, 3, 29, 11, 0, tzinfo=LONDON), dt.datetime(2026, 3, 29, 7, 0)),
        # Sunday 25 October 2026, clocks back at 02:00 BST: 08:00 GMT is 08:00 UTC.
        (dt.datetime(2026, 10, 25, 11, 0, tzinfo=LONDON), dt.datetime(2026, 10, 25, 8, 0)),
    ],
)
def test_across_the_clock_changes_it_goes_at_eight_on_the_clinics_clock(starts_at, expected):
    expected = expected.replace(tzinfo=dt.UTC)
    with time_machine.travel(starts_at - dt.timedelta(days=5), tick=False):
        _book(starts_at)
        email, text = _same_day()
        assert email.send_after == text.send_after == expected
    with time_machine.travel(expected - dt.timedelta(minutes=1), tick=False):
        assert messaging.deliver(text.pk) == "not due"
    with time_machine.travel(expected, tick=False):
        assert messaging.deliver(text.pk) == "sent"
    assert len([t for t in sms.outbox if "today" in t["body"]]) == 1


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_text_set_for_seven_waits_for_the_end_of_quiet_hours_and_an_email_does_not():
    _book(dt.datetime(2026, 12, 8, 14, 0, tzinfo=dt.UTC), at=dt.time(7, 0))
    email, text = _same_day()
    assert email.send_after == dt.datetime(2026, 12, 8, 7, 0, tzinfo=dt.UTC)
    assert text.send_after == dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)


@time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC), tick=False)
def test_booked_that_morning_after_the_reminder_time_there_is_none():
    _book(dt.datetime(2026, 12, 8, 15, 0, tzinfo=dt.UTC))
    assert not _same_day().exists()
    assert OutboundMessage.objects.filter(kind="confirmation").count() == 1  # other: text only
