"""Daylight saving: appointments booked across the spring-forward and fall-back nights of
Europe/London keep their local time in emails, calendar files and feeds; reminders go 48 real
hours before.

Spring: clocks go forward at 01:00 GMT on Sunday 29 March 2026, so Monday 30 March 10:00 is BST,
09:00 UTC. Autumn: clocks go back at 02:00 BST on Sunday 25 October 2026, so Monday 26 October
10:00 is GMT, 10:00 UTC.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from tests.factories import (
    ALL_ROUTES,
    AppointmentTypeFactory,
    ConsentFactory,
    PlanFactory,
    RoomFactory,
    StaffProfileFactory,
    UserFactory,
)
from tests.treatments.messaging.factories import AppointmentFactory, open_every_day
from treatments.models import OutboundMessage
from treatments.presentation import ics
from treatments.services import messaging
from treatments.services.scheduling import appointment_book

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

SPRING = pytest.param(
    dt.datetime(2026, 3, 30, 10, 0, tzinfo=LONDON),
    dt.datetime(2026, 3, 30, 9, 0, tzinfo=UTC),
    dt.datetime(2026, 3, 27, 12, 0, tzinfo=UTC),  # booked on the Friday before
    dt.datetime(2026, 3, 28, 9, 0, tzinfo=UTC),  # 48 hours before: 09:00 GMT on Saturday
    "Monday 30 March 2026, 10:00",
    id="spring-forward",
)
AUTUMN = pytest.param(
    dt.datetime(2026, 10, 26, 10, 0, tzinfo=LONDON),
    dt.datetime(2026, 10, 26, 10, 0, tzinfo=UTC),
    dt.datetime(2026, 10, 23, 12, 0, tzinfo=UTC),
    dt.datetime(2026, 10, 24, 10, 0, tzinfo=UTC),  # 48 hours before: 11:00 BST on Saturday
    "Monday 26 October 2026, 10:00",
    id="fall-back",
)


def _dtstart_line(ical: bytes) -> str:
    return next(line for line in ical.decode().splitlines() if line.startswith("DTSTART;TZID="))


@pytest.mark.parametrize(("local", "utc", "booked_at", "reminder_at", "when"), [SPRING, AUTUMN])
def test_a_session_booked_across_the_night_keeps_its_local_time(
    local, utc, booked_at, reminder_at, when, django_capture_on_commit_callbacks
):
    with time_machine.travel(booked_at, tick=False):
        staff = StaffProfileFactory(user__first_name="Amelia", user__last_name="Hart")
        open_every_day(staff)
        plan = PlanFactory(state="planned")
        ConsentFactory(patient=plan.patient)
        with django_capture_on_commit_callbacks(execute=True):
            appointment = appointment_book(
                patient=plan.patient,
                appointment_type=AppointmentTypeFactory(microneedling=True),
                practitioner=staff,
                room=RoomFactory(routes=ALL_ROUTES),
                starts_at=local,
                plan=plan,
                by=UserFactory(role="front_desk"),
            )

    assert appointment.starts_at == utc  # stored in UTC
    confirmation, reminder = OutboundMessage.objects.order_by("send_after")
    assert confirmation.status == "sent"
    assert reminder.kind == "reminder"
    assert reminder.send_after == reminder_at
    (email,) = mail.outbox
    assert email.subject == f"Booked: Microneedling with exosomes on {when}"
    assert f"When:  {when}" in email.body

    with time_machine.travel(reminder_at + dt.timedelta(seconds=5), tick=False):
        assert messaging.deliver(reminder.pk) == "sent"

    email = mail.outbox[1]
    assert email.subject == f"Reminder: Microneedling with exosomes on {when}"
    assert when in email.body
    assert when in email.alternatives[0].content
    ical = email.attachments[0].content.encode()
    assert _dtstart_line(ical) == f"DTSTART;TZID=Europe/London:{local:%Y%m%d}T100000"
    event = Calendar.from_ical(ical).events[0]
    assert event.start == local
    assert event.start.astimezone(UTC) == utc


@pytest.mark.parametrize(("local", "utc", "booked_at", "reminder_at", "when"), [SPRING, AUTUMN])
def test_the_calendar_file_and_the_feed_say_10_00_london_time(
    local, utc, booked_at, reminder_at, when
):
    with time_machine.travel(booked_at, tick=False):
        open_every_day()
        appointment = AppointmentFactory(starts_at=local)
        before = AppointmentFactory(
            practitioner=appointment.practitioner, starts_at=local - dt.timedelta(days=3)
        )
        single = ics.appointment_ics(appointment)
        start, end = ics.feed_window()
        feed = ics.feed_ics(appointment.practitioner, start=start, end=end)

    assert _dtstart_line(single) == f"DTSTART;TZID=Europe/London:{local:%Y%m%d}T100000"
    calendar = Calendar.from_ical(feed)
    (zone,) = calendar.timezones
    assert zone.tz_name == "Europe/London"
    starts = {event["UID"]: event.start for event in calendar.events}
    assert starts[ics.appointment_uid(appointment)] == local
    assert starts[ics.appointment_uid(appointment)].utcoffset() == local.utcoffset()
    # Three days earlier is the other side of the night: 10:00 on the clock there too.
    assert starts[ics.appointment_uid(before)].hour == 10
    assert starts[ics.appointment_uid(before)].utcoffset() != local.utcoffset()


def test_the_reminder_is_48_elapsed_hours_before_not_48_clock_hours():
    # 10:00 BST on Monday 30 March is 09:00 UTC; 48 hours earlier the clock said 09:00 GMT.
    starts_at = dt.datetime(2026, 3, 30, 10, 0, tzinfo=LONDON)
    reminder = messaging.reminder_time(starts_at)
    assert reminder.astimezone(LONDON).strftime("%A %H:%M %Z") == "Saturday 09:00 GMT"
    assert (starts_at - reminder) == dt.timedelta(hours=48)
