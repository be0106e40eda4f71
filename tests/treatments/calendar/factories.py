"""A clinic, practitioners, rooms and appointments for the calendar's tests.

Appointments are made directly (not through the booking service) so that a test can put any
state and any time, past or future, on the calendar.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from clinic.models import ClinicSettings, OpeningHours, Role, WorkingHours
from tests.factories import StaffProfileFactory, UserFactory

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
