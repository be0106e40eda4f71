"""The calendar files: what each audience sees, and that they parse with icalendar."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.factories import PatientFactory, StaffProfileFactory, consultation_type
from tests.treatments.messaging.factories import AppointmentFactory, clinic
from treatments.models import AppointmentStatus
from treatments.presentation import ics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def london():
    return clinic(email="hello@exoclinic.test")


def _event(ical: bytes):
    calendar = Calendar.from_ical(ical)
    (event,) = calendar.events
    return calendar, event


def test_the_patients_copy_names_the_clinic_room_practitioner_and_preparation():
    appointment = AppointmentFactory(patient=PatientFactory(first_name="Olivia"))

    calendar, event = _event(ics.appointment_ics(appointment))

    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"] == ics.PRODID
    assert event["UID"] == f"appointment-{appointment.pk}@exoclinic"
    assert event["SEQUENCE"] == 1
    assert event["SUMMARY"] == "Microneedling with exosomes at Exoclinic"
    assert event["LOCATION"] == (
        f"Exoclinic, {appointment.room.name}, 12 Harley Street, London W1G 9PF"
    )
    assert "with Dr Amelia Hart" in event["DESCRIPTION"]
    assert "Stop retinoids" in event["DESCRIPTION"]
    assert "call Exoclinic on 020 7946 0000" in event["DESCRIPTION"]
    assert event["STATUS"] == "CONFIRMED"
    assert event.start == timezone.localtime(appointment.starts_at)
    assert event.end - event.start == dt.timedelta(minutes=75)
    assert "ORGANIZER" not in event  # a download is not an invitation


def test_an_invitation_names_the_clinic_as_organiser_and_the_patient_as_attendee():
    appointment = AppointmentFactory(patient=PatientFactory(email="olivia@example.test"))

    calendar, event = _event(ics.appointment_ics(appointment, method=ics.REQUEST))

    assert calendar["METHOD"] == "REQUEST"
    assert str(event["ORGANIZER"]) == "mailto:hello@exoclinic.test"
    assert str(event["ATTENDEE"]) == "mailto:olivia@example.test"


def test_a_cancelled_appointment_is_cancelled_in_its_file():
    appointment = AppointmentFactory(status=AppointmentStatus.CANCELLED, schedule_version=3)

    _, event = _event(ics.appointment_ics(appointment))

    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 3


def test_the_staff_copy_names_the_patient_and_nothing_clinical():
    appointment = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        short_interval_reason="Flare settled early",
    )

    _, event = _event(ics.appointment_ics(appointment, audience="staff"))

    assert event["SUMMARY"] == "Olivia Bennett: Microneedling with exosomes"
    assert event["LOCATION"] == f"{appointment.room.name}, Exoclinic"
    assert "Flare" not in event["DESCRIPTION"]
    assert "Status: booked." in event["DESCRIPTION"]


def test_a_consultation_has_no_preparation_in_its_file():
    appointment = AppointmentFactory(appointment_type=consultation_type())

    _, event = _event(ics.appointment_ics(appointment))

    assert "Before your visit" not in event["DESCRIPTION"]


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        ics.appointment_ics(AppointmentFactory(), audience="press")


def test_the_feed_holds_the_practitioners_appointments_in_the_window_and_not_cancelled_ones():
    staff = StaffProfileFactory()
    now = timezone.now()
    kept = [
        AppointmentFactory(practitioner=staff, starts_at=now - dt.timedelta(days=29)),
        AppointmentFactory(practitioner=staff, starts_at=now + dt.timedelta(days=2)),
        AppointmentFactory(
            practitioner=staff,
            starts_at=now - dt.timedelta(days=1),
            status=AppointmentStatus.COMPLETED,
        ),
    ]
    AppointmentFactory(practitioner=staff, starts_at=now - dt.timedelta(days=31))
    AppointmentFactory(practitioner=staff, starts_at=now + dt.timedelta(days=366))
    AppointmentFactory(
        practitioner=staff,
        starts_at=now + dt.timedelta(days=3),
        status=AppointmentStatus.CANCELLED,
    )
    AppointmentFactory(starts_at=now + dt.timedelta(days=4))  # someone else's

    start, end = ics.feed_window()
    calendar = Calendar.from_ical(ics.feed_ics(staff, start=start, end=end))

    uids = sorted(str(event["UID"]) for event in calendar.events)
    assert uids == sorted(ics.appointment_uid(a) for a in kept)
    assert calendar["X-WR-CALNAME"] == f"Exoclinic: {staff.display_name}"
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]


def test_the_feed_is_read_in_one_query_whatever_its_size(django_assert_num_queries):
    staff = StaffProfileFactory()
    record = clinic()
    start, end = ics.feed_window()
    for days in range(1, 6):
        AppointmentFactory(practitioner=staff, starts_at=timezone.now() + dt.timedelta(days=days))

    with django_assert_num_queries(1):
        ics.feed_ics(staff, start=start, end=end, clinic=record)


def test_the_feed_follows_the_clinics_zone():
    clinic(time_zone="America/New_York")
    staff = StaffProfileFactory()
    appointment = AppointmentFactory(practitioner=staff)

    start, end = ics.feed_window()
    calendar = Calendar.from_ical(ics.feed_ics(staff, start=start, end=end))

    (event,) = calendar.events
    assert str(event.start.tzinfo) == "America/New_York"
    assert event.start == appointment.starts_at
