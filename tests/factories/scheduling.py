"""Appointments and calendar feeds."""

import datetime as dt

import factory
from django.utils import timezone

from tests.factories.clinic import ALL_ROUTES, AppointmentTypeFactory, treatment_type
from tests.factories.people import PatientFactory, StaffProfileFactory
from treatments.models import Appointment, AppointmentStatus, CalendarFeed


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A booked consultation a week ahead, in a room that hosts every route;
    ``treatment=True``: the clinic's microneedling session."""

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    practitioner = factory.SubFactory(StaffProfileFactory)
    room = factory.SubFactory("tests.factories.clinic.RoomFactory", routes=ALL_ROUTES)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + dt.timedelta(minutes=o.appointment_type.duration_minutes)
    )
    room_free_at = factory.LazyAttribute(
        lambda o: o.ends_at + dt.timedelta(minutes=o.appointment_type.buffer_minutes)
    )
    status = AppointmentStatus.BOOKED

    class Params:
        treatment = factory.Trait(appointment_type=factory.LazyFunction(treatment_type))


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    staff = factory.SubFactory(StaffProfileFactory)
    token = factory.Sequence(lambda n: f"test-token-{n:04d}-" + "x" * 30)
