"""A clinic, practitioners, rooms and appointments for the calendar's tests.

Appointments are made directly (not through the booking service) so that a test can put any
state and any time, past or future, on the calendar.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from clinic.models import AppointmentType, ClinicSettings, OpeningHours, Role, WorkingHours
from tests.factories import PatientFactory, RoomFactory, StaffProfileFactory, UserFactory
from treatments.models import Appointment

LONDON = ZoneInfo("Europe/London")


def local(day: dt.date, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    """A wall-clock time of the clinic (London)."""
    return dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=LONDON)


def open_clinic(*, days=range(7), opens=dt.time(9), closes=dt.time(18)) -> ClinicSettings:
    clinic = ClinicSettings.load()
    clinic.time_zone = "Europe/London"
    clinic.save()
    for weekday in days:
        OpeningHours.objects.update_or_create(
            clinic=clinic, weekday=weekday, defaults={"opens": opens, "closes": closes}
        )
    return clinic


def practitioner(
    first_name: str, last_name: str, *, days=range(7), starts=dt.time(9), ends=dt.time(17)
):
    """A dermatologist who can be booked, working ``starts``-``ends`` on ``days``."""
    user = UserFactory(role=Role.DERMATOLOGIST, first_name=first_name, last_name=last_name)
    staff = StaffProfileFactory(user=user)
    for weekday in days:
        WorkingHours.objects.create(staff=staff, weekday=weekday, starts=starts, ends=ends)
    return staff


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType
        django_get_or_create = ("name",)

    name = "Consultation and skin assessment"
    kind = "consultation"
    route = ""
    duration_minutes = 45
    buffer_minutes = 10


def microneedling_type() -> AppointmentType:
    return AppointmentTypeFactory(
        name="Microneedling with exosomes",
        kind="treatment",
        route="microneedling",
        duration_minutes=75,
        buffer_minutes=20,
    )


def review_type() -> AppointmentType:
    return AppointmentTypeFactory(
        name="Follow-up review", kind="follow_up", duration_minutes=20, buffer_minutes=5
    )


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A booked consultation; give ``starts_at`` (aware) and usually a practitioner and room."""

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    practitioner = factory.SubFactory(StaffProfileFactory)
    room = factory.SubFactory(RoomFactory)
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + dt.timedelta(minutes=o.appointment_type.duration_minutes)
    )
    room_free_at = factory.LazyAttribute(
        lambda o: o.ends_at + dt.timedelta(minutes=o.appointment_type.buffer_minutes)
    )
    status = "booked"
