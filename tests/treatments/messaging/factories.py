"""Appointments made directly (bypassing the booking rules), and a clinic ready to book."""

import datetime as dt

import factory

from clinic.models import ClinicSettings, OpeningHours, Role, WorkingHours
from tests import factories
from tests.factories import StaffProfileFactory, UserFactory

LONDON = "Europe/London"


class AppointmentFactory(factories.AppointmentFactory):
    """A booked microneedling session a week ahead with Dr Amelia Hart, for a patient who has an
    email address."""

    treatment = True
    practitioner = factory.SubFactory(
        StaffProfileFactory, user__first_name="Amelia", user__last_name="Hart"
    )


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
