"""Appointments made directly (bypassing the booking rules), and a clinic ready to book."""

import datetime as dt

import factory
from django.utils import timezone

from clinic.models import AppointmentType, ClinicSettings, OpeningHours, Role, WorkingHours
from tests.factories import PatientFactory, RoomFactory, StaffProfileFactory, UserFactory
from treatments.models import Appointment, CalendarFeed

LONDON = "Europe/London"
ALL_ROUTES = ["topical", "transdermal", "microneedling", "laser_assisted"]


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    """The demo clinic's microneedling session: 75 minutes, then 20 minutes of room turnover."""

    class Meta:
        model = AppointmentType
        django_get_or_create = ("name",)

    name = "Microneedling with exosomes"
    kind = "treatment"
    route = "microneedling"
    duration_minutes = 75
    buffer_minutes = 20


def consultation_type() -> AppointmentType:
    return AppointmentTypeFactory(
        name="Consultation and skin assessment",
        kind="consultation",
        route="",
        duration_minutes=45,
        buffer_minutes=10,
    )


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A booked microneedling session a week ahead, with a patient who has an email address."""

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    practitioner = factory.SubFactory(
        StaffProfileFactory, user__first_name="Amelia", user__last_name="Hart"
    )
    room = factory.SubFactory(RoomFactory, routes=ALL_ROUTES)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + dt.timedelta(minutes=o.appointment_type.duration_minutes)
    )
    room_free_at = factory.LazyAttribute(
        lambda o: o.ends_at + dt.timedelta(minutes=o.appointment_type.buffer_minutes)
    )


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    staff = factory.SubFactory(StaffProfileFactory)
    token = factory.Sequence(lambda n: f"test-token-{n:04d}-" + "x" * 30)


def clinic(**fields) -> ClinicSettings:
    """The clinic record, in London, with an address and a phone number (or ``fields``)."""
    record = ClinicSettings.load()
    values = {
        "name": "Exoclinic",
        "address": "12 Harley Street\nLondon W1G 9PF",
        "phone": "020 7946 0000",
        "time_zone": LONDON,
        **fields,
    }
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    return record


def open_every_day(staff=None, *, opens=dt.time(8), closes=dt.time(20)):
    """The clinic, and ``staff`` if given, open 08:00-20:00 every day of the week."""
    record = clinic()
    for weekday in range(7):
        OpeningHours.objects.update_or_create(
            clinic=record, weekday=weekday, defaults={"opens": opens, "closes": closes}
        )
        if staff is not None:
            WorkingHours.objects.create(staff=staff, weekday=weekday, starts=opens, ends=closes)
    return record


def desk_user():
    return UserFactory(role=Role.FRONT_DESK)
