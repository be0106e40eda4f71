"""A clinic that takes first consultations online: open every day 09:00-18:00, Dr Hart every day,
Dr Mehta on Tuesdays, one consultation room, a 45-minute consultation.

The tests run on Monday 15 June 2026 at 08:00, London (tests.treatments.scheduling.factories).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core import mail
from django.test import TestCase

from clinic.models import AppointmentType, ClinicSettings, Role, Room, StaffProfile, User
from tests.factories import AppointmentTypeFactory, RoomFactory, UserFactory
from tests.treatments.scheduling.factories import (
    MONDAY,
    NOW,
    at,
    open_clinic,
    practitioner,
)
from treatments.models import BookingHold, OnlineBooking
from treatments.services import online_booking

__all__ = ["DETAILS", "MONDAY", "NOW", "Online", "at", "online_clinic"]

DETAILS = {
    "first_name": "Grace",
    "last_name": "Okafor",
    "date_of_birth": dt.date(1990, 4, 2),
    "mobile": "+447911123456",
    "email": "grace@example.com",
}


@dataclass
class Online:
    clinic: ClinicSettings
    hart: StaffProfile
    mehta: StaffProfile
    consult: Room
    consultation: AppointmentType
    desk: User

    def confirm(self, hold, code, *, now=NOW):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return online_booking.hold_confirm(
                token=hold.token,
                code=code,
                base_url="http://testserver",
                clinic=self.clinic,
                now=now,
            )

    def hold(
        self, starts_at=None, *, now=NOW, practitioner=None, **details
    ) -> tuple[BookingHold, str]:
        """A hold made through the service, and the code it emailed."""
        sent = len(mail.outbox)
        with TestCase.captureOnCommitCallbacks(execute=True):
            hold = online_booking.hold_create(
                starts_at=starts_at or at(MONDAY, 10),
                practitioner=practitioner or self.hart,
                room=self.consult,
                address=details.pop("address", "203.0.113.7"),
                clinic=self.clinic,
                now=now,
                **(DETAILS | details),
            )
        return hold, code_in(mail.outbox[sent:])


def code_in(messages) -> str:
    """The 6-digit code of the latest booking-code email."""
    for message in reversed(messages):
        found = re.search(r"\b(\d{6})\b", message.body)
        if found and "booking code" in message.subject:
            return found.group(1)
    raise AssertionError("no booking code was emailed")


def online_clinic(*, on: bool = True) -> Online:
    clinic = open_clinic()
    clinic.online_booking = on
    clinic.phone = "020 7946 0000"
    clinic.save()
    return Online(
        clinic=clinic,
        hart=practitioner(),
        mehta=practitioner(first_name="Rohan", last_name="Mehta", days=[1]),
        consult=RoomFactory(name="Consultation 1", kind="consultation", routes=[]),
        consultation=AppointmentTypeFactory(),
        desk=UserFactory(role=Role.FRONT_DESK),
    )


def booked_online(**patient_fields) -> OnlineBooking:
    """An online booking waiting for the desk's identity check (made without the code step)."""
    from tests.factories import PatientFactory
    from tests.factories.scheduling import AppointmentFactory

    patient = PatientFactory(**patient_fields)
    appointment = AppointmentFactory(patient=patient)
    return OnlineBooking.objects.create(appointment=appointment, patient=patient)
