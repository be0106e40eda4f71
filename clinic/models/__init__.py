"""Clinic-wide records, one module per concern, re-exported here: people and their roles, the
clinic itself, rooms, appointment types and staff."""

from clinic.models.accounts import AccountChange, AccountChangeKind, Role, User, UserManager
from clinic.models.appointment_types import AppointmentType
from clinic.models.audit import AppendOnly, AppendOnlyQuerySet
from clinic.models.clinic import (
    ClinicSettings,
    OpeningHours,
    PolicyChange,
    PolicySetting,
    Weekday,
    _time_zone_choices,
)
from clinic.models.rooms import Room
from clinic.models.staff import (
    TIME_OFF_EARLIEST,
    TIME_OFF_LATEST,
    TIME_OFF_YEARS,
    StaffProfile,
    StaffProfileQuerySet,
    TimeOff,
    WorkingHours,
)
from clinic.models.throttle import ThrottleEvent

__all__ = [
    "TIME_OFF_EARLIEST",
    "TIME_OFF_LATEST",
    "TIME_OFF_YEARS",
    "AccountChange",
    "AccountChangeKind",
    "AppendOnly",
    "AppendOnlyQuerySet",
    "AppointmentType",
    "ClinicSettings",
    "OpeningHours",
    "PolicyChange",
    "PolicySetting",
    "Role",
    "Room",
    "StaffProfile",
    "StaffProfileQuerySet",
    "ThrottleEvent",
    "TimeOff",
    "User",
    "UserManager",
    "Weekday",
    "WorkingHours",
    "_time_zone_choices",
]
